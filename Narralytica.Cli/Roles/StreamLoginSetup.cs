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
    /// <summary>The attributes compared on an existing login: (column, what it must be, the clause that makes it so).</summary>
    private static readonly (string Column, bool Wanted, string Clause)[] Attributes =
    {
        ("rolcanlogin", true, "LOGIN"), ("rolreplication", true, "REPLICATION"), ("rolsuper", false, "NOSUPERUSER"),
        ("rolbypassrls", false, "NOBYPASSRLS"), ("rolcreatedb", false, "NOCREATEDB"), ("rolcreaterole", false, "NOCREATEROLE"),
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
        var quoted = SqlIdentifier.Quote(login);
        var done = new List<string>();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            var held = await ReadAttributesAsync(connection, transaction, login);
            var passwordClause = password is null ? "" : " PASSWORD " + SqlIdentifier.Literal(password);
            if (held is null)
            {
                await ExecuteAsync(connection, transaction, $"CREATE ROLE {quoted} {StreamLogin.Attributes}{passwordClause}");
                done.Add($"created stream login {login}: {StreamLogin.Attributes}{(password is null ? "" : ", password set")}");
            }
            else
            {
                var changes = Attributes.Where((a, i) => held[i] != a.Wanted).Select(a => a.Clause).ToList();
                if (changes.Count > 0 || password is not null)
                {
                    await ExecuteAsync(connection, transaction, $"ALTER ROLE {quoted} {string.Join(" ", changes)}{passwordClause}");
                    done.Add($"updated stream login {login}: {string.Join(", ", password is null ? changes : changes.Append("password set"))}");
                }
                else
                    done.Add($"stream login {login} exists with {StreamLogin.Attributes}: unchanged");
            }
            done.AddRange(await KeepOneMembershipAsync(connection, transaction, login));
            // Its SQL is a reader's, and so is what it may hold: an idle snapshot transaction must not keep a migration waiting.
            var readerTimeouts = RequestRoleTimeouts.For(StreamLogin.MemberOf, timeouts);
            foreach (var statement in RequestRoleTimeouts.Statements(new[] { login }, readerTimeouts))
                await ExecuteAsync(connection, transaction, statement);
            done.Add($"set {login}: " + string.Join(", ", RequestRoleTimeouts.Settings(readerTimeouts).Select(s => $"{s.Setting} {RequestRoleTimeouts.Value(s.Value)}")) +
                     " (every new session of the login starts with them; 0 is none)");
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

    private static async Task<bool[]?> ReadAttributesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string login)
    {
        await using var command = new NpgsqlCommand($"SELECT {string.Join(", ", Attributes.Select(a => a.Column))} FROM pg_roles WHERE rolname = $1", connection, transaction);
        command.Parameters.AddWithValue(login);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Enumerable.Range(0, reader.FieldCount).Select(reader.GetBoolean).ToArray() : null;
    }

    /// <summary>The login's memberships: <see cref="StreamLogin.MemberOf"/> granted, every other taken back.</summary>
    private static async Task<List<string>> KeepOneMembershipAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string login)
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
        foreach (var role in roles.Where(r => r != StreamLogin.MemberOf))
        {
            await ExecuteAsync(connection, transaction, $"REVOKE {SqlIdentifier.Quote(role)} FROM {SqlIdentifier.Quote(login)}");
            done.Add($"revoked membership of {login} in {role}: the stream login is a member of {StreamLogin.MemberOf} only");
        }
        if (!roles.Contains(StreamLogin.MemberOf))
        {
            await ExecuteAsync(connection, transaction, $"GRANT {StreamLogin.MemberOf} TO {SqlIdentifier.Quote(login)}");
            done.Add($"granted {StreamLogin.MemberOf} to {login}: its snapshot read is the readers' audited read");
        }
        return done;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}
