using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Data;
using LinqToDB.DataProvider.PostgreSQL;
using LinqToDB.Mapping;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// A connection to the Narralytica database. It reads the global tables (users, roles, permissions, tenants, …),
/// which only the control plane writes (<see cref="ControlPlane"/>); tenant-scoped tables are reached only through
/// <see cref="ForTenant"/> (or, for readers, <see cref="AcrossTenants"/>), whose statements name their tenant to the
/// database per transaction. What it offers follows the lane its data source was created for (<see cref="Lane"/>).
/// </summary>
/// <example>
/// <code>
/// await using var dataSource = NarralyticaDb.CreateDataSource(connectionString, TenantKey.FromBase64(keyId, keySecret));
/// await using var db = new NarralyticaDb(dataSource);
/// var scope = db.ForTenant(tenantId);
/// var segments = await scope.Segments.Where(s => s.TranscriptId == id).OrderBy(s => s.Ordinal).ToListAsync();
/// </code>
/// </example>
public sealed partial class NarralyticaDb : DataConnection
{
    // Built at first use, from the schema the generated layer registered (SchemaBindings).
    private static readonly Lazy<MappingSchema> Mapping = new(CreateMappingSchema);

    /// <summary>A connection from <paramref name="dataSource"/>, which must come from one of the <c>CreateDataSource</c> overloads (with a tenant key for tenant scopes).</summary>
    public NarralyticaDb(NpgsqlDataSource dataSource) : base(CreateOptions(dataSource))
    {
        DataSource = dataSource;
        Lane = DataSourceLanes.Of(dataSource);
        _proofs = TenantProofs.Of(dataSource);
    }

    /// <summary>The caller this connection serves: the lane its data source was created for.</summary>
    public DatabaseLane Lane { get; }

    /// <summary>
    /// The global tables to write, on a connection of the control plane's lane only: created with
    /// <c>CreateDataSource(…, lane: DatabaseLane.ControlPlane)</c>, connecting as a login of <c>narralytica_control</c> (a member of the role).
    /// </summary>
    public ControlPlane ControlPlane => Lane == DatabaseLane.ControlPlane
        ? new ControlPlane(this)
        : throw new InvalidOperationException(
            $"Writing global tables (users, roles, permissions, tenants, …) is the control plane's: this connection's data source serves {Lane}. " +
            "Create a data source with NarralyticaDb.CreateDataSource(connectionString, lane: DatabaseLane.ControlPlane), connecting as a login that is a member of narralytica_control.");

    private readonly TenantProofs? _proofs;

    /// <summary>The proof this connection gives the database for <paramref name="tenant"/>: the database accepts no tenant without one.</summary>
    internal string ProofFor(Guid tenant)
        => (_proofs ?? throw new InvalidOperationException(
                "This data source has no tenant key, and the database accepts a tenant only with a proof signed by one. Create the data source with " +
                "NarralyticaDb.CreateDataSource(connectionString, TenantKey.FromBase64(id, secret)), with a key the database owner installed " +
                "(`narralytica tenant-key new` makes one and prints how to install it)."))
            .For(tenant);

    /// <summary>Where this connection comes from; the escape hatch records its audit row on another connection of it.</summary>
    internal NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// A data source for <paramref name="connectionString"/> that knows the schema's enum types.
    /// Keep one per application and dispose it at shutdown; connections are pooled inside it.
    /// </summary>
    /// <param name="connectionString">The database to use.</param>
    /// <param name="configure">Further Npgsql settings, applied after the schema's own.</param>
    /// <param name="schema">
    /// The PostgreSQL schema holding the tables. When given, the connections use it as their search path (a connection
    /// string that sets another first schema is refused). When not given, the first schema of the connection string's
    /// <c>Search Path</c>, else <c>public</c>. Enum types are mapped in this schema only, so the same tables may exist in
    /// other schemas of the database (staging, one schema per branch).
    /// </param>
    /// <param name="lane">The caller its connections serve (<see cref="Lane"/>); connect as a login that is a member of that lane's role (the lane roles are NOLOGIN).</param>
    /// <remarks>
    /// A data source made so has no tenant key: it reaches the global tables, and a superuser or a role that bypasses
    /// row-level security reaches every table; a tenant scope's statements need one of the overloads with keys.
    /// </remarks>
    public static NpgsqlDataSource CreateDataSource(string connectionString, Action<NpgsqlDataSourceBuilder>? configure = null, string? schema = null,
        DatabaseLane lane = DatabaseLane.Requests)
        => Build(connectionString, configure, schema, lane);

