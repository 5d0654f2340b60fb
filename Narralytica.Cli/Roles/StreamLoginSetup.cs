using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Cli.Commands;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Roles;

/// <summary>
/// <c>roles create --stream-login NAME</c>: the login change streams connect with. REPLICATION is a role attribute,
/// and PostgreSQL passes attributes to no member, so it cannot reach a stream through the readers' role: it goes on a
/// login of its own (<see cref="StreamLogin.Attributes"/>) that is a member of <c>narralytica_reader</c> and of nothing
/// else, whose snapshot read is then the readers' audited one and which writes nothing. Re-running changes nothing.
/// </summary>
public static class StreamLoginSetup
{
    /// <summary>The attributes of <see cref="StreamLogin.Attributes"/>, compared on an existing login.</summary>
    private static readonly LoginAttribute[] Attributes =
    {
        new("rolcanlogin", true, "LOGIN"), new("rolreplication", true, "REPLICATION"), new("rolsuper", false, "NOSUPERUSER"),
        new("rolbypassrls", false, "NOBYPASSRLS"), new("rolcreatedb", false, "NOCREATEDB"), new("rolcreaterole", false, "NOCREATEROLE"),
    };

    /// <summary>Refuses, before anything is done, a stream login named as one of the data layer's roles.</summary>
    public static void RequireOwnName(string login)
    {
        if (DatabaseRoles.Lanes.Append(DatabaseRoles.Owner).Contains(login))
            throw new CliError($"--stream-login {login}: the stream login is a login of its own, not one of the data layer's roles " +
                               $"(REPLICATION on a lane's role would reach none of its member logins, and would let every pooled connection of the lane read every tenant unaudited). " +
                               "Name a new login, e.g. --stream-login search_stream.", ErrorCodes.Usage);
    }

    /// <summary>
    /// Creates the login or brings it to <see cref="StreamLogin.Attributes"/>, one membership and the readers' timeouts
    /// (<see cref="RequestRoleTimeouts.For"/>, from <paramref name="timeouts"/> of requests); one line per thing done.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CreateOrUpdateAsync(NpgsqlConnection connection, string login, string? password, SessionTimeouts timeouts)
    {
        RequireOwnName(login);
        var done = new List<string>();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            done.Add(await LoginRole.CreateOrAlterAsync(connection, transaction, "stream login", login, Attributes, password));
            done.AddRange(await LoginRole.KeepOneMembershipAsync(connection, transaction, login, StreamLogin.MemberOf,
                $"the stream login is a member of {StreamLogin.MemberOf} only", "its snapshot read is the readers' audited read"));
            // Its SQL is a reader's, and so is what it may hold: an idle snapshot transaction must not keep a migration waiting.
            var readerTimeouts = RequestRoleTimeouts.For(StreamLogin.MemberOf, timeouts);
            foreach (var statement in RequestRoleTimeouts.Statements(new[] { login }, readerTimeouts))
                await LoginRole.ExecuteAsync(connection, transaction, statement);
            done.Add($"set {login}: {RequestRoleTimeouts.Describe(readerTimeouts)} (every new session of the login starts with them; 0 is none)");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new CliError($"{e.MessageText}: only a superuser may give a role REPLICATION on PostgreSQL 15 (16 and later: a user with CREATEROLE that has REPLICATION itself). " +
                               "Run `narralytica roles create --stream-login` as such a user, or on a managed service as its administrator role " +
                               "(RDS: GRANT rds_replication TO the login; Cloud SQL: ALTER USER … WITH REPLICATION; Azure: ALTER ROLE … WITH REPLICATION as azure_pg_admin); see docs/streams.md.",
                ErrorCodes.PermissionDenied);
        }
        await transaction.CommitAsync();
        return done;
    }
}
