using System.Linq;
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
    public static async Task<bool> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, CancellationToken cancellationToken)
    {
        var lanes = string.Join(", ", DatabaseRoles.Lanes.Select(SqlIdentifier.Literal));
        await using var command = new NpgsqlCommand(
            $"SELECT CASE WHEN (SELECT count(*) FROM pg_roles WHERE rolname IN ({lanes})) = {DatabaseRoles.Lanes.Count} THEN NOT ({SchemaCreateGuards.LaneMayCreateCondition("$1")}) ELSE false END",
            connection, transaction) { Parameters = { new NpgsqlParameter { Value = schema } } };
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
