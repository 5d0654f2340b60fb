using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Roles;

/// <summary>An attribute compared on an existing login: its pg_roles column, what it must be, the clause that makes it so.</summary>
public sealed record LoginAttribute(string Column, bool Wanted, string Clause);

/// <summary>
/// What the logins <c>roles create</c> makes have in common (member logins of a lane, the stream login): created with
/// their attributes or brought back to them, and a member of exactly one role, inside the caller's transaction.
/// </summary>
public static class LoginRole
{
    /// <summary>
    /// Creates <paramref name="login"/> with <paramref name="attributes"/> (and <paramref name="password"/>, when one is
    /// given), or alters what an existing one holds otherwise; the line saying what was done, naming it <paramref name="kind"/>.
    /// </summary>
    public static async Task<string> CreateOrAlterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string kind, string login,
        IReadOnlyList<LoginAttribute> attributes, string? password)
    {
        var quoted = SqlIdentifier.Quote(login);
        var clauses = string.Join(" ", attributes.Select(a => a.Clause));
        var passwordClause = password is null ? "" : " PASSWORD " + SqlIdentifier.Literal(password);
        var held = await ReadAttributesAsync(connection, transaction, login, attributes);
        if (held is null)
        {
            await ExecuteAsync(connection, transaction, $"CREATE ROLE {quoted} {clauses}{passwordClause}");
            return $"created {kind} {login}: {clauses}{(password is null ? "" : ", password set")}";
        }
        var changes = attributes.Where((a, i) => held[i] != a.Wanted).Select(a => a.Clause).ToList();
        if (changes.Count == 0 && password is null)
            return $"{kind} {login} exists with {clauses}: unchanged";
        await ExecuteAsync(connection, transaction, $"ALTER ROLE {quoted} {string.Join(" ", changes)}{passwordClause}");
        return $"updated {kind} {login}: {string.Join(", ", password is null ? changes : changes.Append("password set"))}";
    }

    /// <summary>
    /// Keeps <paramref name="login"/> a member of <paramref name="role"/> only: every other membership revoked (saying
    /// <paramref name="revokedBecause"/>), the role granted when missing (saying <paramref name="grantedBecause"/>).
    /// </summary>
    public static async Task<List<string>> KeepOneMembershipAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string login, string role,
        string revokedBecause, string grantedBecause)
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
            done.Add($"revoked membership of {login} in {other}: {revokedBecause}");
        }
        if (!roles.Contains(role))
        {
            await ExecuteAsync(connection, transaction, $"GRANT {role} TO {SqlIdentifier.Quote(login)}");
            done.Add($"granted {role} to {login}: {grantedBecause}");
        }
        return done;
    }

    /// <summary>Runs one statement in the transaction.</summary>
    public static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<bool[]?> ReadAttributesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string login, IReadOnlyList<LoginAttribute> attributes)
    {
        await using var command = new NpgsqlCommand($"SELECT {string.Join(", ", attributes.Select(a => a.Column))} FROM pg_roles WHERE rolname = $1", connection, transaction);
        command.Parameters.AddWithValue(login);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Enumerable.Range(0, reader.FieldCount).Select(reader.GetBoolean).ToArray() : null;
    }
}
