using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;
using Narralytica.Tests.Infrastructure;

namespace Narralytica.Tests.Migrations;

/// <summary>
/// The property every migration must have: fresh(A) followed by diff(A, B) leaves a catalog equal
/// to fresh(B), and diff(B, B) is empty. A goes through the snapshot writer and reader first,
/// as it does in <c>migrations add</c>.
/// </summary>
public static class RoundTrip
{
    /// <summary>Null when the property holds; otherwise what differs, with the SQL that ran.</summary>
    public static async Task<string?> CheckAsync(SchemaWorkspace workspace, SchemaModel before, SchemaModel after)
    {
        var snapshot = SnapshotReader.Read(SnapshotWriter.Write(before, new SnapshotHeader("0001_a.sql", new string('0', 64))), "snapshot").Model;
        var plan = SchemaDiffer.Diff(snapshot, after);
        var sql = string.Join("\n", plan.Statements.Select(s => $"[{s.Stage}] {s.Sql}"));

        var again = SchemaDiffer.Diff(after, after);
        if (!again.IsEmpty)
            return "diff(B, B) is not empty:\n" + string.Join("\n", again.Statements.Select(s => s.Sql));
        if (!SchemaDiffer.Diff(snapshot, before).IsEmpty)
            return "the snapshot of A does not read back as A:\n" + string.Join("\n", SchemaDiffer.Diff(snapshot, before).Statements.Select(s => s.Sql));

        var migrated = await workspace.FreshAsync(before);
        try
        {
            await MigrationRunner.RunPlanAsync(workspace.Connection, plan);
        }
        catch (PostgresStatementException e)
        {
            return $"the migration failed: {e.Message}\nmigration:\n{sql}";
        }
        var actual = await workspace.CatalogAsync(migrated);
        var fresh = await workspace.FreshAsync(after);
        var expected = await workspace.CatalogAsync(fresh);
        await workspace.DropAsync(migrated);
        await workspace.DropAsync(fresh);
        return expected.SequenceEqual(actual)
            ? null
            : $"catalog after the migration differs from a fresh B (- fresh B, + migrated A):\n{CatalogSnapshot.Difference(expected, actual)}\nmigration:\n{sql}";
    }
}
