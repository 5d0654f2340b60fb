using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Yaml;
using static Narralytica.Schema.Conventions.TableConventions;
using static Narralytica.Schema.Language.SchemaVocabulary;

namespace Narralytica.Schema.Parsing;

/// <summary>
/// The read paths of a table: <c>versions:</c>, <c>queries:</c> and <c>feeds:</c>. Their shape and
/// columns are checked here; whether an index answers them, and what they refer to in other tables,
/// is checked by <see cref="Validation.ReadPathValidator"/> once every table is known.
/// </summary>
internal sealed partial class SchemaParser
{
    private void ReadVersions(TableDraft table, YamlNode node)
    {
        var where = $"'versions' of table '{table.Name}'";
        var mapping = _read.Mapping(node, where);
        if (mapping is null)
            return;
        YamlNode? ofNode = null, byNode = null;
        _read.Keys(mapping, where, VersionsKeys, (key, value, _) =>
        {
            if (key == "of") ofNode = value;
            else byNode = value;
        });
        if (ofNode is null || byNode is null)
        {
            _read.Report(DiagnosticCatalog.MissingKey, mapping.Span,
                $"{where} needs 'of' (the columns rows of one thing share) and 'by' (the version column), e.g. versions: {{of: [segment_id, kind], by: version}}");
            return;
        }
        var of = _read.Names(ofNode, $"'of' of {where}");
        var by = _read.Names(byNode, $"'by' of {where}");
        if (of is null || by is null || CheckColumns(table, of, where) is null || CheckColumns(table, by, where) is null)
            return;
        if (by.Count != 1 || of.Count == 0 || of.Any(o => o.Name == by[0].Name))
        {
            _read.Report(DiagnosticCatalog.BadReadPath, mapping.Span, $"{where} needs one 'by' column, not among the 'of' columns, and at least one 'of' column");
            return;
        }
        table.Versions = new Versioning(of.Select(o => o.Name).ToEquatableArray(), by[0].Name, mapping.Span);
    }

