using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Database.Catalog;

/// <summary>A row-level security policy as the catalog has it; its conditions as PostgreSQL re-prints them.</summary>
public sealed record PolicyDefinition(string Name, string Command, bool Permissive, string Roles, string? Using, string? WithCheck);

/// <summary>A procedure of the tenant context: its identity arguments (<c>IN tenant uuid</c>) and the rest of its definition in one text.</summary>
public sealed record RoutineDefinition(string Name, string Arguments, string Definition);

/// <summary>Row-level security of one table: enabled, forced, and its policies by name.</summary>
public sealed record TableRowSecurity(bool Enabled, bool Forced, IReadOnlyList<PolicyDefinition> Policies)
{
    public static TableRowSecurity None { get; } = new(false, false, new List<PolicyDefinition>());

    public PolicyDefinition? Find(string name) => Policies.FirstOrDefault(p => p.Name == name);

    /// <summary>
    /// What <see cref="Table.RowSecurity"/> means in a live database: enabled and forced, with the tenant policies of
    /// <see cref="TenantIsolation"/> present for every role (PUBLIC), permissive, on their command (ALL, and SELECT for
    /// the escape hatch's, which exists only with the tenant context). Their conditions are compared by drift, with
    /// those PostgreSQL prints for a scratch build of schema.yaml.
    /// </summary>
    public bool IsComplete(bool tenantContext, bool lanes)
        => Enabled && Forced && Has(TenantIsolation.TenantPolicy, "ALL", "public")
           && (!tenantContext || (lanes ? Has(CallerLanes.ReaderReadPolicy, "SELECT", DatabaseRoles.Reader) : Has(TenantIsolation.CrossTenantReadPolicy, "SELECT", "public")));

    private bool Has(string name, string command, string roles) => Find(name) is { Permissive: true } policy && policy.Roles == roles && policy.Command == command;
}

/// <summary>
/// The tenant isolation of a live schema (<see cref="TenantIsolation"/>): whether the audit table of cross-tenant
/// reads exists and what the application role holds on it, the context's procedures, and each table's row-level security.
/// </summary>
public sealed record IsolationCatalog(
    bool AuditTable,
    IReadOnlyDictionary<string, TablePrivileges> AuditTablePrivileges,
    IReadOnlyList<string> SchemaUsage,
    IReadOnlyList<RoutineDefinition> Procedures,
    IReadOnlyDictionary<string, TableRowSecurity> Tables)
{
    /// <summary>The signed tenant's objects (<see cref="TenantProof"/>).</summary>
    public ProofCatalog Proof { get; init; } = ProofCatalog.None;

    public static readonly string[] ProcedureNames = { TenantIsolation.SetTenantProcedure, TenantIsolation.SetAuditProcedure };

    /// <summary>The routines of the isolation: the two procedures of the tenant context and the readers' two functions.</summary>
    public static readonly string[] ContextRoutineNames = ProcedureNames.Concat(CallerLanes.FunctionNames).ToArray();

    /// <summary>The routines drift reads and compares: those of the isolation, and the queue's functions (<see cref="QueueFunctions"/>).</summary>
    public static readonly string[] RoutineNames = ContextRoutineNames.Concat(QueueFunctions.Names).ToArray();

    /// <summary>The tenant context exists when the audit table and both procedures do (whatever their definitions, which drift compares).</summary>
    public bool TenantContext => AuditTable && ProcedureNames.All(name => Procedures.Any(p => p.Name == name));

    /// <summary>The lanes' audited read exists when the tenant context and the readers' two functions do.</summary>
    public bool Lanes => TenantContext && CallerLanes.FunctionNames.All(name => Procedures.Any(p => p.Name == name));

    public TableRowSecurity RowSecurityOf(string table) => Tables.TryGetValue(table, out var state) ? state : TableRowSecurity.None;

    /// <summary>
    /// Reads the row-level security of every table of <paramref name="schema"/> and the context's procedures. Conditions
    /// are printed by PostgreSQL with the current search path, so a table of the schema read prints unqualified.
    /// </summary>
    internal static async Task<IsolationCatalog> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema,
        bool auditTable, IReadOnlyDictionary<string, TablePrivileges> auditTablePrivileges, IReadOnlyList<string> schemaUsage, CancellationToken cancellationToken)
    {
        var policies = await CatalogReader.QueryAsync(connection, transaction, """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, p.polname,
                   CASE p.polcmd WHEN '*' THEN 'ALL' WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' END,
                   p.polpermissive,
                   (SELECT string_agg(n, ',' ORDER BY n) FROM (SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) r) roles(n)),
                   pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
            FROM pg_class c LEFT JOIN pg_policy p ON p.polrelid = c.oid
            WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = @schema) AND c.relkind IN ('r', 'p')
            ORDER BY c.relname, p.polname
            """, schema, cancellationToken);
        var tables = policies.GroupBy(r => (string)r[0]!).ToDictionary(g => g.Key, g => new TableRowSecurity(
            (bool)g.First()[1]!, (bool)g.First()[2]!,
            g.Where(r => r[3] is not null).Select(r => new PolicyDefinition((string)r[3]!, (string)r[4]!, (bool)r[5]!, (string)r[6]!, r[7] as string, r[8] as string)).ToList()));

        var procedures = await CatalogReader.QueryAsync(connection, transaction, $"""
            SELECT p.proname, pg_get_function_identity_arguments(p.oid),
                   p.prokind::text || ' ' || l.lanname || CASE WHEN p.prosecdef THEN ' security definer' ELSE '' END
                   || coalesce(' set ' || replace(array_to_string(p.proconfig, ','), 'search_path=' || quote_ident(@schema) || ',', 'search_path=<schema>,'), '')
                   || ' execute ' || coalesce((SELECT string_agg(CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_get_userbyid(a.grantee)::text END, ',' ORDER BY 1)
                                               FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                                               WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner), 'owner only')
                   || ' ' || p.prosrc
            FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
            WHERE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = @schema)
              AND p.proname IN ({string.Join(", ", RoutineNames.Select(SqlIdentifier.Literal))})
            ORDER BY 1, 2
            """, schema, cancellationToken);
        return new IsolationCatalog(auditTable, auditTablePrivileges, schemaUsage,
            procedures.Select(r => new RoutineDefinition((string)r[0]!, (string)r[1]!, (string)r[2]!)).ToList(), tables);
    }
}
