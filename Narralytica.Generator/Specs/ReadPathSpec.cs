using Narralytica.Schema.Model;

namespace Narralytica.Generator.Specs;

/// <summary>One generated lookup (find by key or a named query): its SQL and its C# signature.</summary>
internal sealed record QuerySpec(
    string MethodName,
    string ConstantName,
    string Summary,
    string Sql,
    EquatableArray<ParameterSpec> Parameters,
    bool SingleRow,
    string BackingIndex);

/// <summary>
/// A parameter of a generated statement, in $n order. <see cref="Argument"/> is the C# expression
/// bound to it: the scope's tenant or one of the method's parameters.
/// </summary>
internal sealed record ParameterSpec(string Name, string ClrType, string Argument, string Doc);

/// <summary>A rebuild feed: its page SQL, the item type and where the versioned rows' columns start.</summary>
internal sealed record FeedSpec(
    string MethodName,
    string ConstantName,
    string ItemName,
    string? Doc,
    string Sql,
    string LatestEntity,
    string LatestTable,
    string LatestProperty,
    int LatestOffset,
    int LatestIdOrdinal,
    string BackingIndex);
