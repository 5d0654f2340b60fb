using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Schema.Model;

/// <summary>
/// The normalized schema: every convention applied (tenant column, id, timestamps, tenant-leading
/// keys), every name resolved. The DDL emitter, the C# emitter and the differ all read this one shape.
/// </summary>
public sealed record SchemaModel(EquatableArray<EnumType> Enums, EquatableArray<Table> Tables)
{
    /// <summary>
    /// Whether the application role has USAGE on the schema the tables live in (without it, its table
    /// privileges reach nothing). schema.yaml always grants it; a snapshot written before grants existed does not.
    /// </summary>
    public bool AppSchemaUsage { get; init; }

    /// <summary>
    /// Whether the schema has the objects tenant isolation relies on: the audit table of the cross-tenant escape
    /// hatch and the procedures that set a transaction's tenant and audit row (<see cref="Narralytica.Schema.Sql.TenantIsolation"/>).
    /// schema.yaml always has them; a snapshot written before row-level security existed does not.
    /// </summary>
    public bool TenantContext { get; init; }

    /// <summary>
    /// Whether every caller has its own lane (<see cref="Narralytica.Schema.Sql.CallerLanes"/>): the roles of the control plane,
    /// the workers and the readers exist with USAGE on the schema and their table privileges, the audited cross-tenant read
    /// belongs to the reader (its functions, its policy) and the application has no cross-tenant policy at all.
    /// schema.yaml always has them; a snapshot written before the lanes existed does not.
    /// </summary>
    public bool Lanes { get; init; }

    /// <summary>The change streams: one publication each, over the tables it lists (schema.yaml's <c>streams:</c>).</summary>
    public EquatableArray<StreamPublication> Streams { get; init; } = EquatableArray<StreamPublication>.Empty;

    /// <summary>
    /// Whether the database accepts a transaction's tenant only with a signed proof (<see cref="Narralytica.Schema.Sql.TenantProof"/>):
    /// the key table, the verifying function, and tenant policies that read it. schema.yaml always has it; a snapshot
    /// written before signed tenants existed does not (its policies read the plain setting).
    /// </summary>
    public bool TenantProof { get; init; }

    /// <summary>
    /// Whether the readers' open-read function refuses a blank (whitespace only) or overlong justification itself
    /// (<see cref="Narralytica.Schema.Sql.CallerLanes.MaxJustificationLength"/>). schema.yaml always has it; a snapshot written
    /// before does not (its function took whatever the audit table's check accepted).
    /// </summary>
    public bool CheckedJustification { get; init; }

    /// <summary>
    /// Whether the signed tenant's verifying function checks the signature before it reads anything else of the proof
    /// (<see cref="Narralytica.Schema.Sql.TenantProof.VerifyBody"/>): the same proofs accepted, for less work per statement.
    /// schema.yaml always has it; a snapshot written before does not (its function checked the format first).
    /// </summary>
    public bool SignatureFirstProof { get; init; }

    /// <summary>
    /// Whether the readers' audit functions check the window at each statement (<c>statement_timestamp()</c>, not the
    /// transaction's start) and the open-read function refuses a login past
    /// <see cref="Narralytica.Schema.Sql.CallerLanes.MaxOpenAuditsPerLogin"/> unexpired rows. schema.yaml always has it; a
    /// snapshot written before does not (its window held for a whole transaction, and opens were unbounded).
    /// </summary>
    public bool BoundedReaderAudit { get; init; }

    /// <summary>
    /// Whether the lanes' sessions are guarded against objects of the caller's making (<see cref="Narralytica.Schema.Sql.SessionGuards"/>):
    /// TEMPORARY on the database taken from PUBLIC and left to the owner, and each lane role's search path pinned with pg_temp last.
    /// schema.yaml always has it; a snapshot written before does not.
    /// </summary>
    public bool GuardedSessions { get; init; }

    /// <summary>
    /// Whether no lane may create or write large objects (<see cref="Narralytica.Schema.Sql.LargeObjectGuards"/>): EXECUTE on
    /// PostgreSQL's large-object functions taken from PUBLIC in the database. schema.yaml always has it; a snapshot written
    /// before does not.
    /// </summary>
    public bool GuardedLargeObjects { get; init; }

    /// <summary>
    /// Whether only the schema's owner may create objects in it (<see cref="Narralytica.Schema.Sql.SchemaCreateGuards"/>):
    /// CREATE on the schema taken from PUBLIC and every lane. schema.yaml always has it; a snapshot written before does not.
    /// </summary>
    public bool GuardedSchemaCreate { get; init; }

