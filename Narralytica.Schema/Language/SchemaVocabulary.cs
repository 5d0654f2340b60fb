using System.Collections.Generic;

namespace Narralytica.Schema.Language;

/// <summary>
/// The words of schema.yaml: the keys the parser accepts in each kind of mapping, and the values of its closed choices.
/// The parser checks schema.yaml against these very lists, and the JSON Schema for editors is written from them, so
/// the two cannot disagree.
/// </summary>
public static class SchemaVocabulary
{
    /// <summary>The top level of schema.yaml.</summary>
    public static IReadOnlyList<string> RootKeys { get; } = new[] { "target", "enums", "tables", "streams" };

    /// <summary>An enum written as a mapping (the short form is the list of its values).</summary>
    public static IReadOnlyList<string> EnumKeys { get; } = new[] { "values", "doc" };

    /// <summary>A stream of <c>streams:</c> (the short form is its list of tables).</summary>
    public static IReadOnlyList<string> StreamKeys { get; } = new[] { "doc", "tables" };

    /// <summary>A table.</summary>
    public static IReadOnlyList<string> TableKeys { get; } = new[] { "scope", "doc", "entity", "append_only", "queue", "checkpoints", "quote", "timestamps", "columns", "primary_key", "unique", "checks", "indexes", "renamed_from", "versions", "queries", "feeds" };

    /// <summary>A column written as a mapping (the short form is its type).</summary>
    public static IReadOnlyList<string> ColumnKeys { get; } = new[] { "type", "nullable", "default", "doc", "references", "on_delete", "unique", "check", "max_bytes", "quote", "renamed_from" };

    /// <summary>An index written as a mapping (the short form is its column list).</summary>
    public static IReadOnlyList<string> IndexKeys { get; } = new[] { "columns", "name", "unique", "where", "include", "using" };

    /// <summary>A unique constraint written as a mapping (the short form is its column list).</summary>
    public static IReadOnlyList<string> UniqueKeys { get; } = new[] { "columns", "name" };

    /// <summary>The <c>versions</c> of a table.</summary>
    public static IReadOnlyList<string> VersionsKeys { get; } = new[] { "of", "by" };

    /// <summary>The <c>queue</c> of a table written as a mapping: the column of each role (the short form is <c>true</c>).</summary>
    public static IReadOnlyList<string> QueueKeys { get; } = Model.QueueRoles.All;

    /// <summary>The <c>checkpoints</c> of a table written as a mapping: the column of each role (the short form is <c>true</c>).</summary>
    public static IReadOnlyList<string> CheckpointKeys { get; } = Model.CheckpointRoles.All;

    /// <summary>A query of a table's <c>queries</c>.</summary>
    public static IReadOnlyList<string> QueryKeys { get; } = new[] { "doc", "match", "many", "overlaps", "order_by", "latest" };

    /// <summary>A feed of a table's <c>feeds</c>.</summary>
    public static IReadOnlyList<string> FeedKeys { get; } = new[] { "doc", "latest_of" };

    /// <summary>The values of the top-level <c>target</c>: where the database runs.</summary>
    public static IReadOnlyList<string> TargetValues { get; } = new[] { "postgres", "citus" };

    /// <summary>The values of a table's <c>scope</c>.</summary>
    public static IReadOnlyList<string> ScopeValues { get; } = new[] { "tenant", "global" };

    /// <summary>The values of a table's <c>timestamps</c>.</summary>
    public static IReadOnlyList<string> TimestampsValues { get; } = new[] { "true", "false", "created" };

    /// <summary>The values of a column's <c>on_delete</c>.</summary>
    public static IReadOnlyList<string> OnDeleteValues { get; } = new[] { "no_action", "restrict", "cascade", "set_null", "set_default" };

    /// <summary>The values of an index's <c>using</c>.</summary>
    public static IReadOnlyList<string> IndexMethods { get; } = new[] { "btree", "hash", "gin", "gist", "brin" };
}
