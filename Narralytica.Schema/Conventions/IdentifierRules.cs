using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Conventions;

/// <summary>What a name written in schema.yaml must be: a plain PostgreSQL identifier that fits and is not reserved, or a C# type name.</summary>
internal sealed class IdentifierRules
{
    private readonly List<SchemaDiagnostic> _diagnostics;

    public IdentifierRules(List<SchemaDiagnostic> diagnostics) => _diagnostics = diagnostics;

    /// <summary>Reports a <paramref name="kind"/> name PostgreSQL would not take as written; false when it reported one.</summary>
    public bool Check(string name, SourceSpan span, string kind, bool quoted)
    {
        if (!SqlIdentifier.IsValid(name))
        {
            var suggestion = System.Text.RegularExpressions.Regex.Replace(name.Trim().ToLowerInvariant(), "[^a-z0-9_]+", "_");
            _diagnostics.Add(DiagnosticCatalog.InvalidIdentifier.At(span,
                $"{kind} name '{name}' is not a plain PostgreSQL identifier (lowercase letters, digits and _, not starting with a digit); write '{suggestion}'"));
            return false;
        }
        if (!SqlIdentifier.FitsLength(name))
        {
            _diagnostics.Add(DiagnosticCatalog.NameTooLong.At(span, $"{kind} name '{name}' is longer than PostgreSQL's 63 bytes; shorten it"));
            return false;
        }
        if (SqlIdentifier.IsReserved(name) && !quoted)
        {
            var where = kind is "table" or "column" ? $" or add 'quote: true' to the {kind} so it is always written \"{name}\"" : "";
            _diagnostics.Add(DiagnosticCatalog.ReservedWord.At(span,
                $"{kind} name '{name}' is a reserved word in PostgreSQL; rename it (for example '{name}_name'){where}"));
            return false;
        }
        return true;
    }

    /// <summary>Reports an <c>entity:</c> that is not a C# type name.</summary>
    public void CheckEntityName(string name, SourceSpan span)
    {
        if (!IsCSharpName(name))
            _diagnostics.Add(DiagnosticCatalog.InvalidIdentifier.At(span, $"'entity: {name}' is not a C# type name; write a name such as VideoSource"));
    }

    private static bool IsCSharpName(string name)
        => name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
}
