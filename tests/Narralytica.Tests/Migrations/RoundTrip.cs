using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;
using Narralytica.Tests.Infrastructure;

namespace Narralytica.Tests.Migrations;

/// <summary>
/// The property every migration must have: fresh(A) followed by diff(A, B) leaves a catalog equal
/// to fresh(B), and diff(B, B) is empty. A goes through the snapshot writer and reader first,
/// as it does in <c>migrations add</c>. With rows loaded into A first (<see cref="RowLoader"/>), also: every
/// value of a column A and B share reads the same after the migration (nothing cut, rounded or lost), or the
/// migration fails on the rows with a data error the differ warned of (a data-dependent or destructive finding).
/// </summary>
public static class RoundTrip
{
    /// <summary>Null when the property holds; otherwise what differs, with the SQL that ran.</summary>
    public static async Task<string?> CheckAsync(SchemaWorkspace workspace, SchemaModel before, SchemaModel after)
        => (await CheckWithRowsAsync(workspace, before, after, rowsSeed: null)).Failure;

    /// <summary>
    /// The property with rows drawn from <paramref name="rowsSeed"/> (none when null). <see cref="RoundTripOutcome.RefusedOnRows"/>:
    /// the migration refused the rows loudly, as warned, and the property was then checked on the empty tables.
    /// </summary>
    public static async Task<RoundTripOutcome> CheckWithRowsAsync(SchemaWorkspace workspace, SchemaModel before, SchemaModel after, int? rowsSeed)
    {
        var snapshot = SnapshotReader.Read(SnapshotWriter.Write(before, new SnapshotHeader("0001_a.sql", new string('0', 64))), "snapshot").Model;
        var plan = SchemaDiffer.Diff(snapshot, after);
        var sql = string.Join("\n", plan.Statements.Select(s => $"[{s.Stage}] {s.Sql}"));

        var again = SchemaDiffer.Diff(after, after);
        if (!again.IsEmpty)
            return new("diff(B, B) is not empty:\n" + string.Join("\n", again.Statements.Select(s => s.Sql)), false);
        if (!SchemaDiffer.Diff(snapshot, before).IsEmpty)
            return new("the snapshot of A does not read back as A:\n" + string.Join("\n", SchemaDiffer.Diff(snapshot, before).Statements.Select(s => s.Sql)), false);

        var migrated = await workspace.FreshAsync(before);
        var shared = SharedColumns(before, after);
        Dictionary<string, string>? valuesBefore = null;
        if (rowsSeed is { } seed)
        {
            await RowLoader.LoadAsync(workspace.Connection, before, seed);
            valuesBefore = await RowLoader.FingerprintAsync(workspace.Connection, shared.Select(c => (c.OldTable, c.OldColumn, c.OldKey, c.OldRender)));
        }
        try
        {
            await MigrationRunner.RunPlanAsync(workspace.Connection, plan);
        }
        catch (PostgresStatementException e)
        {
            await workspace.DropAsync(migrated);
            // With rows, a migration may refuse them: loudly (a data error, SQLSTATE class 22 or 23), and only where warned.
            var sqlState = ((Npgsql.PostgresException)e.InnerException!).SqlState;
            var warned = plan.Findings.Any(f => f.Category is LintCategory.DataDependent or LintCategory.Destructive or LintCategory.Tenancy);
            if (rowsSeed is not null && sqlState.Substring(0, 2) is "22" or "23" && warned)
                return (await CheckWithRowsAsync(workspace, before, after, rowsSeed: null)) with { RefusedOnRows = true };
            return new($"the migration failed{(rowsSeed is null ? "" : " on the loaded rows" + (warned ? "" : ", though the differ warned of nothing"))}: {e.Message}\nmigration:\n{sql}", false);
        }
        if (valuesBefore is not null)
        {
            var valuesAfter = await RowLoader.FingerprintAsync(workspace.Connection, shared.Select(c => (c.NewTable, c.NewColumn, c.NewKey, c.NewRender)));
            var changed = shared.Where(c => valuesBefore[$"{c.OldTable}.{c.OldColumn}"] != valuesAfter[$"{c.NewTable}.{c.NewColumn}"]).ToList();
            if (changed.Count > 0)
            {
                await workspace.DropAsync(migrated);
                return new($"the migration changed stored values without failing: {string.Join(", ", changed.Select(c => $"{c.NewTable}.{c.NewColumn}"))}\nmigration:\n{sql}", false);
            }
        }
        var actual = await workspace.CatalogAsync(migrated);
        var fresh = await workspace.FreshAsync(after);
        var expected = await workspace.CatalogAsync(fresh);
        await workspace.DropAsync(migrated);
        await workspace.DropAsync(fresh);
        return expected.SequenceEqual(actual)
            ? new(null, false)
            : new($"catalog after the migration differs from a fresh B (- fresh B, + migrated A):\n{CatalogSnapshot.Difference(expected, actual)}\nmigration:\n{sql}", false);
    }

    /// <summary>
    /// The columns A and B both have (renames followed), each read as A's type renders it: a value that reads the same
    /// through A's type after the conversion was not changed by it. Enum columns read as their labels.
    /// </summary>
    private static List<SharedColumn> SharedColumns(SchemaModel before, SchemaModel after)
    {
        var shared = new List<SharedColumn>();
        foreach (var table in after.Tables)
        {
            var oldName = table.RenamedFrom ?? table.Name;
            if (table.RenamedFrom is null && after.Tables.Any(t => t.RenamedFrom == table.Name) || before.FindTable(oldName) is not { } old)
                continue;
            string OldColumnName(string column) => table.FindColumn(column)?.RenamedFrom ?? column;
            if (!table.PrimaryKey.Columns.All(c => old.FindColumn(OldColumnName(c)) is not null))
                continue;
            string Render(Table owner, string column, PgType oldType)
                => oldType.Kind == PgTypeKind.Enum || owner.FindColumn(column)!.Type.Kind == PgTypeKind.Enum
                    ? $"{Narralytica.Schema.Sql.SqlIdentifier.Quote(column)}::text"
                    : $"{Narralytica.Schema.Sql.SqlIdentifier.Quote(column)}::{oldType.Sql}::text";
            string Key(Table owner, System.Func<string, string> name)
                => string.Join(", ", table.PrimaryKey.Columns.Select(c => Render(owner, name(c), old.FindColumn(OldColumnName(c))!.Type)));
            foreach (var column in table.Columns)
            {
                var oldColumn = old.FindColumn(OldColumnName(column.Name));
                if (oldColumn is null || column.RenamedFrom is null && table.Columns.Any(c => c.RenamedFrom == column.Name))
                    continue;
                shared.Add(new SharedColumn(old.Name, oldColumn.Name, Key(old, OldColumnName), Render(old, oldColumn.Name, oldColumn.Type),
                    table.Name, column.Name, Key(table, c => c), Render(table, column.Name, oldColumn.Type)));
            }
        }
        return shared;
    }

    private sealed record SharedColumn(string OldTable, string OldColumn, string OldKey, string OldRender, string NewTable, string NewColumn, string NewKey, string NewRender);
}

/// <summary>The round trip's result: the failure (null when the property holds), and whether the rows were refused loudly first.</summary>
public sealed record RoundTripOutcome(string? Failure, bool RefusedOnRows);
