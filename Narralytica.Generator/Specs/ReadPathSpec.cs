using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Generator.Specs;

/// <summary>
/// One generated lookup (find by key, or a named query of schema.yaml when <see cref="QueryName"/> is set): its SQL
/// and its C# signature. <see cref="Doc"/> is schema.yaml's text, plain.
/// </summary>
internal sealed record QuerySpec(
    string MethodName,
    string ConstantName,
    string? QueryName,
    string? Doc,
    string Sql,
    EquatableArray<ParameterSpec> Parameters,
    bool SingleRow,
    string BackingIndex);

/// <summary>
/// A parameter of a generated statement, in $n order: its role, the column it is compared with (none for a page
/// size), its C# name (unescaped) and the type of one value; a <see cref="ParameterRole.Many"/> parameter takes an array of them.
/// </summary>
internal sealed record ParameterSpec(ParameterRole Role, string? Column, string Name, TypeSpec Type);

/// <summary>
/// A rebuild feed: its page SQL and parameters, the item type, where the feed row's id is read (the cursor) and
/// where the versioned rows' columns start.
/// </summary>
internal sealed record FeedSpec(
    string MethodName,
    string ConstantName,
    string ItemName,
    string? Doc,
    string Sql,
    EquatableArray<ParameterSpec> Parameters,
    string RowIdProperty,
    TypeSpec RowIdType,
    int RowIdOrdinal,
    string LatestEntity,
    string LatestTable,
    string LatestProperty,
    int LatestOffset,
    int LatestIdOrdinal,
    string BackingIndex,
    CitusFeedLatestSpec? CitusLatest = null);

/// <summary>
/// On the Citus target, a feed's page is two statements Citus routes in a generic plan too: <see cref="FeedSpec.Sql"/>
/// reads the rows alone, then this reads the latest versions of the page's ids (ordered by the row they reference, read
/// at <see cref="ReferencingOrdinal"/>) and they are matched in memory.
/// </summary>
internal sealed record CitusFeedLatestSpec(string ConstantName, string Sql, EquatableArray<ParameterSpec> Parameters, int ReferencingOrdinal);
