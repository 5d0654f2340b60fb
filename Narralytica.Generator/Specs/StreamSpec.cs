using Narralytica.Schema.Model;

namespace Narralytica.Generator.Specs;

/// <summary>
/// A change stream of schema.yaml as C# needs it: the property of <c>NarralyticaStreams</c> that names it, its
/// publication, and for each published table the entity its change events carry.
/// </summary>
internal sealed record StreamSpec(string PropertyName, string Publication, string? Doc, EquatableArray<StreamTableSpec> Tables);

/// <summary>One published table: its entity, and the properties its decoder fills from pgoutput's values.</summary>
internal sealed record StreamTableSpec(string TableName, string EntityName, bool IsTenantScoped, EquatableArray<PropertySpec> Properties);
