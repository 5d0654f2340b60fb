using System;
using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Yaml;

namespace Narralytica.Schema.Parsing;

/// <summary>
/// Shape checks shared by every part of the parser: each returns what it could read and records a
/// diagnostic, with the node's position, for what it could not.
/// </summary>
internal sealed class NodeReader
{
    private readonly List<SchemaDiagnostic> _diagnostics;

    public NodeReader(List<SchemaDiagnostic> diagnostics) => _diagnostics = diagnostics;

    public void Report(DiagnosticRule rule, SourceSpan span, string message) => _diagnostics.Add(rule.At(span, message));

    public YamlMapping? Mapping(YamlNode node, string what)
    {
        if (node is YamlMapping mapping)
            return mapping;
        if (node is YamlScalar { IsNull: true })
            return new YamlMapping(Array.Empty<KeyValuePair<YamlScalar, YamlNode>>(), node.Span);
        Report(DiagnosticCatalog.WrongShape, node.Span, $"{what} must be a mapping of keys to values, but it is {node.Describe()}");
        return null;
    }

    public YamlSequence? Sequence(YamlNode node, string what)
    {
        if (node is YamlSequence sequence)
            return sequence;
        Report(DiagnosticCatalog.WrongShape, node.Span, $"{what} must be a list such as [a, b], but it is {node.Describe()}");
        return null;
    }

    public YamlScalar? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalar scalar && !scalar.IsNull)
            return scalar;
        var found = node is YamlScalar ? "empty" : node.Describe();
        Report(DiagnosticCatalog.WrongShape, node.Span, $"{what} must be a single value, but it is {found}");
        return null;
    }

    public string? Text(YamlNode node, string what) => Scalar(node, what)?.Value;

    public bool? Bool(YamlNode node, string what)
    {
        var scalar = Scalar(node, what);
        if (scalar is null)
            return null;
        switch (scalar.Value)
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                Report(DiagnosticCatalog.WrongShape, node.Span, $"{what} must be true or false, not '{scalar.Value}'");
                return null;
        }
    }

    /// <summary>A list of names; a single name is accepted as a list of one.</summary>
    public List<(string Name, SourceSpan Span)>? Names(YamlNode node, string what)
    {
        if (node is YamlScalar single && !single.IsNull)
            return new List<(string, SourceSpan)> { (single.Value, single.Span) };
        var sequence = Sequence(node, what);
        if (sequence is null)
            return null;
        var names = new List<(string, SourceSpan)>();
        foreach (var item in sequence.Items)
        {
            var text = Text(item, $"each entry of {what}");
            if (text is not null)
                names.Add((text, item.Span));
        }
        return names;
    }

    /// <summary>
    /// Walks a mapping's entries, reporting unknown keys (with the closest known key) and repeated
    /// keys, and hands each known one to <paramref name="onKey"/>.
    /// </summary>
    /// <returns>
    /// The allowed keys the mapping accounts for: those written, and those an unknown key was taken for (a typo). A
    /// required key among them is not reported missing: the typo is the one root cause, and already reported.
    /// </returns>
    public ISet<string> Keys(YamlMapping mapping, string where, IReadOnlyList<string> allowed, Action<string, YamlNode, YamlScalar> onKey)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var accounted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key.Value;
            if (!allowed.Contains(key))
            {
                var closest = Closest(key, allowed);
                if (closest is not null)
                    accounted.Add(closest);
                var hint = closest is null ? "" : $" Did you mean '{closest}'?";
                Report(DiagnosticCatalog.UnknownKey, entry.Key.Span,
                    $"unknown key '{key}' in {where}.{hint} Allowed keys: {string.Join(", ", allowed)}");
                continue;
            }
            if (!seen.Add(key))
            {
                Report(DiagnosticCatalog.UnknownKey, entry.Key.Span, $"key '{key}' is written twice in {where}; keep one");
                continue;
            }
            accounted.Add(key);
            onKey(key, entry.Value, entry.Key);
        }
        return accounted;
    }

    /// <summary>The allowed word nearest to a typo (at most a third of its letters off), or null.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(word.ToLowerInvariant(), candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.Max(1, word.Length / 3) ? best : null;
    }

    // Edit distance where swapping two neighbouring letters counts as one edit (typos like 'nmae').
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
