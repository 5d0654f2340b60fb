using System.Collections.Generic;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The statement of <c>BulkInsertAsync</c> on a tenant table: one <c>INSERT … SELECT … FROM unnest(…)</c> per chunk of
/// rows, each column sent as one typed array parameter. It needs no temporary table (so the request and worker lanes need
/// no TEMP privilege), and its tenant_id is not sent at all: the statement takes it from the transaction's verified proof
/// (<see cref="TenantProof.CurrentTenant"/>). A row can therefore only ever land in the proven tenant, even where no
/// policy checks the write (Citus runs an INSERT … SELECT from a non-distributed source as COPY into the shards); with
/// no valid proof the tenant is NULL and the NOT NULL of tenant_id refuses every row.
/// <para>
/// Parameters, in declared column order, tenant_id left out: a scalar column is one array of its values (an unnest
/// argument). An array column is three: the first and last position of each row's elements (unnest arguments; a NULL
/// last position is a NULL array) and, outside the unnest, all rows' elements flattened in one array, which each row
/// slices back (<c>$k[first:last]</c>; first &gt; last is an empty array), since unnest cannot return arrays of arrays.
/// </para>
/// </summary>
public static class BulkInsertSql
{
    public static string Insert(Table table)
    {
        var unnested = new List<string>();
        var aliases = new List<string>();
        var selected = new List<string>();
        var next = 1;
        foreach (var column in table.Columns)
        {
            var name = SqlIdentifier.Quote(column.Name);
            if (column.Name == "tenant_id")
            {
                selected.Add(TenantProof.CurrentTenant);
                continue;
            }
            if (!column.Type.IsArray)
            {
                unnested.Add("$" + next++);
                aliases.Add(name);
                selected.Add("r." + name);
                continue;
            }
            var first = SqlIdentifier.Quote(SqlIdentifier.Fit(column.Name + "_first"));
            var last = SqlIdentifier.Quote(SqlIdentifier.Fit(column.Name + "_last"));
            unnested.Add("$" + next++);
            unnested.Add("$" + next++);
            aliases.Add(first);
            aliases.Add(last);
            selected.Add($"CASE WHEN r.{last} IS NOT NULL THEN ${next++}[r.{first}:r.{last}] END");
        }
        return $"INSERT INTO {SqlFragments.Name(table)} ({ReadPathSql.SelectList(table)}) " +
               $"SELECT {string.Join(", ", selected)} FROM unnest({string.Join(", ", unnested)}) AS r ({string.Join(", ", aliases)})";
    }
}