    /// <summary>
    /// A data source for <paramref name="connectionString"/> whose tenant scopes prove their tenant with proofs signed by
    /// <paramref name="tenantKey"/> (installed in the database by its owner). See the other overload for the rest.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, TenantKey tenantKey, Action<NpgsqlDataSourceBuilder>? configure = null, string? schema = null,
        DatabaseLane lane = DatabaseLane.Requests)
    {
        ArgumentNullException.ThrowIfNull(tenantKey);
        return CreateDataSource(connectionString, new[] { tenantKey }, configure, schema, lane);
    }

    /// <summary>
    /// A data source whose tenant scopes sign with the newest of <paramref name="tenantKeys"/> that is active
    /// (<see cref="TenantKey.ActiveFrom"/>): two keys make a rotation, the new one taking over at its time. The database
    /// accepts a proof of any installed key until that key expires there.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, IEnumerable<TenantKey> tenantKeys, Action<NpgsqlDataSourceBuilder>? configure = null, string? schema = null,
        DatabaseLane lane = DatabaseLane.Requests)
    {
        ArgumentNullException.ThrowIfNull(tenantKeys);
        var proofs = new TenantProofs(tenantKeys);
        var dataSource = Build(connectionString, configure, schema, lane);
        TenantProofs.Register(dataSource, proofs);
        return dataSource;
    }

    private static NpgsqlDataSource Build(string connectionString, Action<NpgsqlDataSourceBuilder>? configure, string? schema, DatabaseLane lane)
    {
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(
                $"The connection string is not valid: {e.Message} Write it as 'Host=…;Port=5432;Database=…;Username=…;Password=…'.", nameof(connectionString), e);
        }
        var tableSchema = TableSchema.Resolve(schema, parsed.SearchPath);
        if (schema is not null && !string.IsNullOrWhiteSpace(parsed.SearchPath) && TableSchema.Resolve(null, parsed.SearchPath) != schema)
            throw new ArgumentException(
                $"The connection string's Search Path ({parsed.SearchPath}) does not start with the schema \"{schema}\" the tables are said to be in. Drop Search Path from the connection string, or put \"{schema}\" first.", nameof(schema));
        // Always set, pg_temp last: neither the role's default nor pg_temp's implicit first place decides what the SQL finds.
        parsed.SearchPath = string.IsNullOrWhiteSpace(parsed.SearchPath)
            ? TableSchema.AsSearchPath(tableSchema)
            : TableSchema.WithTemporaryLast(parsed.SearchPath);
        var builder = new NpgsqlDataSourceBuilder(parsed.ConnectionString);
        SchemaBindings.Current.MapEnums(builder, tableSchema + ".");
        configure?.Invoke(builder);
        var dataSource = builder.Build();
        DataSourceLanes.Remember(dataSource, lane);
        return dataSource;
    }

    /// <summary>
    /// linq2db options for <paramref name="dataSource"/>, with the schema's type mappings and the interceptor that
    /// gives each command of a tenant scope its tenant, for the command's transaction only.
    /// </summary>
    public static DataOptions CreateOptions(NpgsqlDataSource dataSource)
        => new DataOptions()
            .UseConnectionFactory(PostgreSQLTools.GetDataProvider(PostgreSQLVersion.v15), _ => dataSource.CreateConnection())
            .UseMappingSchema(Mapping.Value)
            .UseInterceptor(TenantCommandInterceptor.Instance);

    /// <summary>
    /// The tenant-scoped tables of one tenant. Every query made through the scope filters on
    /// <paramref name="tenantId"/>; every insert is stamped with it; a row of another tenant is refused.
    /// </summary>
    public TenantScope ForTenant(Guid tenantId)
    {
        if (tenantId == Guid.Empty)
            throw new ArgumentException("A tenant scope needs a tenant id; Guid.Empty names no tenant.", nameof(tenantId));
        return new TenantScope(this, tenantId);
    }

    /// <summary>
    /// The one way to read tenant-scoped tables across tenants (rebuilds of derived systems such as search), on a
    /// connection of the readers' lane only (<c>CreateDataSource(…, lane: DatabaseLane.Reader)</c>, connecting as
    /// <c>narralytica_reader</c>). It is meant to stand out in review: say why in <paramref name="justification"/>. The
    /// database records the access first, committed at once on a connection of its own (so a rollback of this
    /// connection's transaction cannot erase the trace): <c>narralytica_open_cross_tenant_read</c> writes the row of
    /// <c>narralytica_cross_tenant_audits</c> with the justification, the login, the time and an expiry a few minutes
    /// later, all filled by the database; its id is <see cref="CrossTenantAccess.AuditId"/>. The access reads only, and
    /// only until the row expires: open a new one for a longer read.
    /// </summary>
    public CrossTenantAccess AcrossTenants(string justification)
    {
        RequireReader(justification);
        using var connection = DataSource.OpenConnection();
        using var open = AuditOpen(connection, justification);
        return new CrossTenantAccess(this, justification, (Guid)open.ExecuteScalar()!);
    }

    /// <summary>The asynchronous <see cref="AcrossTenants"/>.</summary>
    public async Task<CrossTenantAccess> AcrossTenantsAsync(string justification, CancellationToken cancellationToken = default)
    {
        RequireReader(justification);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var open = AuditOpen(connection, justification);
        return new CrossTenantAccess(this, justification, (Guid)(await open.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
    }

    private void RequireReader(string justification)
    {
        if (Lane != DatabaseLane.Reader)
            throw new InvalidOperationException(
                $"Reading across tenants is the readers' (derived systems, audited): this connection's data source serves {Lane}. " +
                "Create a data source with NarralyticaDb.CreateDataSource(connectionString, lane: DatabaseLane.Reader), connecting as a login that is a member of narralytica_reader.");
        if (string.IsNullOrWhiteSpace(justification))
            throw new ArgumentException("Say why this code needs every tenant's rows; the justification is kept with the access (a blank one, whitespace only, is refused).", nameof(justification));
        var length = justification.EnumerateRunes().Count();
        if (length > TenantContext.MaxJustificationLength)
            throw new ArgumentException(
                $"The justification has {length} characters; at most {TenantContext.MaxJustificationLength} are kept with the access. " +
                "Say in a sentence why this code needs every tenant's rows, and point to a ticket for the details.", nameof(justification));
    }

    // The database writes the row and says who, when and until when: the caller only gives its reason.
    private static NpgsqlCommand AuditOpen(NpgsqlConnection connection, string justification)
        => new("SELECT " + TenantContext.OpenCrossTenantReadFunction + "($1)", connection)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = justification } },
        };

    private static MappingSchema CreateMappingSchema()
    {
        var schema = new MappingSchema("Narralytica");
        SchemaBindings.Current.ConfigureMappingSchema(schema);
        return schema;
    }
}
