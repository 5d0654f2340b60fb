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
    /// <summary>The attributes of <see cref="MemberLogins.Attributes"/>, compared on an existing login.</summary>
    private static readonly LoginAttribute[] Attributes =
    {
        new("rolcanlogin", true, "LOGIN"), new("rolsuper", false, "NOSUPERUSER"), new("rolbypassrls", false, "NOBYPASSRLS"), new("rolcreatedb", false, "NOCREATEDB"),
        new("rolcreaterole", false, "NOCREATEROLE"), new("rolreplication", false, "NOREPLICATION"), new("rolinherit", true, "INHERIT"),
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
        var done = new List<string>();
        await using var transaction = await connection.BeginTransactionAsync();
        done.Add(await LoginRole.CreateOrAlterAsync(connection, transaction, "login", login, Attributes, password));
        done.AddRange(await LoginRole.KeepOneMembershipAsync(connection, transaction, login, role,
            "a member login belongs to one lane only", $"it connects as the {MemberLogins.LaneOfRole(role)} lane"));
        var (database, schema) = await CurrentDatabaseAndSchemaAsync(connection, transaction);
        if (schema is null)
            done.Add($"note: no current schema on this connection, so {login}'s search path is not pinned here (the data source sets its own on every connection)");
        var settings = schema is not null ? MemberLogins.Settings(login, role, timeouts, database, schema)
            : RequestRoleTimeouts.Roles.Contains(role) ? RequestRoleTimeouts.Statements(new[] { login }, RequestRoleTimeouts.For(role, timeouts)) : new List<string>();
        foreach (var statement in settings)
            await LoginRole.ExecuteAsync(connection, transaction, statement);
        var timeoutNote = RequestRoleTimeouts.Roles.Contains(role)
            ? RequestRoleTimeouts.Describe(RequestRoleTimeouts.For(role, timeouts)) + "; "
            : "";
        if (schema is not null)
            done.Add($"set {login}: {timeoutNote}search path in {database} {SqlIdentifier.Quote(schema)}, {SessionGuards.SearchPathTail} (every new session of the login starts with them; 0 is none)");
        await transaction.CommitAsync();
        return done;
    }

    private static async Task<(string Database, string? Schema)> CurrentDatabaseAndSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand("SELECT current_database()::text, current_schema()::text", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }
}
