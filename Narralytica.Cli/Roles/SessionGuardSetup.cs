using System.Collections.Generic;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Roles;

/// <summary>
/// The third part of <c>roles create</c>: the lanes' session guards (<see cref="SessionGuards"/>) in the database it
/// connects to. TEMPORARY is taken from PUBLIC (only the database's owner or a superuser can) and left to the owner, and
/// each lane role's search path in this database is pinned to the current schema, pg_catalog, then pg_temp. The outcome is
/// read back, so a user without the rights is told what is still open rather than shown a success.
/// </summary>
public static class SessionGuardSetup
{
    public static async Task<IReadOnlyList<string>> ApplyAsync(NpgsqlConnection connection)
    {
        var done = new List<string>();
        await ExecuteAsync(connection, SessionGuards.RevokeTemporary());
        var temporary = await LanesWithTemporaryAsync(connection);
        done.Add(temporary.Count == 0
            ? $"TEMPORARY on this database: PUBLIC's taken, {string.Join(", ", SessionGuards.TemporaryHolders)} keeps it; no lane may create temporary tables"
            : $"warning: {string.Join(", ", temporary)} may still create temporary tables here; only the database's owner or a superuser can take TEMPORARY from PUBLIC: run `narralytica roles create` as one of them");
        if (await ScalarAsync<string?>(connection, "SELECT current_schema()::text") is not { } schema)
        {
            done.Add("note: no current schema on this connection, so the lanes' search path is not pinned here; the first migration pins it");
            return done;
        }
        await ExecuteAsync(connection, SessionGuards.PinSearchPaths());
        done.Add($"search path of {string.Join(", ", DatabaseRoles.Lanes)} in this database: {SqlIdentifier.Quote(schema)}, {SessionGuards.SearchPathTail} (pg_temp last)");
        return done;
    }

    private static async Task<List<string>> LanesWithTemporaryAsync(NpgsqlConnection connection)
    {
        var lanes = new List<string>();
        foreach (var role in DatabaseRoles.Lanes)
            if (await ScalarAsync<bool>(connection, $"SELECT has_database_privilege({SqlIdentifier.Literal(role)}, current_database(), 'TEMPORARY')"))
                lanes.Add(role);
        return lanes;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is System.DBNull or null ? default! : (T)value;
    }
}
