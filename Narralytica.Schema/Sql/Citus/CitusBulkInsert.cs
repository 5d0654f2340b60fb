using System.Linq;
using System.Text;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql.Citus;

/// <summary>
/// The Citus target's statement for <c>BulkInsertAsync</c> on a tenant table: a multi-row
/// <c>INSERT … VALUES (narralytica_proven_tenant(), $1, $2, …), (narralytica_proven_tenant(), $k+1, …)</c>, one scalar
/// parameter per column and row, tenant_id left out.
/// <para>
/// Why not the plain target's <c>INSERT … SELECT … FROM unnest(…)</c> (<see cref="BulkInsertSql"/>): Citus runs an
/// INSERT … SELECT from a non-distributed source by pulling the rows to the coordinator and copying them into the shards,
/// and on a cluster with workers the shards refuse that COPY under row-level security. A multi-row VALUES is routed
/// instead: the coordinator evaluates each row's tenant (the verified proof's, never a value sent) to find the shard, and
/// the worker inserts the rows as an ordinary INSERT, its policies checking each one against the proof it received with
/// the transaction. Each row names the function rather than a subquery (Citus refuses subqueries in an INSERT), and each
/// value is a parameter of its own rather than an element of an array parameter, since Citus writes a parameter's value
/// into the worker's statement wherever it is referenced (an array referenced once per row would be sent once per row).
/// </para>
/// </summary>
public static class CitusBulkInsert
{
    /// <summary>PostgreSQL's limit on the parameters of one statement.</summary>
    public const int MaxParameters = 65535;

    /// <summary>The most rows one statement carries: beyond about a thousand, a longer statement saves nothing measurable.</summary>
    public const int MaxRowsPerStatement = 1000;

    /// <summary>How a row names its tenant: the verifying function itself, evaluated by the coordinator to route the row.</summary>
    public const string RowTenant = TenantProof.VerifyFunction + "()";

    /// <summary>The parameters of one row: every column but tenant_id, in declared order.</summary>
    public static int ParametersPerRow(Table table) => table.Columns.Count(c => c.Name != "tenant_id");

    /// <summary>The rows one statement carries for <paramref name="table"/>: at most <see cref="MaxRowsPerStatement"/>, within PostgreSQL's parameter limit.</summary>
    public static int RowsPerStatement(Table table) => System.Math.Min(MaxRowsPerStatement, MaxParameters / System.Math.Max(1, ParametersPerRow(table)));

    /// <summary>The statement's start, up to and including <c>VALUES </c>: tenant_id first, then the other columns in declared order.</summary>
    public static string Head(Table table)
    {
        var columns = new[] { "tenant_id" }.Concat(table.Columns.Where(c => c.Name != "tenant_id").Select(c => SqlIdentifier.Quote(c.Name)));
        return $"INSERT INTO {SqlFragments.Name(table)} ({string.Join(", ", columns)}) VALUES ";
    }

    /// <summary>The whole statement for <paramref name="rows"/> rows (what the runtime's <c>MultiRowInsert</c> writes from <see cref="Head"/>).</summary>
    public static string Statement(Table table, int rows)
    {
        var perRow = ParametersPerRow(table);
        var text = new StringBuilder(Head(table));
        for (var row = 0; row < rows; row++)
        {
            text.Append(row == 0 ? "(" : ", (").Append(RowTenant);
            for (var column = 1; column <= perRow; column++)
                text.Append(", $").Append(row * perRow + column);
            text.Append(')');
        }
        return text.ToString();
    }
}
