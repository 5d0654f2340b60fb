using System.Collections.Generic;
using System.IO;
using Narralytica.Schema.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Narralytica.Schema.Yaml;

/// <summary>
/// Reads one YAML document into <see cref="YamlNode"/>s from YamlDotNet's event stream.
/// Built on events rather than YamlDotNet's representation model because that model throws
/// on duplicate keys, and a duplicate key here is a schema error worth its own message.
/// </summary>
public static class YamlDocumentReader
{
    public sealed class Failure
    {
        public Failure(string message, SourceSpan span)
        {
            Message = message;
            Span = span;
        }

        public string Message { get; }
        public SourceSpan Span { get; }
    }

    /// <summary>Returns the root node, or null with <paramref name="failure"/> set.</summary>
    public static YamlNode? Read(string text, out Failure? failure)
    {
        failure = null;
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
                return null;
            parser.Consume<DocumentStart>();
            if (parser.Accept<DocumentEnd>(out _))
                return null;
            var root = ReadNode(parser);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var next = parser.Current!;
                failure = new Failure("schema.yaml holds more than one YAML document; keep the whole schema in one document (remove the '---' separator)", ToSpan(next.Start));
                return null;
            }
            return root;
        }
        catch (YamlException e)
        {
            failure = new Failure(Clean(e.Message), ToSpan(e.Start));
            return null;
        }
    }

    private static YamlNode ReadNode(IParser parser)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
            return new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, ToSpan(scalar.Start));

        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var items = new List<YamlNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
                items.Add(ReadNode(parser));
            return new YamlSequence(items, ToSpan(sequenceStart.Start));
        }

        if (parser.TryConsume<MappingStart>(out var mappingStart))
        {
            var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyStart = parser.Current!.Start;
                if (ReadNode(parser) is not YamlScalar key)
                    throw new YamlException(keyStart, keyStart, "a key must be a plain name, not a list or a mapping");
                entries.Add(new KeyValuePair<YamlScalar, YamlNode>(key, ReadNode(parser)));
            }
            return new YamlMapping(entries, ToSpan(mappingStart.Start));
        }

        var current = parser.Current!;
        if (current is AnchorAlias)
            throw new YamlException(current.Start, current.End, "YAML aliases (*name) are not supported in schema.yaml; write the value out");
        throw new YamlException(current.Start, current.End, $"unexpected YAML element {current.GetType().Name}");
    }

    private static SourceSpan ToSpan(Mark mark) => new((int)mark.Line, (int)mark.Column);

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (…): "; the position is reported separately.
    private static string Clean(string message)
    {
        var marker = "): ";
        var index = message.LastIndexOf(marker, System.StringComparison.Ordinal);
        var text = index >= 0 && message.StartsWith("(", System.StringComparison.Ordinal) ? message.Substring(index + marker.Length) : message;
        return "YAML syntax error: " + text.TrimEnd('.') + ". Check the indentation and the quoting near this position.";
    }
}
