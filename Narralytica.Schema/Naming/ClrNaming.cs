using System.Linq;
using System.Text;

namespace Narralytica.Schema.Naming;

/// <summary>
/// How snake_case SQL names become C# names: tables become singular entity types
/// (segments → Segment, audit_logs → AuditLog), columns become PascalCase properties.
/// </summary>
public static class ClrNaming
{
    public static string Pascal(string snake)
    {
        var builder = new StringBuilder(snake.Length);
        foreach (var part in snake.Split('_').Where(p => p.Length > 0))
            builder.Append(char.ToUpperInvariant(part[0])).Append(part.Substring(1));
        var result = builder.ToString();
        return result.Length == 0 || char.IsDigit(result[0]) ? "_" + result : result;
    }

    /// <summary>The entity type name for a table: its last word made singular, PascalCase.</summary>
    public static string Entity(string tableName)
    {
        var words = tableName.Split('_');
        words[words.Length - 1] = Singular(words[words.Length - 1]);
        return Pascal(string.Join("_", words));
    }

    /// <summary>The collection property name for a table: the table name in PascalCase (Segments, AuditLogs).</summary>
    public static string Collection(string tableName) => Pascal(tableName);

    public static string Singular(string word)
    {
        if (word.EndsWith("ies") && word.Length > 3)
            return word.Substring(0, word.Length - 3) + "y";
        if (word.EndsWith("sses") || word.EndsWith("xes") || word.EndsWith("ches") || word.EndsWith("shes"))
            return word.Substring(0, word.Length - 2);
        if (word.EndsWith("ss") || word.EndsWith("us") || word.EndsWith("is"))
            return word;
        if (word.EndsWith("s") && word.Length > 1)
            return word.Substring(0, word.Length - 1);
        return word;
    }
}