    private void ReadQueries(TableDraft table, YamlNode node)
    {
        var mapping = _read.Mapping(node, $"'queries' of table '{table.Name}' (a mapping of query name to query)");
        if (mapping is null)
            return;
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Key.Value;
            if (!_identifiers.Check(name, entry.Key.Span, "query", quoted: true))
                continue;
            var query = ReadQuery(table, name, entry.Key, entry.Value);
            if (query is not null)
                table.Queries.Add(query);
        }
    }

    private NamedQuery? ReadQuery(TableDraft table, string name, YamlScalar key, YamlNode node)
    {
        var where = $"query '{name}' of table '{table.Name}'";
        var mapping = _read.Mapping(node, where);
        if (mapping is null)
            return null;
        string? doc = null;
        YamlNode? matchNode = null, manyNode = null, overlapsNode = null, orderNode = null;
        var latest = false;
        _read.Keys(mapping, where, QueryKeys, (k, value, _) =>
        {
            switch (k)
            {
                case "doc": doc = _read.Text(value, $"'doc' of {where}"); break;
                case "match": matchNode = value; break;
                case "many": manyNode = value; break;
                case "overlaps": overlapsNode = value; break;
                case "order_by": orderNode = value; break;
                case "latest": latest = _read.Bool(value, $"'latest' of {where}") ?? false; break;
            }
        });
        var problems = _diagnostics.Count;

        var match = matchNode is null ? new List<(string Name, SourceSpan Span)>() : _read.Names(matchNode, $"'match' of {where}");
        if (match is null || CheckColumns(table, match, where) is null)
            return null;
        if (match.Any(m => m.Name == TenantColumn))
            _read.Report(DiagnosticCatalog.BadReadPath, key.Span, $"{where} matches tenant_id; leave it out: every query of a tenant-scoped table is bound to its scope's tenant");
        if (match.Select(m => m.Name).Distinct().Count() != match.Count)
            _read.Report(DiagnosticCatalog.BadReadPath, key.Span, $"{where} names a column twice in 'match'");

        string? many = null;
        if (manyNode is not null)
        {
            many = _read.Text(manyNode, $"'many' of {where}");
            if (many is not null && match.All(m => m.Name != many))
                _read.Report(DiagnosticCatalog.BadReadPath, manyNode.Span,
                    $"'many: {many}' of {where} must be one of its 'match' columns ({string.Join(", ", match.Select(m => m.Name))}): it is the one compared with a set of values");
        }

        var overlaps = overlapsNode is null ? null : ReadOverlap(table, overlapsNode, where);
        var orderBy = new List<IndexColumn>();
        if (orderNode is not null && _read.Names(orderNode, $"'order_by' of {where}") is { } order)
        {
            foreach (var (text, span) in order)
                if (ParseIndexColumn(text, span) is { } column)
                    orderBy.Add(column);
            CheckColumns(table, orderBy.Select(c => (c.Name, orderNode.Span)).ToList(), where);
        }
        if (overlaps is not null && orderBy.Count == 0)
            orderBy.Add(new IndexColumn(overlaps.Start, false, NullsOrder.Default)); // a window reads in time order

        if (latest)
        {
            if (table.Versions is null)
                _read.Report(DiagnosticCatalog.BadReadPath, key.Span,
                    $"{where} asks for 'latest', but table '{table.Name}' declares no 'versions'; add versions: {{of: [columns naming one thing], by: version_column}}");
            else if (match.Any(m => m.Name == table.Versions.By))
                _read.Report(DiagnosticCatalog.BadReadPath, key.Span, $"{where} asks for 'latest' and matches the version column '{table.Versions.By}'; do one or the other");
            if (orderNode is not null || overlapsNode is not null)
                _read.Report(DiagnosticCatalog.BadReadPath, key.Span, $"{where} asks for 'latest', which decides the rows and their order; remove 'order_by' and 'overlaps'");
        }
        if (match.Count == 0 && overlaps is null && !latest)
            _read.Report(DiagnosticCatalog.BadReadPath, key.Span, $"{where} has nothing to look rows up by; give 'match: [columns]'");

        return _diagnostics.Count > problems ? null
            : new NamedQuery(name, doc, match.Select(m => m.Name).ToEquatableArray(), many, overlaps, orderBy.ToEquatableArray(), latest, key.Span);
    }

    /// <summary>
    /// <c>overlaps: [start, end]</c>, with the bound that makes the scan start near <c>from</c>: a check
    /// <c>end - start &lt;= N</c> guarantees that a row overlapping [from, to) starts at or after from - N.
    /// </summary>
    private WindowOverlap? ReadOverlap(TableDraft table, YamlNode node, string where)
    {
        var columns = _read.Names(node, $"'overlaps' of {where}");
        if (columns is null || CheckColumns(table, columns, where) is null)
            return null;
        if (columns.Count != 2)
        {
            _read.Report(DiagnosticCatalog.BadReadPath, node.Span, $"'overlaps' of {where} takes two columns, [start, end], the row's half-open interval");
            return null;
        }
        var (start, end) = (columns[0].Name, columns[1].Name);
        var integral = new[] { PgTypeKind.SmallInt, PgTypeKind.Integer, PgTypeKind.BigInt };
        if (columns.Any(c => table.Columns.First(t => t.Name == c.Name) is var column && (!integral.Contains(column.Type.Kind) || column.Type.IsArray || column.Nullable)))
        {
            _read.Report(DiagnosticCatalog.BadReadPath, node.Span, $"'overlaps' of {where} needs two NOT NULL integer columns (smallint, integer or bigint)");
            return null;
        }
        var bound = new Regex($@"(?:^|\bAND )\(?{end} - {start} (<=|<) (\d+)\)?(?: AND\b|$)");
        foreach (var check in table.Checks)
        {
            var found = bound.Match(check.Expression);
            if (found.Success && long.TryParse(found.Groups[2].Value, out var limit))
                return new WindowOverlap(start, end, found.Groups[1].Value == "<" ? limit - 1 : limit, check.Name);
        }
        _read.Report(DiagnosticCatalog.UnboundedWindow, node.Span,
            $"'overlaps' of {where} cannot bound its scan from below: without a longest row, a row overlapping [from, to) may start anywhere before 'from'. " +
            $"Add a check such as 'checks: {{max_length: {end} - {start} <= 600000}}' to table '{table.Name}'");
        return null;
    }

    private void ReadFeeds(TableDraft table, YamlNode node)
    {
        var mapping = _read.Mapping(node, $"'feeds' of table '{table.Name}' (a mapping of feed name to feed)");
        if (mapping is null)
            return;
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Key.Value;
            var where = $"feed '{name}' of table '{table.Name}'";
            if (!_identifiers.Check(name, entry.Key.Span, "feed", quoted: true) || _read.Mapping(entry.Value, where) is not { } feed)
                continue;
            string? doc = null, latestOf = null;
            _read.Keys(feed, where, FeedKeys, (k, value, _) =>
            {
                if (k == "doc") doc = _read.Text(value, $"'doc' of {where}");
                else latestOf = _read.Text(value, $"'latest_of' of {where}");
            });
            if (latestOf is null)
            {
                _read.Report(DiagnosticCatalog.MissingKey, entry.Key.Span,
                    $"{where} needs 'latest_of: <table>', the versioned table whose latest rows come with each of its rows (e.g. latest_of: layers)");
                continue;
            }
            table.Feeds.Add(new Feed(name, doc, latestOf, entry.Key.Span));
        }
    }
}
