using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Narralytica.Analyzers;

/// <summary>
/// Every diagnostic the analyzers report (range 4xxx, code usage), in one place. Warnings by default,
/// so a team can raise them to errors in .editorconfig; docs/diagnostics.md documents each id.
/// </summary>
public static class AnalyzerDiagnostics
{
    private const string Category = "Narralytica.Tenancy";
    private const string HelpBase = "https://github.com/narralytica/narralytica/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor GetTableOfTenantEntity = Warning(
        "NARR4001",
        "Tenant-scoped table read with GetTable<T>()",
        "GetTable<{0}>() reaches the tenant-scoped table '{1}' without a tenant filter; use db.ForTenant(tenantId).{2}, or db.AcrossTenants(\"why\").{2} when every tenant's rows are meant",
        "linq2db's GetTable<T>() on a tenant entity is not filtered by tenant. The tenant scope (db.ForTenant) adds tenant_id = @tenant to every query and stamps inserts; the named escape hatch (db.AcrossTenants) makes a cross-tenant read stand out in review.");

    public static readonly DiagnosticDescriptor RawSqlOnTenantTable = Warning(
        "NARR4002",
        "Raw SQL names a tenant-scoped table",
        "SQL passed to {0} names the tenant-scoped table '{1}', which no tenant scope guards; use db.ForTenant(tenantId).{2} (or a query declared in schema.yaml), or mark the member [AcrossTenants(\"why\")] when every tenant's rows are meant",
        "Hand-written SQL bypasses the tenant scope: nothing adds tenant_id = @tenant or checks the tenant of written rows. Query through the scope or a schema.yaml query; code that means to work across tenants says so with [AcrossTenants(\"justification\")].");

    public static readonly DiagnosticDescriptor BlankCrossTenantJustification = Warning(
        "NARR4003",
        "[AcrossTenants] without a justification",
        "[AcrossTenants] has no justification; say why this code needs every tenant's rows, e.g. [AcrossTenants(\"rebuild of the search index\")]",
        "The justification is what a reviewer reads to accept cross-tenant code; an empty one says nothing.");

    public static readonly DiagnosticDescriptor GlobalTableWrittenOutsideControlPlane = Warning(
        "NARR4004",
        "Global table written outside the control plane",
        "{0} writes the global table '{1}' outside the control plane, and only narralytica_control may write it; use db.ControlPlane.{2} (on a data source created with lane: DatabaseLane.ControlPlane)",
        "Global tables (tenants, users, roles, permissions) are written by the control plane's role alone: the database refuses every other lane. Writing them through db.ControlPlane states the lane in the code and fails early, with a clear message, on a data source of another lane.");

    public static ImmutableArray<DiagnosticDescriptor> All { get; } =
        ImmutableArray.Create(GetTableOfTenantEntity, RawSqlOnTenantTable, BlankCrossTenantJustification, GlobalTableWrittenOutsideControlPlane);

    private static DiagnosticDescriptor Warning(string id, string title, string message, string description) => new(
        id,
        title,
        message,
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: description,
        helpLinkUri: HelpBase + id.ToLowerInvariant());
}