    /// <summary>
    /// Where the database runs (schema.yaml's <c>target:</c>): the SQL the migrations and drift write for it. It is
    /// not part of the snapshot, since it says how to change the database, not what the database holds.
    /// </summary>
    public DeploymentTarget Target { get; init; }

    /// <summary>Whether the application role is granted anything at all: then the roles must exist.</summary>
    public bool GrantsToApp => AppSchemaUsage || Lanes || Tables.Any(t => t.AppPrivileges != TablePrivileges.None);

    public Table? FindTable(string name)
    {
        foreach (var table in Tables)
            if (table.Name == name)
                return table;
        return null;
    }

    /// <summary>
    /// The tables by name, for code that looks up many names: one dictionary instead of a
    /// <see cref="FindTable"/> scan per name. Like FindTable, the first table of a name wins.
    /// </summary>
    public Dictionary<string, Table> TablesByName()
    {
        var tables = new Dictionary<string, Table>(System.StringComparer.Ordinal);
        foreach (var table in Tables)
            if (!tables.ContainsKey(table.Name))
                tables.Add(table.Name, table);
        return tables;
    }

    public EnumType? FindEnum(string name)
    {
        foreach (var enumType in Enums)
            if (enumType.Name == name)
                return enumType;
        return null;
    }
}

/// <summary>A PostgreSQL enum type; values keep their declared order (PostgreSQL sorts by it).</summary>
public sealed record EnumType(string Name, EquatableArray<string> Values, string? Doc, SourceSpan Span);

public enum TableScope
{
    /// <summary>Rows belong to one tenant: tenant_id leads every key and every reference.</summary>
    Tenant,

    /// <summary>Rows shared by every tenant (users, roles, permissions, tenants).</summary>
    Global,
}

public sealed record Table(
    string Name,
    TableScope Scope,
    string? Doc,
    string? EntityName,
    bool AppendOnly,
    bool Quoted,
    EquatableArray<Column> Columns,
    PrimaryKey PrimaryKey,
    EquatableArray<UniqueConstraint> Uniques,
    EquatableArray<CheckConstraint> Checks,
    EquatableArray<ForeignKey> ForeignKeys,
    EquatableArray<Index> Indexes,
    SourceSpan Span)
{
    public bool IsTenantScoped => Scope == TableScope.Tenant;

    /// <summary>
    /// The table's former name (<c>renamed_from:</c>), a hint for the migration differ only: it turns a
    /// drop plus a create into <c>ALTER TABLE … RENAME</c>. Not part of the database, not in the snapshot.
    /// </summary>
    public string? RenamedFrom { get; init; }

    /// <summary><c>versions:</c>, when the table keeps versions of one thing; see <see cref="Versioning"/>.</summary>
    public Versioning? Versions { get; init; }

    /// <summary>The named queries (<c>queries:</c>); generated helpers, not part of the database.</summary>
    public EquatableArray<NamedQuery> Queries { get; init; } = EquatableArray<NamedQuery>.Empty;

    /// <summary>The rebuild feeds (<c>feeds:</c>); generated helpers, not part of the database.</summary>
    public EquatableArray<Feed> Feeds { get; init; } = EquatableArray<Feed>.Empty;

    /// <summary>
    /// What the application role (<see cref="Narralytica.Schema.Sql.DatabaseRoles.App"/>) may do with the table's rows:
    /// <see cref="TablePrivilegeNames.ForApplication"/> of <see cref="AppendOnly"/> in schema.yaml, as granted in a live database.
    /// </summary>
    public TablePrivileges AppPrivileges { get; init; }

    /// <summary>What the control plane's role (<see cref="Narralytica.Schema.Sql.DatabaseRoles.Control"/>) may do: <see cref="LanePrivileges.Control"/>.</summary>
    public TablePrivileges ControlPrivileges { get; init; }

    /// <summary>What the workers' role (<see cref="Narralytica.Schema.Sql.DatabaseRoles.Worker"/>) may do: <see cref="LanePrivileges.Worker"/>.</summary>
    public TablePrivileges WorkerPrivileges { get; init; }

    /// <summary>
    /// The columns the workers' role may UPDATE where it holds no table-wide UPDATE: on a queue table, which it updates across
    /// tenants, the job's state columns only (<see cref="LanePrivileges.CrossTenantUpdatableColumns"/>). Empty elsewhere.
    /// </summary>
    public EquatableArray<string> WorkerUpdateColumns { get; init; } = EquatableArray<string>.Empty;

    /// <summary>What the readers' role (<see cref="Narralytica.Schema.Sql.DatabaseRoles.Reader"/>) may do: <see cref="LanePrivileges.Reader"/>.</summary>
    public TablePrivileges ReaderPrivileges { get; init; }

    /// <summary>
    /// <c>queue: true</c>: a tenant table of work that workers claim across tenants (<c>SELECT … FOR UPDATE SKIP LOCKED</c>)
    /// and finish; its row-level security adds the workers' policies (<see cref="Narralytica.Schema.Sql.CallerLanes"/>).
    /// </summary>
    public bool Queue { get; init; }

    /// <summary>
    /// The queue's columns by role (<c>queue:</c> of schema.yaml; <c>queue: true</c> names the conventional ones), which the
    /// runtime's queue SQL and the queue's functions are written from. Null on a table that is no queue, on a model read
    /// back from a live catalog, which knows of the queue only through its policies (<see cref="Queue"/>), and on one read
    /// from a snapshot written before the queue's functions (a snapshot since keeps the columns with the functions).
    /// </summary>
    public QueueDeclaration? QueueColumns { get; init; }

    /// <summary>
    /// On a queue table, what its workers' functions are (<see cref="Narralytica.Schema.Sql.QueueFunctions.Fingerprint"/>),
    /// which the snapshot keeps so that a migration replaces them when they change. Empty on a table that is no queue, and
    /// on a queue of a schema from before the functions, whose workers held policies of their own.
    /// </summary>
    public string QueueFunctions { get; init; } = "";

    /// <summary>
    /// The pipeline checkpoints' columns by role (<c>checkpoints:</c> of schema.yaml), which the generated checkpoint API is
    /// written from. Null on a table without it, and on a model read back from a snapshot or a live catalog: it declares
    /// no database object.
    /// </summary>
    public CheckpointDeclaration? CheckpointColumns { get; init; }

    /// <summary>
    /// Whether row-level security is enabled and forced on the table, with the tenant policies of
    /// <see cref="Narralytica.Schema.Sql.TenantIsolation"/>: every tenant-scoped table in schema.yaml.
    /// </summary>
    public bool RowSecurity { get; init; }

    public Column? FindColumn(string name)
    {
        foreach (var column in Columns)
            if (column.Name == name)
                return column;
        return null;
    }
}

