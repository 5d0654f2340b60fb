using System.Collections.Generic;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Roles;

/// <summary>
/// The large-object guard of <c>roles create</c> (<see cref="LargeObjectGuards"/>) in the database it connects to: EXECUTE on
/// PostgreSQL's functions that create or write a large object taken from PUBLIC. They are pg_catalog's, so only a
/// superuser can; anyone else is told the statement to have one run. The outcome is read back, not assumed.
/// </summary>
public static class LargeObjectSetup
{
    public static async Task<IReadOnlyList<string>> ApplyAsync(NpgsqlConnection connection)
    {
        if (await ScalarAsync(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        {
            await using var revoke = new NpgsqlCommand(LargeObjectGuards.RevokeStatement(), connection);
            await revoke.ExecuteNonQueryAsync();
        }
        return await ScalarAsync(connection, $"SELECT {LargeObjectGuards.LaneMayExecuteCondition()}")
            ? new[] { "warning: the lanes may still create and write large objects in this database (PostgreSQL's functions, executable by PUBLIC), outside every table's grants and limits; " +
                      $"only a superuser can take them: {LargeObjectGuards.RevokeStatement()}" }
            : new[] { "large objects in this database: EXECUTE on the functions that create or write one taken from PUBLIC; no lane may store one" };
    }

    private static async Task<bool> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
