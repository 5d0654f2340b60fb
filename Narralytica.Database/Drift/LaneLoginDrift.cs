using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Database.Drift;

/// <summary>
/// LOGIN on a lane's role. A login that is only a member of the role may SET ROLE to it and ALTER ROLE it (PostgreSQL 15
/// has no GRANT … WITH SET FALSE): a new password, or session defaults such as <c>statement_timeout = 0</c>, for every
/// session that logs in as the role. So the lane roles are NOLOGIN and applications connect through member logins
/// (<see cref="MemberLogins"/>). Roles are the cluster's: <c>narralytica roles create</c> reconciles them, so no statement
/// of the schema's is offered.
/// </summary>
public static class LaneLoginDrift
{
    public static async Task<List<DriftDifference>> CompareAsync(NpgsqlConnection connection)
    {
        var lanes = string.Join(", ", DatabaseRoles.Lanes.Select(SqlIdentifier.Literal));
        var differences = new List<DriftDifference>();
        await using var command = new NpgsqlCommand($"SELECT rolname::text FROM pg_roles WHERE rolname IN ({lanes}) AND rolcanlogin ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var role = reader.GetString(0);
            differences.Add(new DriftDifference("extra",
                $"attribute LOGIN on the role {role}: any member login may SET ROLE to it and change its password and the settings every session logging in as it starts with; " +
                $"connect through member logins (narralytica roles create --login NAME={MemberLogins.LaneOfRole(role)}) and run narralytica roles create, which makes the lane roles NOLOGIN " +
                $"(or ALTER ROLE {role} NOLOGIN PASSWORD NULL)"));
        }
        return differences;
    }
}