/// <summary>Where a column came from: written in schema.yaml or added by a convention.</summary>
public enum ColumnOrigin
{
    Declared,
    TenantConvention,
    IdConvention,
    TimestampConvention,
}

public sealed record Column(
    string Name,
    PgType Type,
    bool Nullable,
    string? Default,
    string? Doc,
    ColumnOrigin Origin,
    bool Quoted,
    SourceSpan Span)
{
    /// <summary>The column's former name (<c>renamed_from:</c>); a differ hint like <see cref="Table.RenamedFrom"/>.</summary>
    public string? RenamedFrom { get; init; }

    /// <summary>
    /// The largest value the column accepts, in bytes (<c>max_bytes:</c>), as schema.yaml declares it. The database
    /// enforces it with a check of <see cref="Table.Checks"/> (<see cref="Narralytica.Schema.Sql.MaxBytesCheck"/>), which is
    /// what snapshots, the catalog and the differ compare; a model read back from them leaves this null.
    /// </summary>
    public int? MaxBytes { get; init; }
}

public sealed record PrimaryKey(string Name, EquatableArray<string> Columns, SourceSpan Span);

public sealed record UniqueConstraint(string Name, EquatableArray<string> Columns, SourceSpan Span);

public sealed record CheckConstraint(string Name, string Expression, SourceSpan Span);

public enum OnDelete
{
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

public sealed record ForeignKey(
    string Name,
    EquatableArray<string> Columns,
    string ReferencedTable,
    EquatableArray<string> ReferencedColumns,
    OnDelete OnDelete,
    SourceSpan Span);

public enum IndexMethod
{
    Btree,
    Hash,
    Gin,
    Gist,
    Brin,
}

public sealed record IndexColumn(string Name, bool Descending, NullsOrder Nulls);

public enum NullsOrder
{
    Default,
    First,
    Last,
}

public sealed record Index(
    string Name,
    EquatableArray<IndexColumn> Columns,
    bool Unique,
    IndexMethod Method,
    string? Where,
    EquatableArray<string> Include,
    SourceSpan Span);
