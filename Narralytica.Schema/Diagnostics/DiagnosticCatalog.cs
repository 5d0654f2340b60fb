using System.Collections.Generic;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Diagnostics;

/// <summary>A rule the schema can break; its id never changes meaning.</summary>
public sealed record DiagnosticRule(string Id, string Title, DiagnosticSeverity Severity, string Category)
{
    public SchemaDiagnostic At(SourceSpan span, string message) => new(Id, Severity, message, span);
}

/// <summary>
/// Every diagnostic the schema language reports, in one place. Ranges: 1xxx schema language,
/// 2xxx tenancy and integrity rules (3xxx migrations and 4xxx code usage live with their features).
/// docs/diagnostics.md documents each id.
/// </summary>
public static class DiagnosticCatalog
{
    private const string Language = "Narralytica.Schema";
    private const string Tenancy = "Narralytica.Tenancy";

    public static readonly DiagnosticRule SchemaFile = new("NARR1000", "schema.yaml missing or given twice", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule YamlSyntax = new("NARR1001", "schema.yaml is not valid YAML", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule UnknownKey = new("NARR1002", "Unknown key", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule UnknownType = new("NARR1003", "Unknown column type", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule DuplicateTable = new("NARR1004", "Duplicate table", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule DuplicateColumn = new("NARR1005", "Duplicate column", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule MissingPrimaryKey = new("NARR1006", "Table has no primary key", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule ForeignKeyMissingTable = new("NARR1007", "Foreign key to a missing table", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule ForeignKeyMissingColumn = new("NARR1008", "Foreign key to a missing column", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule ForeignKeyTypeMismatch = new("NARR1009", "Foreign key type mismatch", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule MissingColumn = new("NARR1010", "Index or constraint on a missing column", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule InvalidIdentifier = new("NARR1011", "Invalid identifier", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule ReservedWord = new("NARR1012", "PostgreSQL reserved word used without quoting", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule WrongShape = new("NARR1013", "Value of the wrong shape", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule MissingKey = new("NARR1014", "Required key missing", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule BadEnum = new("NARR1015", "Invalid enum", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule DuplicateName = new("NARR1016", "Duplicate constraint or index name", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule ForeignKeyTargetNotUnique = new("NARR1017", "Foreign key to columns that are not a key", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule EmptySchema = new("NARR1018", "Schema declares no tables", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule NameTooLong = new("NARR1019", "Identifier longer than 63 bytes", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule DuplicateEntityName = new("NARR1020", "Two tables map to the same C# name", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule InvalidDefault = new("NARR1021", "Default or expression cannot be used", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule UnusedKey = new("NARR1022", "Key has no effect here", DiagnosticSeverity.Warning, Language);
    public static readonly DiagnosticRule RepeatedKey = new("NARR1023", "Unique constraint repeats a key", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule BadMaxBytes = new("NARR1024", "max_bytes that cannot apply", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule BadReadPath = new("NARR1030", "Invalid query, feed or versions declaration", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule NoBackingIndex = new("NARR1031", "Query or feed not answered by an index", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule UnboundedWindow = new("NARR1032", "Time-window query without a longest-row check", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule BadStream = new("NARR1035", "Invalid stream declaration", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule UnknownTarget = new("NARR1045", "Unknown target", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule QueueColumnMissing = new("NARR1050", "Queue column missing", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule QueueColumnType = new("NARR1051", "Queue column of the wrong type", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule QueueClaimNotIndexed = new("NARR1052", "Queue claim not served by an index", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule QueueKeyNotIndexed = new("NARR1053", "Queue unique key without its unique index", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule CheckpointColumnMissing = new("NARR1060", "Checkpoint column missing", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule CheckpointColumnType = new("NARR1061", "Checkpoint column of the wrong type", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule CheckpointKeyMissing = new("NARR1062", "Checkpoints without a unique key on (tenant_id, pipeline, stage)", DiagnosticSeverity.Error, Language);
    public static readonly DiagnosticRule RejectedByPostgres = new("NARR1040", "SQL in schema.yaml that PostgreSQL rejects", DiagnosticSeverity.Error, Language);

    public static readonly DiagnosticRule TenantsTableMissing = new("NARR2001", "Tenant-scoped tables need a global 'tenants' table", DiagnosticSeverity.Error, Tenancy);
    public static readonly DiagnosticRule TenantColumnDeclared = new("NARR2002", "tenant_id is added by the convention", DiagnosticSeverity.Error, Tenancy);
    public static readonly DiagnosticRule TenantNotLeading = new("NARR2003", "tenant_id must lead every key and btree index", DiagnosticSeverity.Error, Tenancy);
    public static readonly DiagnosticRule GlobalReferencesTenant = new("NARR2004", "Global table references a tenant-scoped table", DiagnosticSeverity.Error, Tenancy);
    public static readonly DiagnosticRule NullingTenantReference = new("NARR2005", "SET NULL / SET DEFAULT on a tenant foreign key", DiagnosticSeverity.Error, Tenancy);
    public static readonly DiagnosticRule TenantColumnOnGlobal = new("NARR2006", "Global table holds tenant_id", DiagnosticSeverity.Error, Tenancy);
    public static readonly DiagnosticRule IdRule = new("NARR2007", "Ids are client-generated UUIDv7", DiagnosticSeverity.Error, Tenancy);
    public static readonly DiagnosticRule TenantsTableShape = new("NARR2008", "The tenants table must be global with a uuid id", DiagnosticSeverity.Error, Tenancy);
    public static readonly DiagnosticRule CitusQueue = new("NARR2009", "A queue on the Citus target", DiagnosticSeverity.Warning, Tenancy);
    public static readonly DiagnosticRule CitusStream = new("NARR2010", "A stream on the Citus target", DiagnosticSeverity.Warning, Tenancy);
    public static readonly DiagnosticRule QueueOnGlobal = new("NARR2011", "Queue on a global table", DiagnosticSeverity.Error, Tenancy);
    public static readonly DiagnosticRule CheckpointsOnGlobal = new("NARR2015", "Checkpoints on a global table", DiagnosticSeverity.Error, Tenancy);

    public static IReadOnlyList<DiagnosticRule> All { get; } = new[]
    {
        SchemaFile, YamlSyntax, UnknownKey, UnknownType, DuplicateTable, DuplicateColumn, MissingPrimaryKey,
        ForeignKeyMissingTable, ForeignKeyMissingColumn, ForeignKeyTypeMismatch, MissingColumn,
        InvalidIdentifier, ReservedWord, WrongShape, MissingKey, BadEnum, DuplicateName,
        ForeignKeyTargetNotUnique, EmptySchema, NameTooLong, DuplicateEntityName, InvalidDefault, UnusedKey, RepeatedKey, BadMaxBytes,
        BadReadPath, NoBackingIndex, UnboundedWindow, BadStream, QueueColumnMissing, QueueColumnType, QueueClaimNotIndexed, QueueKeyNotIndexed,
        CheckpointColumnMissing, CheckpointColumnType, CheckpointKeyMissing, RejectedByPostgres,
        TenantsTableMissing, TenantColumnDeclared, TenantNotLeading, GlobalReferencesTenant,
        NullingTenantReference, TenantColumnOnGlobal, IdRule, TenantsTableShape, QueueOnGlobal, CheckpointsOnGlobal,
    };
}
