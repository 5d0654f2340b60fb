using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Database.Catalog;

/// <summary>
/// Whether the lanes' sessions are guarded in the current database (<see cref="SessionGuards"/>): every lane role exists,
/// none may create temporary objects here (through PUBLIC or a grant of its own), and each has a search path of its own in
/// this database that ends with pg_temp. The schema the path names is not compared: a database holding the schema twice
/// pins the copy migrated last, and the data layer sets its own path on every connection anyway.
/// </summary>
public static class SessionGuardCatalog
{
    public static async Task<bool> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, CancellationToken cancellationToken)
    {
        var lanes = string.Join(", ", DatabaseRoles.Lanes.Select(SqlIdentifier.Literal));
        var rows = await CatalogReader.QueryAsync(connection, transaction, $"""
            SELECT r.rolname::text,
                   has_database_privilege(r.oid, current_database(), 'TEMPORARY'),
                   (SELECT substr(c, length('search_path=') + 1)
                    FROM pg_db_role_setting s, unnest(s.setconfig) AS c
                    WHERE s.setrole = r.oid AND s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND c LIKE 'search\_path=%')
            FROM pg_roles r
            WHERE r.rolname IN ({lanes}) AND @schema IS NOT NULL
            """, schema, cancellationToken);
        return rows.Count == DatabaseRoles.Lanes.Count
               && rows.All(r => !(bool)r[1]! && r[2] is string path && SessionGuards.EndsWithTemporarySchema(path));
    }
}
