using System.Collections.Generic;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Database.Drift;

/// <summary>
/// REPLICATION where the lanes do not put it. A login with REPLICATION streams every published row of every tenant
/// whatever row-level security and grants say, so it belongs on the change streams' login only, a member of the
/// readers' role (<see cref="StreamLogin"/>): on a lane's role itself, or on a login that acts as the requests', the
/// control plane's or the workers' role, it is drift. Roles are the cluster's: <c>narralytica roles create</c>
/// reconciles them (it takes REPLICATION off the lanes' roles), so no statement of the schema's is offered.
/// </summary>
public static class ReplicationDrift
{
    public static async Task<List<DriftDifference>> CompareAsync(NpgsqlConnection connection)
    {
        var differences = new List<DriftDifference>();
        await using var command = new NpgsqlCommand(StreamLogin.ReplicationLoginsQuery, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (login, role, isRole) = (reader.GetString(0), reader.GetString(1), reader.GetBoolean(2));
            if (isRole)
                differences.Add(new DriftDifference("extra", $"attribute REPLICATION on the role {role}: a lane's role never streams (its member logins do not inherit the attribute); " +
                                                             "give it to a stream login instead (narralytica roles create --stream-login NAME, which also takes it off the role)"));
            else if (role != StreamLogin.MemberOf)
                differences.Add(new DriftDifference("extra", $"attribute REPLICATION on the login {login}, which acts as {role}: only the stream login, a member of {StreamLogin.MemberOf} " +
                                                             $"and of nothing else, holds it (ALTER ROLE {login} NOREPLICATION, or take {role} from it)"));
        }
        return differences;
    }
}
