using System;

namespace Narralytica.Runtime;

/// <summary>
/// The runtime's one way to write a PostgreSQL identifier into SQL, and to read one back. The schema compiler
/// has its own (<c>Narralytica.Schema.Sql.SqlIdentifier</c>, which leaves safe names bare), but this package
/// references no schema compiler at run time: the generator runs at build time only, so an application does not
/// ship the compiler and its YAML parser. The names the runtime writes come from the application (the schema the
/// tables are in), so each is always quoted, which is right for any name whatever its case or spelling.
/// </summary>
internal static class PgIdentifier
{
    /// <summary><paramref name="name"/> double-quoted, a quote inside it doubled: PostgreSQL reads it back as exactly <paramref name="name"/>.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// The name an identifier written in SQL stands for: a quoted one without its quotes (a doubled quote is one),
    /// a bare one folded to lower case, as PostgreSQL reads it.
    /// </summary>
    public static string Unquote(string written)
        => written.StartsWith("\"", StringComparison.Ordinal) ? written.Substring(1, written.Length - 2).Replace("\"\"", "\"") : written.ToLowerInvariant();
}
