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
    public static Task<bool> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
        => LaneConditionCatalog.NoLaneMayAsync(connection, transaction, LargeObjectGuards.LaneMayExecuteCondition(), null, cancellationToken);
}
