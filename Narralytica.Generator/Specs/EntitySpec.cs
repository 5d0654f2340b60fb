using Narralytica.Schema.Model;

namespace Narralytica.Generator.Specs;

/// <summary>
/// Everything one entity (one table) needs, resolved to C# names and types. Holds no reference to
/// the rest of the schema, so an edit to one table leaves the other tables' steps cached.
/// </summary>
internal sealed record EntitySpec(
    string Namespace,
    string EntityName,
    string CollectionName,
    string TableName,
    string? Doc,
    bool IsTenantScoped,
    bool AppendOnly,
    EquatableArray<PropertySpec> Properties,
    EquatableArray<AssociationSpec> Associations,
    QuerySpec Find,
    string CopySql,
    StagedCopySpec? StagedCopy,
    EquatableArray<QuerySpec> Queries,
    EquatableArray<FeedSpec> Feeds)
{
    public string FullName => $"global::{Namespace}.{EntityName}";
}

/// <summary>
/// BulkInsertAsync on a tenant table: PostgreSQL refuses COPY FROM into a table with row-level security, so the
/// rows are copied into a temporary table of the same columns, then moved with one INSERT the policies check.
/// </summary>
internal sealed record StagedCopySpec(string Create, string Copy, string Insert, string Drop);

/// <summary>One column as a C# property.</summary>
internal sealed record PropertySpec(
    string Name,
    string ColumnName,
    string ClrType,
    string SqlType,
    bool CanBeNull,
    bool IsJson,
    int PrimaryKeyOrder,
    string? DefaultSql,
    string? DefaultInitializer,
    bool DefaultsToNow,
    ColumnOrigin Origin,
    string? Doc,
    string CopyType)
{
    /// <summary>The property type without <c>?</c>: what a reader or a parameter handles.</summary>
    public string ValueType => ClrType.TrimEnd('?');
}

/// <summary>
/// A navigation property backed by a foreign key: to the referenced row (one) or, on the
/// referenced side, to the referencing rows (many). Keys are C# property names.
/// </summary>
internal sealed record AssociationSpec(
    string PropertyName,
    string TargetEntity,
    EquatableArray<string> ThisKeys,
    EquatableArray<string> OtherKeys,
    bool IsMany,
    bool CanBeNull,
    string Summary);

/// <summary>A PostgreSQL enum as a C# enum.</summary>
internal sealed record EnumSpec(string Namespace, string Name, string SqlName, string? Doc, EquatableArray<EnumMemberSpec> Members);

internal sealed record EnumMemberSpec(string Name, string Value);

/// <summary>What the shared files need: every entity and enum, and the DDL.</summary>
internal sealed record ModelSpec(
    string Namespace,
    EquatableArray<EntitySpec> Entities,
    EquatableArray<EnumSpec> Enums,
    EquatableArray<string> DdlStatements,
    string DdlScript);
