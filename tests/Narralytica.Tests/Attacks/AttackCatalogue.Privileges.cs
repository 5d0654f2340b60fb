using Npgsql;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Narralytica.Tests.Attacks;

public static partial class AttackCatalogue
{
    private const string HistoryGoal = "rewrite append-only history";
    private const string PrivilegeGoal = "switch isolation off";

    private static IEnumerable<Attack> Privileges()
    {
        foreach (var table in new[] { "layers", "audit_logs", "event_logs" })
        {
            yield return new Attack($"update-{table}", HistoryGoal, Sql,
                $"B's transaction updates its own {table} row",
                $"no UPDATE privilege on {table}",
                run => AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB, $"UPDATE {table} SET id = id"), PostgresErrorCodes.InsufficientPrivilege));
            yield return new Attack($"delete-{table}", HistoryGoal, Sql,
                $"B's transaction deletes its own {table} rows, then truncates the table",
                $"no DELETE or TRUNCATE privilege on {table}",
                async run =>
                {
                    var delete = await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB, $"DELETE FROM {table}"), PostgresErrorCodes.InsufficientPrivilege);
                    var truncate = await AttackRun.RefusedAsync(() => run.ExecuteAsync(run.TenantB, $"TRUNCATE {table}"), PostgresErrorCodes.InsufficientPrivilege);
                    return delete == truncate ? delete : $"{delete}; TRUNCATE {truncate}";
                });
        }

        yield return new Attack("erase-audit-trail", HistoryGoal, Sql,
            "Erase the escape hatch's trail: UPDATE and DELETE narralytica_cross_tenant_audits",
            "no privilege at all on narralytica_cross_tenant_audits (the readers' functions write it)",
            async run =>
            {
                var update = await AttackRun.RefusedAsync(() => run.ExecuteAsync(null, "UPDATE narralytica_cross_tenant_audits SET justification = 'nothing to see'"), PostgresErrorCodes.InsufficientPrivilege);
                var delete = await AttackRun.RefusedAsync(() => run.ExecuteAsync(null, "DELETE FROM narralytica_cross_tenant_audits"), PostgresErrorCodes.InsufficientPrivilege);
                return update == delete ? update : $"{update}; DELETE {delete}";
            });

        yield return new Attack("disable-rls", PrivilegeGoal, Sql,
            "ALTER TABLE segments DISABLE ROW LEVEL SECURITY (and NO FORCE)",
            "only the table's owner may; narralytica_app owns nothing",
            async run =>
            {
                var disable = await AttackRun.RefusedAsync(() => run.ExecuteAsync(null, "ALTER TABLE segments DISABLE ROW LEVEL SECURITY"), PostgresErrorCodes.InsufficientPrivilege);
                var noForce = await AttackRun.RefusedAsync(() => run.ExecuteAsync(null, "ALTER TABLE segments NO FORCE ROW LEVEL SECURITY"), PostgresErrorCodes.InsufficientPrivilege);
                return disable == noForce ? disable : $"{disable}; {noForce}";
            });

        yield return new Attack("row-security-off", PrivilegeGoal, Sql,
            "SET row_security = off, then select segments",
            "PostgreSQL errors rather than return rows the policies would filter (the role is not BYPASSRLS)",
            run => AttackRun.RefusedAsync(() => run.AsAppAsync<long>(null, async connection =>
            {
                await AttackRun.ExecuteAsync(connection, "SET LOCAL row_security = off");
                return await AttackRun.ScalarAsync<long>(connection, "SELECT count(*) FROM segments");
            }), PostgresErrorCodes.InsufficientPrivilege));

        yield return new Attack("become-owner", PrivilegeGoal, Sql,
            "SET ROLE narralytica_owner",
            "narralytica_app is not a member of the owner role",
            run => AttackRun.RefusedAsync(() => run.ExecuteAsync(null, "SET ROLE narralytica_owner"), PostgresErrorCodes.InsufficientPrivilege));

        yield return new Attack("read-migration-history", PrivilegeGoal, Sql,
            "SELECT from narralytica_schema_history",
            "no privilege on the history table",
            run => AttackRun.RefusedAsync(() => run.CountAsync(null, "SELECT count(*) FROM narralytica_schema_history"), PostgresErrorCodes.InsufficientPrivilege));
    }
}
