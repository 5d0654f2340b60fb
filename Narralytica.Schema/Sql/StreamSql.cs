using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The SQL of change streams: each is a publication of its tables, which logical replication slots decode with
/// pgoutput. Inserts, updates and deletes are published (truncate is not: a derived system cannot tell which of
/// its rows a truncate removed, so it is left to a rebuild).
/// </summary>
public static class StreamSql
{
    /// <summary>What a stream publishes; truncate is left out, see above.</summary>
    private const string Operations = "WITH (publish = 'insert, update, delete')";

    public static string Create(StreamPublication stream)
        => $"CREATE PUBLICATION {SqlIdentifier.Quote(stream.Name)} FOR TABLE {TableList(stream.Tables)} {Operations};";

    /// <summary>Replaces the published tables (the publication keeps its name and its slots).</summary>
    public static string SetTables(StreamPublication stream)
        => $"ALTER PUBLICATION {SqlIdentifier.Quote(stream.Name)} SET TABLE {TableList(stream.Tables)};";

    public static string Drop(string name) => $"DROP PUBLICATION {SqlIdentifier.Quote(name)};";

    private static string TableList(IEnumerable<string> tables) => string.Join(", ", tables.Select(t => SqlIdentifier.Quote(t)));
}
