using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Database.Catalog;

/// <summary>
/// Whether no lane may create or write a large object in the current database (<see cref="LargeObjectGuards"/>): every
/// lane role exists and none may execute any of <see cref="LargeObjectGuards.Functions"/>, through PUBLIC or otherwise.
/// </summary>
public static class LargeObjectGuardCatalog
{
    public static async Task<bool> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var lanes = string.Join(", ", DatabaseRoles.Lanes.Select(SqlIdentifier.Literal));
        await using var command = new NpgsqlCommand(
            $"SELECT CASE WHEN (SELECT count(*) FROM pg_roles WHERE rolname IN ({lanes})) = {DatabaseRoles.Lanes.Count} THEN NOT ({LargeObjectGuards.LaneMayExecuteCondition()}) ELSE false END",
            connection, transaction);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
