using System;
using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Parsing;

namespace Narralytica.Schema.Validation;

/// <summary>
/// The streams against the tables: every listed table exists and is listed once, and every column of it is one the
/// change decoder reads from pgoutput's text (arrays are not). Returns the streams that pass, each with its tables
/// in name order: a publication's tables are a set, and the catalog, the snapshot and schema.yaml then agree.
/// </summary>
internal sealed class StreamValidator
{
    private readonly List<SchemaDiagnostic> _diagnostics;

    public StreamValidator(List<SchemaDiagnostic> diagnostics) => _diagnostics = diagnostics;

    public List<StreamPublication> Validate(IEnumerable<StreamDraft> drafts, IReadOnlyList<Table> tables)
    {
        var byName = new Dictionary<string, Table>(StringComparer.Ordinal);
        foreach (var table in tables)
            if (!byName.ContainsKey(table.Name))
                byName.Add(table.Name, table);
        var streams = new List<StreamPublication>();
        foreach (var draft in drafts)
        {
            var ok = true;
            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, span) in draft.Tables)
            {
                if (!listed.Add(name))
                {
                    Report(span, $"stream '{draft.Name}' lists table '{name}' twice; list it once");
                    ok = false;
                }
                else if (!byName.TryGetValue(name, out var table))
                {
                    var known = Spelling.Closest(name, byName.Keys);
                    Report(span, $"stream '{draft.Name}' lists table '{name}', which schema.yaml does not declare" +
                                 (known is null ? "; list a table of 'tables:'" : $". Did you mean '{known}'?"));
                    ok = false;
                }
                else if (table.Columns.FirstOrDefault(c => c.Type.IsArray) is { } array)
                {
                    Report(span, $"stream '{draft.Name}' publishes table '{name}', whose column '{array.Name}' is an array, which change events do not carry; " +
                                 "leave the table out of the stream or store the values in a jsonb column");
                    ok = false;
                }
            }
            if (ok)
                streams.Add(new StreamPublication(draft.Name, draft.Doc, draft.Tables.Select(t => t.Name).OrderBy(t => t, StringComparer.Ordinal).ToEquatableArray(), draft.Span));
        }
        return streams;
    }

    private void Report(SourceSpan span, string message) => _diagnostics.Add(DiagnosticCatalog.BadStream.At(span, message));
}
