using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Database.Catalog;
using Narralytica.Database.Drift;
using Narralytica.Schema.Model;
using Npgsql;

namespace Narralytica.Database.Migrations;

/// <summary>
/// The snapshot of a schema that the migrations built in a live database: the catalog read back as the model, where
/// each object the current snapshot also has, equal as PostgreSQL re-prints both, keeps the snapshot's own spelling
/// (its expressions as schema.yaml wrote them, its append-only flag). So the next <c>migrations add</c> sees exactly the
/// changes the migrations left out, not a respelling of expressions.
/// </summary>
internal static class SnapshotRestore
{
    public static async Task<SchemaModel> RestoreAsync(NpgsqlConnection connection, SchemaModel snapshot, CancellationToken cancellationToken)
    {
        string schema;
        await using (var current = new NpgsqlCommand("SELECT current_schema()", connection))
            schema = (string)(await current.ExecuteScalarAsync(cancellationToken))!;
        var live = await CatalogReader.ReadAsync(connection, null, schema, cancellationToken);
        if (live.Unsupported.Count > 0)
            throw new LiveSchemaException("the migrations build what a snapshot cannot hold: " + string.Join("; ", live.Unsupported));
        var (built, _) = await SchemaDrift.BuildExpectedAsync(connection, snapshot, schema);
        var model = live.Model;
        return model with
        {
            Enums = InOrderOf(model.Enums.Select(e => snapshot.FindEnum(e.Name) is { } declared && built.FindEnum(e.Name) == e ? declared : e), snapshot.Enums, e => e.Name),
            Tables = InOrderOf(model.Tables.Select(t => Restore(t, snapshot.FindTable(t.Name), built.FindTable(t.Name))), snapshot.Tables, t => t.Name),
        };
    }

    private sealed record ColumnName(string Name);

    /// <summary>The catalog lists by name; the snapshot keeps schema.yaml's order, which its objects keep here (new ones after).</summary>
    private static EquatableArray<T> InOrderOf<T>(System.Collections.Generic.IEnumerable<T> items, EquatableArray<T> order, System.Func<T, string> name) where T : System.IEquatable<T>
    {
        var position = order.Select((item, i) => (name(item), i)).ToDictionary(p => p.Item1, p => p.i);
        return items.Select((item, i) => (item, i)).OrderBy(p => position.TryGetValue(name(p.item), out var at) ? at : int.MaxValue).ThenBy(p => p.i)
            .Select(p => p.item).ToEquatableArray();
    }

    private static Table Restore(Table live, Table? declared, Table? built)
    {
        if (declared is null || built is null)
            return live with { AppendOnly = LanePrivileges.LooksAppendOnly(live) };
        T Pick<T>(T liveItem, T? builtItem, T? declaredItem) where T : class => declaredItem is not null && Equals(builtItem, liveItem) ? declaredItem : liveItem;
        return live with
        {
            Doc = built.Doc == live.Doc ? declared.Doc : live.Doc,
            EntityName = declared.EntityName,
            Quoted = declared.Quoted,
            AppendOnly = built.AppPrivileges == live.AppPrivileges && built.ControlPrivileges == live.ControlPrivileges ? declared.AppendOnly : LanePrivileges.LooksAppendOnly(live),
            Columns = InOrderOf(live.Columns.Select(c => Pick(c, built.FindColumn(c.Name), declared.FindColumn(c.Name))), declared.Columns, c => c.Name),
            PrimaryKey = Pick(live.PrimaryKey, built.PrimaryKey, declared.PrimaryKey),
            Uniques = InOrderOf(live.Uniques.Select(u => Pick(u, built.Uniques.FirstOrDefault(b => b.Name == u.Name), declared.Uniques.FirstOrDefault(d => d.Name == u.Name))), declared.Uniques, x => x.Name),
            Checks = InOrderOf(live.Checks.Select(k => Pick(k, built.Checks.FirstOrDefault(b => b.Name == k.Name), declared.Checks.FirstOrDefault(d => d.Name == k.Name))), declared.Checks, x => x.Name),
            ForeignKeys = InOrderOf(live.ForeignKeys.Select(k => Pick(k, built.ForeignKeys.FirstOrDefault(b => b.Name == k.Name), declared.ForeignKeys.FirstOrDefault(d => d.Name == k.Name))), declared.ForeignKeys, x => x.Name),
            Indexes = InOrderOf(live.Indexes.Select(i => Pick(i, built.Indexes.FirstOrDefault(b => b.Name == i.Name), declared.Indexes.FirstOrDefault(d => d.Name == i.Name))), declared.Indexes, x => x.Name),
            // The catalog holds the queue's functions but not the columns they were written from: those of the snapshot,
            // which the exact rebuild of the restored snapshot then checks against what the migrations built.
            QueueFunctions = live.QueueFunctions.Length > 0 ? declared.QueueFunctions : "",
            QueueColumns = live.QueueFunctions.Length > 0 ? declared.QueueColumns : null,
            // The catalog lists granted columns in the table's physical order, where a column a migration added comes last.
            WorkerUpdateColumns = InOrderOf(live.WorkerUpdateColumns.Select(c => new ColumnName(c)), declared.Columns.Select(c => new ColumnName(c.Name)).ToEquatableArray(), c => c.Name)
                .Select(c => c.Name).ToEquatableArray(),
        };
    }
}
