using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The SQL of change streams: each is a publication of its tables, which logical replication slots decode with
/// pgoutput. Inserts, updates and deletes are published (truncate is not: a derived system cannot tell which of
/// its rows a truncate removed, so it is left to a rebuild).
/// <para>
/// A publication belongs to the database, not to a schema. When one database holds the schema twice (a staging
/// copy beside the real one), the copy whose migration runs first creates the publication, and it publishes that
/// copy's tables; the other copy's migrations leave it alone. So each statement is guarded: create when missing,
/// change or drop only a publication of the current schema's tables.
/// </para>
/// </summary>
public static class StreamSql
{
    /// <summary>What a stream publishes; truncate is left out, see above.</summary>
    private const string Operations = "WITH (publish = 'insert, update, delete')";

    public static string Create(StreamPublication stream)
    {
        var comment = stream.Doc is null ? "" : $" COMMENT ON PUBLICATION {SqlIdentifier.Quote(stream.Name)} IS {SqlIdentifier.Literal(stream.Doc)};";
        return $"DO {Body} BEGIN IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = {SqlIdentifier.Literal(stream.Name)}) THEN " +
               $"CREATE PUBLICATION {SqlIdentifier.Quote(stream.Name)} FOR TABLE {TableList(stream.Tables)} {Operations};{comment} END IF; END {Body};";
    }

    /// <summary>Replaces the published tables (the publication keeps its name and its slots).</summary>
    public static string SetTables(StreamPublication stream)
        => OfCurrentSchema(stream.Name, $"ALTER PUBLICATION {SqlIdentifier.Quote(stream.Name)} SET TABLE {TableList(stream.Tables)};");

    /// <summary>The publication's comment, from the stream's doc.</summary>
    public static string Comment(StreamPublication stream)
        => OfCurrentSchema(stream.Name, $"COMMENT ON PUBLICATION {SqlIdentifier.Quote(stream.Name)} IS {(stream.Doc is null ? "NULL" : SqlIdentifier.Literal(stream.Doc))};");

    public static string Drop(string name) => OfCurrentSchema(name, $"DROP PUBLICATION {SqlIdentifier.Quote(name)};");

    /// <summary>Runs <paramref name="statement"/> when the publication publishes tables of the current schema only.</summary>
    private static string OfCurrentSchema(string publication, string statement)
        => $"DO {Body} BEGIN IF EXISTS (SELECT FROM pg_publication WHERE pubname = {SqlIdentifier.Literal(publication)}) " +
           $"AND NOT EXISTS (SELECT FROM pg_publication_tables WHERE pubname = {SqlIdentifier.Literal(publication)} AND schemaname <> current_schema()) THEN " +
           $"{statement} END IF; END {Body};";

    /// <summary>The dollar quote of the blocks: tagged, so a doc holding <c>$$</c> cannot end one.</summary>
    private const string Body = "$stream$";

    private static string TableList(IEnumerable<string> tables) => string.Join(", ", tables.Select(t => SqlIdentifier.Quote(t)));
}
