using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Cli.Commands;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Roles;

/// <summary>
/// Creates the owner role (LOGIN) and the lanes' roles (application, control plane, workers, readers: NOLOGIN), or
/// brings existing ones to the attributes they need, in one transaction, and takes back any membership of one of them
/// in another (a member may SET ROLE to, and inherits the privileges of, the role it belongs to: lanes would be one).
/// Re-running changes nothing. The migrations grant each lane its table privileges; applications connect through
/// member logins of the lanes (<see cref="MemberLoginSetup"/>): a member may SET ROLE to its lane and ALTER ROLE it,
/// so a lane role that could log in would let one login change the password and the session defaults of every
/// session logging in as the lane. This also gives the owner the right to create the schema, and, when run by a
/// superuser, BYPASSRLS to the owner (row-level security is forced on the tables it owns). No lane bypasses it.
/// </summary>
public static class RoleSetup
{
    /// <summary>
    /// What the application role must not be: each of these would let it around its grants (or around row-level security;
    /// REPLICATION reads every tenant's published rows through a slot, so it lives on the stream login only: StreamLoginSetup).
    /// </summary>
    private static readonly (string Column, string Clause)[] AppForbidden =
    {
        ("rolsuper", "NOSUPERUSER"), ("rolbypassrls", "NOBYPASSRLS"), ("rolcreatedb", "NOCREATEDB"), ("rolcreaterole", "NOCREATEROLE"),
        ("rolreplication", StreamLogin.LaneRolesMustNotHold),
    };

    /// <summary>What the owner must not be: it owns the schema, it does not administer the server.</summary>
    private static readonly (string Column, string Clause)[] OwnerForbidden = { ("rolsuper", "NOSUPERUSER") };

    /// <summary>
    /// What the owner should be: not bound by row-level security, which is forced on its own tables, so that a data
    /// migration it runs sees and changes every tenant's rows. Only a superuser may give BYPASSRLS.
    /// </summary>
    private static readonly (string Column, string Clause)[] OwnerWanted = { ("rolbypassrls", "BYPASSRLS") };

    /// <summary>Creates or updates every role, the owner with <paramref name="ownerPassword"/> when given; returns one line per thing done, for the output.</summary>
    public static async Task<IReadOnlyList<string>> CreateOrUpdateAsync(NpgsqlConnection connection, string? ownerPassword)
    {
        var superuser = await EnsureMayCreateRolesAsync(connection);
        var done = new List<string>();
        await using var transaction = await connection.BeginTransactionAsync();
        done.Add(await EnsureRoleAsync(connection, transaction, DatabaseRoles.Owner, OwnerForbidden, superuser ? OwnerWanted : Array.Empty<(string, string)>(), login: true, ownerPassword));
        if (!superuser && !await SingleRowAsync(connection, transaction, $"SELECT rolbypassrls FROM pg_roles WHERE rolname = '{DatabaseRoles.Owner}'", r => r.GetBoolean(0)))
            done.Add($"note: {DatabaseRoles.Owner} is bound by row-level security (only a superuser can give it BYPASSRLS): data migrations that read or change " +
                     $"tenant rows should set a signed proof of each tenant in {TenantProof.ProofSetting} (TenantKey.Sign), or run as a superuser");
        foreach (var lane in DatabaseRoles.Lanes)
            done.Add(await EnsureRoleAsync(connection, transaction, lane, AppForbidden, Array.Empty<(string, string)>(), login: false, password: null));
        done.AddRange(await RevokeMembershipsAsync(connection, transaction));
        done.Add(await GrantOwnerCreateAsync(connection, transaction));
        await transaction.CommitAsync();
        if (await ObjectsOwnedByAppAsync(connection) is { Count: > 0 } owned)
            done.Add($"warning: {DatabaseRoles.App} owns {string.Join(", ", owned)}; an owner is not bound by grants. " +
                     $"Give them to {DatabaseRoles.Owner} (ALTER TABLE … OWNER TO {DatabaseRoles.Owner}).");
        return done;
    }

    /// <summary>Refuses a user that may not create roles; returns whether it is a superuser.</summary>
    private static async Task<bool> EnsureMayCreateRolesAsync(NpgsqlConnection connection)
    {
        var (user, may, superuser) = await SingleRowAsync(connection, null,
            "SELECT current_user::text, rolsuper OR rolcreaterole, rolsuper FROM pg_roles WHERE rolname = current_user",
            r => (r.GetString(0), r.GetBoolean(1), r.GetBoolean(2)));
        if (!may)
            throw new CliError($"User '{user}' may not create roles (it has neither CREATEROLE nor SUPERUSER). " +
                               "Run `narralytica roles create` with --connection naming a user that has CREATEROLE (the postgres superuser, say), " +
                               $"or ask the server's administrator to run it, or to create the roles {DatabaseRoles.Owner}, {string.Join(", ", DatabaseRoles.Lanes)} as docs/tenant-safety.md describes (Roles and privileges).");
        return superuser;
    }

