using System.Collections.Generic;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Yaml;

/// <summary>
/// A YAML node with the position it was written at. Mappings keep every key in order,
/// duplicates included, so the parser can report a duplicate table or column by name.
/// </summary>
public abstract class YamlNode
{
    protected YamlNode(SourceSpan span) => Span = span;

    public SourceSpan Span { get; }

    /// <summary>What the node is, for messages: "a scalar", "a list", "a mapping".</summary>
    public abstract string Describe();
}

public sealed class YamlScalar : YamlNode
{
    public YamlScalar(string value, bool isPlain, SourceSpan span) : base(span)
    {
        Value = value;
        IsPlain = isPlain;
    }

    public string Value { get; }

    /// <summary>False when the value was quoted: a quoted "null" or "true" is a string.</summary>
    public bool IsPlain { get; }

    public bool IsNull => IsPlain && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    public override string Describe() => $"the value '{Value}'";
}

public sealed class YamlSequence : YamlNode
{
    public YamlSequence(IReadOnlyList<YamlNode> items, SourceSpan span) : base(span) => Items = items;

    public IReadOnlyList<YamlNode> Items { get; }

    public override string Describe() => "a list";
}

public sealed class YamlMapping : YamlNode
{
    public YamlMapping(IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries, SourceSpan span) : base(span) => Entries = entries;

    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; }

    public override string Describe() => "a mapping";
}
