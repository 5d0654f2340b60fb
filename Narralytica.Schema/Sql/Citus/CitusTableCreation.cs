using System.Collections.Generic;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql.Citus;

/// <summary>
/// A table created after the distribution, as a migration on the Citus target writes it: the table without foreign
/// keys, its row-level security with the policies in their Citus forms (<see cref="CitusForms"/>), then its Citus call
/// (<see cref="Distribute"/>); its foreign keys come after every new table is distributed.
/// </summary>
public static class CitusTableCreation
{
    /// <summary>What follows the CREATE TABLE: the plain target's indexes, comments and grants, and the policies in their Citus forms.</summary>
    public static IEnumerable<string> AfterCreateTable(Table table, bool tenantContext, bool lanes, bool signedTenant)
    {
        // The plain target's statements but its policies, which hold subqueries Citus refuses.
        foreach (var statement in DdlEmitter.AfterCreateTable(table, tenantContext, lanes, signedTenant))
        {
            if (statement.StartsWith("CREATE POLICY ", System.StringComparison.Ordinal))
                continue;
            yield return statement;
        }
        if (!table.RowSecurity)
            yield break;
        foreach (var policy in TenantIsolation.Policies(table, tenantContext, lanes))
            yield return CitusForms.CreatePolicy(table, policy, signedTenant)!;
    }

    /// <summary>
    /// The first statement of a migration that distributes a table: Citus' sequential execution for the rest of the
    /// transaction. Citus creates a table's shards over parallel connections, after which the same transaction may not
    /// alter the table (its foreign keys) nor go sequential; on the cluster, adding the foreign keys after
    /// <c>create_distributed_table</c> failed with <c>cannot modify table … because there was a parallel operation on a
    /// distributed table in the transaction</c>. Plain PostgreSQL skips it.
    /// </summary>
    public const string SequentialExecution =
        "DO $$\nBEGIN\n" +
        "    IF to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN\n" +
        "        SET LOCAL citus.multi_shard_modify_mode TO 'sequential';\n" +
        "    END IF;\n" +
        "END\n$$;";

    /// <summary>
    /// The table's Citus call: a tenant table distributed by <c>tenant_id</c> in the colocation group of
    /// <paramref name="anchor"/>, a global table made a reference table. It runs only where the database is already
    /// distributed (<paramref name="anchor"/> is in <c>pg_dist_partition</c>); elsewhere (plain PostgreSQL, or a Citus
    /// database not distributed yet) it does nothing, and <c>narralytica distribute</c> distributes the table with the others.
    /// The inner IF is planned only when Citus' catalog exists, so plain PostgreSQL runs the block too.
    /// </summary>
    public static string Distribute(Table table, string anchor)
    {
        var call = table.IsTenantScoped
            ? $"PERFORM create_distributed_table({RegClass(table.Name)}, {SqlIdentifier.Literal(CitusDistribution.DistributionColumn)}, colocate_with => {RegClass(anchor)});"
            : $"PERFORM create_reference_table({RegClass(table.Name)});";
        return "DO $$\nBEGIN\n" +
               "    IF to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN\n" +
               $"        IF EXISTS (SELECT FROM pg_catalog.pg_dist_partition WHERE logicalrelid = {RegClass(anchor)}::regclass) THEN\n" +
               $"            {call}\n" +
               "        END IF;\n" +
               "    END IF;\n" +
               "END\n$$;";
    }

    private static string RegClass(string table) => SqlIdentifier.Literal(SqlIdentifier.Quote(table));
}
