using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Roles;

/// <summary>
/// The second half of <c>roles create</c>: the timeouts of the roles that serve requests
/// (<see cref="RequestRoleTimeouts"/>), set where they differ from what the role already has, in one transaction.
/// Role settings apply to sessions that log in as the role, so logins that are only members of it are named, to be
/// given the same settings.
/// </summary>
public static class RequestTimeoutSetup
{
    /// <summary>Sets the timeouts on every request role; returns one line per role, and a note per role that has member logins.</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(NpgsqlConnection connection, SessionTimeouts timeouts)
    {
        var done = new List<string>();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var role in RequestRoleTimeouts.Roles)
        {
            var current = await CurrentSettingsAsync(connection, transaction, role);
            var wanted = RequestRoleTimeouts.Settings(timeouts).Select(s => (s.Setting, Value: RequestRoleTimeouts.Value(s.Value))).ToList();
            var described = string.Join(", ", wanted.Select(w => $"{w.Setting} {w.Value}"));
            var changed = wanted.Where(w => !current.Contains($"{w.Setting}={w.Value}")).ToList();
            if (changed.Count == 0)
                done.Add($"{role} has {described}: unchanged");
            else
            {
                foreach (var statement in RequestRoleTimeouts.Statements(new[] { role }, timeouts))
                {
                    await using var command = new NpgsqlCommand(statement, connection, transaction);
                    await command.ExecuteNonQueryAsync();
                }
                done.Add($"set {role}: {described} (every new session of it starts with them; 0 is none)");
            }
            if (await MemberLoginsAsync(connection, transaction, role) is { Count: > 0 } members)
                done.Add($"note: {string.Join(", ", members)} log in as members of {role} and start without its settings; give each the same: " +
                         string.Join(" ", RequestRoleTimeouts.Statements(new[] { members[0] }, timeouts)));
        }
        await transaction.CommitAsync();
        return done;
    }

    /// <summary>The role's own settings (for every database), as PostgreSQL keeps them: <c>setting=value</c>.</summary>
    private static async Task<HashSet<string>> CurrentSettingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string role)
    {
        await using var command = new NpgsqlCommand(
            "SELECT unnest(setconfig) FROM pg_db_role_setting WHERE setdatabase = 0 AND setrole = (SELECT oid FROM pg_roles WHERE rolname = $1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        var settings = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            settings.Add(reader.GetString(0));
        return settings;
    }

    private static async Task<List<string>> MemberLoginsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string role)
    {
        await using var command = new NpgsqlCommand(
            "SELECT r.rolname::text FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = $1) AND r.rolcanlogin ORDER BY 1",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        var members = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            members.Add(reader.GetString(0));
        return members;
    }
}
