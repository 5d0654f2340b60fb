using System.Threading;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Database.Catalog;

/// <summary>
/// Whether only the owner may create objects in the schema (<see cref="SchemaCreateGuards"/>): every lane role exists
/// and none may create in it, through PUBLIC or otherwise.
/// </summary>
public static class SchemaCreateGuardCatalog
{
    public static Task<bool> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, CancellationToken cancellationToken)
        => LaneConditionCatalog.NoLaneMayAsync(connection, transaction, SchemaCreateGuards.LaneMayCreateCondition("$1"), schema, cancellationToken);
}
