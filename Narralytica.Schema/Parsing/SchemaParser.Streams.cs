using System;
using System.Collections.Generic;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Yaml;
using static Narralytica.Schema.Language.SchemaVocabulary;

namespace Narralytica.Schema.Parsing;

/// <summary>
/// The <c>streams:</c> section: each stream is a publication name and the tables it publishes, written either as
/// <c>search: [segments, videos]</c> or as a mapping with <c>doc</c> and <c>tables</c>. Whether the tables exist is
/// checked once every table is read (<see cref="Validation.StreamValidator"/>).
/// </summary>
internal sealed partial class SchemaParser
{
    /// <summary>The streams read so far, with the position of each listed table for later diagnostics.</summary>
    public List<StreamDraft> Streams { get; } = new();

    private void ReadStreams(YamlNode node)
    {
        var mapping = _read.Mapping(node, "'streams'");
        if (mapping is null)
            return;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Key.Value;
            if (!_identifiers.Check(name, entry.Key.Span, "stream", quoted: false))
                continue;
            if (!names.Add(name))
            {
                _read.Report(DiagnosticCatalog.BadStream, entry.Key.Span, $"stream '{name}' is declared twice; keep one declaration");
                continue;
            }
            string? doc = null;
            YamlNode? tablesNode = entry.Value;
            if (entry.Value is YamlMapping streamMapping)
            {
                tablesNode = null;
                var accounted = _read.Keys(streamMapping, $"stream '{name}'", StreamKeys, (key, value, _) =>
                {
                    if (key == "doc") doc = _read.Text(value, $"'doc' of stream '{name}'");
                    else tablesNode = value;
                });
                if (tablesNode is null)
                {
                    if (!accounted.Contains("tables"))
                        _read.Report(DiagnosticCatalog.MissingKey, entry.Key.Span, $"stream '{name}' has no 'tables'; write tables: [segments, transcripts]");
                    continue;
                }
            }
            var tables = _read.Names(tablesNode!, $"the tables of stream '{name}'");
            if (tables is null)
                continue;
            if (tables.Count == 0)
            {
                _read.Report(DiagnosticCatalog.BadStream, entry.Key.Span, $"stream '{name}' publishes no table; list at least one under 'tables'");
                continue;
            }
            Streams.Add(new StreamDraft(name, doc, tables, entry.Key.Span));
        }
    }
}

/// <summary>A stream as written: its tables keep their positions until they are checked against the tables read.</summary>
internal sealed record StreamDraft(string Name, string? Doc, List<(string Name, SourceSpan Span)> Tables, SourceSpan Span);
