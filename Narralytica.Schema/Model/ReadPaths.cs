namespace Narralytica.Schema.Model;

/// <summary>
/// <c>versions:</c> of a table: rows that share the <see cref="Of"/> columns are versions of one thing
/// (a segment's summary layer), and the one with the highest <see cref="By"/> is the latest.
/// </summary>
public sealed record Versioning(EquatableArray<string> Of, string By, SourceSpan Span);

/// <summary>
/// A named query of <c>queries:</c>: equality on <see cref="Match"/> (one of them, <see cref="Many"/>,
/// taking a set of values), an optional time window, an order, or the latest version per group. Each
/// becomes a generated helper with hand-written SQL and a typed reader, backed by an index.
/// </summary>
public sealed record NamedQuery(
    string Name,
    string? Doc,
    EquatableArray<string> Match,
    string? Many,
    WindowOverlap? Overlaps,
    EquatableArray<IndexColumn> OrderBy,
    bool Latest,
    SourceSpan Span)
{
    /// <summary>Set by validation: the index (or key) that answers the query.</summary>
    public string? BackingIndex { get; init; }

    /// <summary>Set by validation: the query matches a whole key, so it returns at most one row.</summary>
    public bool SingleRow { get; init; }
}

/// <summary>
/// <c>overlaps: [start, end]</c>: rows whose [start, end) overlaps the caller's [from, to). The scan is
/// bounded from below by <see cref="MaxLength"/>, read from the table's check <c>end - start &lt;= N</c>.
/// </summary>
public sealed record WindowOverlap(string Start, string End, long MaxLength, string CheckName);

/// <summary>
/// A rebuild feed of <c>feeds:</c>: every row of a tenant in key order, each with the latest version of
/// every group of <see cref="LatestOf"/>'s rows that reference it; read page by page, resumable from a row id.
/// </summary>
public sealed record Feed(string Name, string? Doc, string LatestOf, SourceSpan Span)
{
    /// <summary>Set by validation: the column of <see cref="LatestOf"/> that references the feed's table.</summary>
    public string? ReferencingColumn { get; init; }
}
