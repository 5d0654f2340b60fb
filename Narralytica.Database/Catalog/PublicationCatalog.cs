using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Schema.Model;
using Npgsql;

namespace Narralytica.Database.Catalog;

/// <summary>
/// The publications that publish tables of a schema, as change streams: their names and the tables of that schema
/// they list (alphabetically; a publication's tables are a set), and their comments (the streams' docs). A publication of every table (FOR ALL TABLES) is not
/// one schema.yaml declares, and is left out.
/// </summary>
public static class PublicationCatalog
{
    public static async Task<EquatableArray<StreamPublication>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, CancellationToken cancellationToken)
    {
        var rows = await CatalogReader.QueryAsync(connection, transaction, """
            SELECT p.pubname::text, c.relname::text, obj_description(p.oid, 'pg_publication')
            FROM pg_publication p
            JOIN pg_publication_rel r ON r.prpubid = p.oid
            JOIN pg_class c ON c.oid = r.prrelid
            WHERE NOT p.puballtables AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = @schema)
            ORDER BY p.pubname, c.relname
            """, schema, cancellationToken);
        return rows.GroupBy(r => (string)r[0]!)
            .Select(g => new StreamPublication(g.Key, g.First()[2] as string, g.Select(r => (string)r[1]!).ToEquatableArray(), SourceSpan.None))
            .ToEquatableArray();
    }
}
