using Narralytica.Schema.Model;

namespace Narralytica.Generator.Specs;

/// <summary>
/// Everything one entity (one table) needs, resolved to C# names and types. Holds no reference to
/// the rest of the schema, so an edit to one table leaves the other tables' steps cached.
/// </summary>
// OwnTransaction: on the Citus target, a tenant table's reads run in a transaction of their own when the caller has none
// (Citus sends the tenant's SET LOCAL to the worker with the remote BEGIN, which it opens only inside a transaction block).
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
    string? BulkInsertSql,
    EquatableArray<QuerySpec> Queries,
    EquatableArray<FeedSpec> Feeds,
    bool OwnTransaction = false,
    CitusBulkInsertSpec? CitusBulkInsert = null);

/// <summary>
/// On the Citus target, the statement of a tenant table's <c>BulkInsertAsync</c>
/// (<see cref="Narralytica.Schema.Sql.Citus.CitusBulkInsert"/>): its start up to <c>VALUES </c>, how each row names its
/// tenant, the parameters of a row and the rows of a full statement.
/// </summary>
internal sealed record CitusBulkInsertSpec(string Head, string RowTenant, int ParametersPerRow, int RowsPerStatement);

/// <summary>One column as a C# property. Texts are plain (the emitters escape them); types are <see cref="TypeSpec"/>s.</summary>
internal sealed record PropertySpec(
    string Name,
    string ColumnName,
    TypeSpec Type,
    string SqlType,
    bool CanBeNull,
    int PrimaryKeyOrder,
    string? DefaultSql,
    DefaultValueSpec? Default,
    InsertFill OnInsert,
    bool StampedOnUpdate,
    string? Doc);

/// <summary>
/// A value's type as data: the column type's kind, whether it is an array, and for an enum its PostgreSQL
/// and C# names. The emitters turn it into a C# type name or an NpgsqlDbType.
/// </summary>
internal sealed record TypeSpec(PgTypeKind Kind, bool IsArray, string? EnumSqlName, string? EnumName);

/// <summary>What the generated insert fills in when the row leaves the value unset.</summary>
internal enum InsertFill
{
    None,
    /// <summary>A new UUIDv7 (the id convention).</summary>
    NewId,
    /// <summary>The row clock's now (timestamp conventions and columns defaulting to now()).</summary>
    Now,
}

/// <summary>
/// A column default that has a C# equivalent, so a row built in C# starts with the value the database would give
/// it: a number, a boolean, a text (unquoted) or an enum member (its C# name).
/// </summary>
internal sealed record DefaultValueSpec(DefaultValueKind Kind, string Value);

internal enum DefaultValueKind
{
    Number,
    Boolean,
    Text,
    EnumMember,
}

/// <summary>
/// A navigation property backed by a foreign key: to the referenced row (one) or, on the
/// referenced side, to the referencing rows (many). Keys are C# property names;
/// <see cref="OtherTable"/> and <see cref="KeyColumns"/> (the referencing columns, as written) are for its documentation.
/// </summary>
internal sealed record AssociationSpec(
    string PropertyName,
    string TargetEntity,
    EquatableArray<string> ThisKeys,
    EquatableArray<string> OtherKeys,
    bool IsMany,
    bool CanBeNull,
    string OtherTable,
    string KeyColumns);

/// <summary>A PostgreSQL enum as a C# enum.</summary>
internal sealed record EnumSpec(string Namespace, string Name, string SqlName, string? Doc, EquatableArray<EnumMemberSpec> Members);

internal sealed record EnumMemberSpec(string Name, string Value);

/// <summary>What the shared files need: every entity and enum, and the DDL.</summary>
internal sealed record ModelSpec(
    string Namespace,
    EquatableArray<EntitySpec> Entities,
    EquatableArray<EnumSpec> Enums,
    EquatableArray<string> DdlStatements,
    string DdlScript)
{
    /// <summary>The change streams (<c>streams:</c> of schema.yaml), each with the entities of its tables.</summary>
    public EquatableArray<StreamSpec> Streams { get; init; } = EquatableArray<StreamSpec>.Empty;

    /// <summary>True for schema.yaml's <c>target: citus</c>: the runtime then sets the tenant by the procedure (see the binding).</summary>
    public bool SetsTenantByProcedure { get; init; }
}
