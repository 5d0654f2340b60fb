using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Cli.Commands;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Roles;

/// <summary>
/// <c>roles create --login NAME=LANE</c>: a login an application connects as, a member of one lane role and of nothing
/// else (<see cref="MemberLogins"/>), starting its sessions with the lane's timeouts and pinned search path, which are
/// set on the login itself: the lane roles are NOLOGIN, and settings of a role reach only sessions that log in as it.
/// Re-running changes nothing but the password, when one is given.
/// </summary>
public static class MemberLoginSetup
{
    /// <summary>The attributes compared on an existing login: (column, what it must be, the clause that makes it so).</summary>
    private static readonly (string Column, bool Wanted, string Clause)[] Attributes =
    {
        ("rolcanlogin", true, "LOGIN"), ("rolsuper", false, "NOSUPERUSER"), ("rolbypassrls", false, "NOBYPASSRLS"), ("rolcreatedb", false, "NOCREATEDB"),
        ("rolcreaterole", false, "NOCREATEROLE"), ("rolreplication", false, "NOREPLICATION"), ("rolinherit", true, "INHERIT"),
    };

    /// <summary>One <c>--login</c>: <c>NAME=LANE</c>, read and checked before anything is done.</summary>
    public static (string Login, string Role) Parse(string text)
    {
        var parts = text.Split('=');
        var lanes = string.Join(", ", MemberLogins.Lanes.Select(l => l.Lane));
        if (parts.Length != 2 || parts[0].Trim().Length == 0 || MemberLogins.RoleOfLane(parts[1].Trim()) is not { } role)
            throw new CliError($"--login {text}: write NAME=LANE, LANE one of {lanes} (e.g. --login web_app=requests).", ErrorCodes.Usage);
        var login = parts[0].Trim();
        if (DatabaseRoles.Lanes.Append(DatabaseRoles.Owner).Contains(login))
            throw new CliError($"--login {text}: a member login is a login of its own, not one of the data layer's roles (those are not logged in as). " +
                               "Name a new login, e.g. --login web_app=requests.", ErrorCodes.Usage);
        return (login, role);
    }

    /// <summary>The environment variable a member login's password is read from: <c>NARRALYTICA_LOGIN_WEB_APP_PASSWORD</c> for <c>web_app</c>.</summary>
    public static string PasswordVariable(string login)
        => "NARRALYTICA_LOGIN_" + new string(login.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()) + "_PASSWORD";

    /// <summary>Creates the login or brings it to <see cref="MemberLogins.Attributes"/>, one membership and its lane's settings; one line per thing done.</summary>
    public static async Task<IReadOnlyList<string>> CreateOrUpdateAsync(NpgsqlConnection connection, string login, string role, string? password, SessionTimeouts timeouts)
    {
        var quoted = SqlIdentifier.Quote(login);
        var done = new List<string>();
        await using var transaction = await connection.BeginTransactionAsync();
        var held = await ReadAttributesAsync(connection, transaction, login);
        var passwordClause = password is null ? "" : " PASSWORD " + SqlIdentifier.Literal(password);
        if (held is null)
        {
            await ExecuteAsync(connection, transaction, $"CREATE ROLE {quoted} {MemberLogins.Attributes}{passwordClause}");
            done.Add($"created login {login}: {MemberLogins.Attributes}{(password is null ? "" : ", password set")}");
        }
        else
        {
            var changes = Attributes.Where((a, i) => held[i] != a.Wanted).Select(a => a.Clause).ToList();
            if (changes.Count > 0 || password is not null)
            {
                await ExecuteAsync(connection, transaction, $"ALTER ROLE {quoted} {string.Join(" ", changes)}{passwordClause}");
                done.Add($"updated login {login}: {string.Join(", ", password is null ? changes : changes.Append("password set"))}");
            }
            else
                done.Add($"login {login} exists with {MemberLogins.Attributes}: unchanged");
        }
        done.AddRange(await KeepOneMembershipAsync(connection, transaction, login, role));
        var (database, schema) = await CurrentDatabaseAndSchemaAsync(connection, transaction);
        if (schema is null)
            done.Add($"note: no current schema on this connection, so {login}'s search path is not pinned here (the data source sets its own on every connection)");
        var settings = schema is not null ? MemberLogins.Settings(login, role, timeouts, database, schema)
            : RequestRoleTimeouts.Roles.Contains(role) ? RequestRoleTimeouts.Statements(new[] { login }, RequestRoleTimeouts.For(role, timeouts)) : new List<string>();
        foreach (var statement in settings)
            await ExecuteAsync(connection, transaction, statement);
        var timeoutNote = RequestRoleTimeouts.Roles.Contains(role)
            ? string.Join(", ", RequestRoleTimeouts.Settings(RequestRoleTimeouts.For(role, timeouts)).Select(s => $"{s.Setting} {RequestRoleTimeouts.Value(s.Value)}")) + "; "
            : "";
        if (schema is not null)
            done.Add($"set {login}: {timeoutNote}search path in {database} {SqlIdentifier.Quote(schema)}, {SessionGuards.SearchPathTail} (every new session of the login starts with them; 0 is none)");
        await transaction.CommitAsync();
        return done;
    }

    private static async Task<bool[]?> ReadAttributesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string login)
    {
        await using var command = new NpgsqlCommand($"SELECT {string.Join(", ", Attributes.Select(a => a.Column))} FROM pg_roles WHERE rolname = $1", connection, transaction);
        command.Parameters.AddWithValue(login);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Enumerable.Range(0, reader.FieldCount).Select(reader.GetBoolean).ToArray() : null;
    }

    /// <summary>The login's memberships: its lane's role granted, every other taken back (a second lane would make the two one).</summary>
    private static async Task<List<string>> KeepOneMembershipAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string login, string role)
    {
        var roles = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT r.rolname::text FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = $1 ORDER BY 1",
            connection, transaction))
        {
            command.Parameters.AddWithValue(login);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                roles.Add(reader.GetString(0));
        }
        var done = new List<string>();
        foreach (var other in roles.Where(r => r != role))
        {
            await ExecuteAsync(connection, transaction, $"REVOKE {SqlIdentifier.Quote(other)} FROM {SqlIdentifier.Quote(login)}");
            done.Add($"revoked membership of {login} in {other}: a member login belongs to one lane only");
        }
        if (!roles.Contains(role))
        {
            await ExecuteAsync(connection, transaction, $"GRANT {role} TO {SqlIdentifier.Quote(login)}");
            done.Add($"granted {role} to {login}: it connects as the {MemberLogins.LaneOfRole(role)} lane");
        }
        return done;
    }

    private static async Task<(string Database, string? Schema)> CurrentDatabaseAndSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand("SELECT current_database()::text, current_schema()::text", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}
