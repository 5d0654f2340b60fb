using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Roles;

/// <summary>
/// The timeouts of the lanes (<see cref="RequestRoleTimeouts"/>) live on their member
/// logins (<see cref="MemberLoginSetup"/> sets them on each login <c>--login</c> names): the lane roles are NOLOGIN, and
/// a role's settings reach only sessions that log in as it. This names every other login of those lanes that starts
/// without one of them, with the statements that give them, rather than change logins nobody named.
/// </summary>
public static class RequestTimeoutSetup
{
    /// <summary>One note per login of a request lane, not in <paramref name="named"/>, that lacks one of the timeouts in its own settings.</summary>
    public static async Task<IReadOnlyList<string>> ReportAsync(NpgsqlConnection connection, SessionTimeouts timeouts, IReadOnlyCollection<string> named)
    {
        var done = new List<string>();
        // A login with its own value of a timeout keeps it (its operator's choice); one without the setting at all starts with none.
        var wanted = RequestRoleTimeouts.Settings(timeouts).Select(s => s.Setting + "=").ToList();
        foreach (var role in RequestRoleTimeouts.Roles)
            foreach (var (login, settings) in await MemberLoginsAsync(connection, role))
                if (!named.Contains(login) && !wanted.All(w => settings.Any(s => s.StartsWith(w, System.StringComparison.Ordinal))))
                    done.Add($"note: {login} logs in as a member of {role} without the lane's timeouts; " +
                             (StreamLogin.MemberOf == role && await IsStreamLoginAsync(connection, login) ? $"name it (--stream-login {login})" : $"name it (--login {login}={MemberLogins.LaneOfRole(role)})") +
                             " or run: " + string.Join(" ", RequestRoleTimeouts.Statements(new[] { login }, RequestRoleTimeouts.For(role, timeouts))));
        return done;
    }

    private static async Task<bool> IsStreamLoginAsync(NpgsqlConnection connection, string login)
    {
        await using var command = new NpgsqlCommand("SELECT rolreplication FROM pg_roles WHERE rolname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = login });
        return await command.ExecuteScalarAsync() is true;
    }

    /// <summary>Each login that is a member of <paramref name="role"/>, with its own settings for every database (<c>setting=value</c>).</summary>
    private static async Task<List<(string Login, HashSet<string> Settings)>> MemberLoginsAsync(NpgsqlConnection connection, string role)
    {
        await using var command = new NpgsqlCommand(
            "SELECT r.rolname::text, coalesce((SELECT s.setconfig FROM pg_db_role_setting s WHERE s.setdatabase = 0 AND s.setrole = r.oid), '{}') " +
            "FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = $1) AND r.rolcanlogin ORDER BY 1",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        var members = new List<(string, HashSet<string>)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            members.Add((reader.GetString(0), new HashSet<string>(reader.GetFieldValue<string[]>(1))));
        return members;
    }
}