    private static async Task<string> EnsureRoleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string role,
        (string Column, string Clause)[] forbidden, (string Column, string Clause)[] wanted, bool login, string? password)
    {
        var loginClause = login ? "LOGIN" : "NOLOGIN";
        var columns = string.Join(", ", forbidden.Concat(wanted).Select(f => f.Column));
        var current = await SingleRowOrNullAsync(connection, transaction, $"SELECT rolcanlogin, {columns} FROM pg_roles WHERE rolname = '{role}'",
            r => Enumerable.Range(0, r.FieldCount).Select(r.GetBoolean).ToArray());
        var passwordClause = password is null ? "" : " PASSWORD " + SqlIdentifier.Literal(password);
        var passwordNote = password is null ? "" : ", password set";
        if (current is null)
        {
            var clauses = string.Join(" ", forbidden.Concat(wanted).Select(f => f.Clause));
            await ExecuteAsync(connection, transaction, $"CREATE ROLE {role} {loginClause} {clauses}{passwordClause}");
            return $"created {role}: {loginClause} {clauses}{passwordNote}";
        }
        // Only what differs is altered: PostgreSQL lets only a superuser name SUPERUSER or BYPASSRLS, even to turn them off.
        bool[] held = current;
        var changes = new List<string>();
        if (held[0] != login)
            changes.Add(loginClause);
        changes.AddRange(forbidden.Where((_, i) => held[i + 1]).Select(f => f.Clause));
        changes.AddRange(wanted.Where((_, i) => !held[forbidden.Length + i + 1]).Select(w => w.Clause));
        if (changes.Count == 0 && password is null)
            return $"{role} exists with {string.Join(", ", wanted.Select(w => w.Clause).Prepend(loginClause))} and none of {string.Join(", ", forbidden.Select(f => f.Clause.Substring(2)))}: unchanged";
        // A lane role that could log in until now loses its password too, should LOGIN ever be given back.
        var dropPassword = !login && held[0] ? " PASSWORD NULL" : "";
        await ExecuteAsync(connection, transaction, $"ALTER ROLE {role} {string.Join(" ", changes)}{passwordClause}{dropPassword}");
        if (password is not null)
            changes.Add("password set");
        var why = dropPassword.Length > 0
            ? $" (password removed: a member could change a lane role's password and the settings of every session logging in as it; connect through member logins, roles create --login NAME={MemberLogins.LaneOfRole(role)})"
            : "";
        return $"updated {role}: {string.Join(", ", changes)}{why}";
    }

    /// <summary>Every membership between two of the five roles, taken back: each lane holds its own privileges and nobody else's.</summary>
    private static async Task<List<string>> RevokeMembershipsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var roles = string.Join(", ", DatabaseRoles.Lanes.Prepend(DatabaseRoles.Owner).Select(SqlIdentifier.Literal));
        var memberships = new List<(string Role, string Member)>();
        await using (var command = new NpgsqlCommand(
            $"SELECT r.rolname::text, m.rolname::text FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member " +
            $"WHERE r.rolname IN ({roles}) AND m.rolname IN ({roles}) ORDER BY 1, 2", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                memberships.Add((reader.GetString(0), reader.GetString(1)));
        var done = new List<string>();
        foreach (var (role, member) in memberships)
        {
            await ExecuteAsync(connection, transaction, $"REVOKE {role} FROM {member}");
            done.Add($"revoked membership of {member} in {role}: no role of the data layer is a member of another");
        }
        return done;
    }

    /// <summary>The owner creates the schema's objects: CREATE on this database (a schema of its own) and USAGE and CREATE on the current schema.</summary>
    private static async Task<string> GrantOwnerCreateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var (database, schema) = await SingleRowAsync(connection, transaction, "SELECT current_database()::text, current_schema()::text",
            r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)));
        var grants = new List<string> { $"GRANT CREATE ON DATABASE {SqlIdentifier.Quote(database)} TO {DatabaseRoles.Owner}" };
        if (schema is not null)
            grants.Add($"GRANT USAGE, CREATE ON SCHEMA {SqlIdentifier.Quote(schema)} TO {DatabaseRoles.Owner}");
        // A user with CREATEROLE need not own the database: the roles are still worth creating, so say what is left to do.
        // PostgreSQL only warns when the grantor lacks the grant option, so the outcome is read back, not assumed.
        await transaction.SaveAsync("owner_grants");
        try
        {
            foreach (var grant in grants)
                await ExecuteAsync(connection, transaction, grant);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            await transaction.RollbackAsync("owner_grants");
        }
        var granted = await SingleRowAsync(connection, transaction,
            $"SELECT has_database_privilege('{DatabaseRoles.Owner}', current_database(), 'CREATE') AND coalesce(has_schema_privilege('{DatabaseRoles.Owner}', current_schema(), 'USAGE') AND has_schema_privilege('{DatabaseRoles.Owner}', current_schema(), 'CREATE'), true)",
            r => r.GetBoolean(0));
        if (!granted)
            return $"warning: {DatabaseRoles.Owner} may not create objects here, and this user may not grant it; the database's owner or a superuser can: {string.Join("; ", grants)};";
        return $"granted {DatabaseRoles.Owner} CREATE on database {database}" + (schema is null ? "" : $", USAGE and CREATE on schema {schema}");
    }

    private static async Task<List<string>> ObjectsOwnedByAppAsync(NpgsqlConnection connection)
    {
        var owned = new List<string>();
        await using var command = new NpgsqlCommand(
            $"SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = '{DatabaseRoles.App}') AND c.relkind IN ('r', 'p') ORDER BY 1 LIMIT 5",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            owned.Add(reader.GetString(0));
        return owned;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> SingleRowAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Func<NpgsqlDataReader, T> read)
        => (await SingleRowOrNullAsync(connection, transaction, sql, read))!;

    private static async Task<T?> SingleRowOrNullAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? read(reader) : default;
    }
}
