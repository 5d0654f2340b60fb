using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Database.Catalog;

/// <summary>What the database-level guards read: whether every lane role exists and a condition on them holds for none.</summary>
internal static class LaneConditionCatalog
{
    /// <param name="laneMayCondition">SQL true when some lane may do what the guard forbids ($1 is <paramref name="parameter"/> when given).</param>
    public static async Task<bool> NoLaneMayAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string laneMayCondition,
        object? parameter, CancellationToken cancellationToken)
    {
        var lanes = string.Join(", ", DatabaseRoles.Lanes.Select(SqlIdentifier.Literal));
        await using var command = new NpgsqlCommand(
            $"SELECT CASE WHEN (SELECT count(*) FROM pg_roles WHERE rolname IN ({lanes})) = {DatabaseRoles.Lanes.Count} THEN NOT ({laneMayCondition}) ELSE false END",
            connection, transaction);
        if (parameter is not null)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
