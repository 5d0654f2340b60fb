using System.Linq;
using System.Collections.Generic;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The human text of each change the differ finds: one line of a migration's summary ("add column
/// videos.language (text, nullable)"), as <c>migrations add</c> prints it and the migration file's header keeps it.
/// The words are the schema's (tables, columns, values), not the SQL's, so a reader need not know the statements.
/// </summary>
internal static class ChangeDescriptions
{
    // ── roles and privileges ──

    public static string CreateRoles() => $"create roles {DatabaseRoles.Owner} and {DatabaseRoles.App} (if they do not exist)";

    public static string CreateLaneRoles() => $"create roles {DatabaseRoles.Control}, {DatabaseRoles.Worker} and {DatabaseRoles.Reader} (if they do not exist)";

    public static string GuardSessions()
        => $"take TEMPORARY on the database from PUBLIC (the owner keeps it) and pin the search path of {string.Join(", ", DatabaseRoles.Lanes)} with pg_temp last";

    public static string CheckProofSignatureFirst()
        => $"replace function {TenantProof.VerifyFunction}: it checks a proof's signature before reading anything else of it (the same proofs accepted, for less work per statement)";

    public static string ReplaceQueueFunctions(Table table, bool first)
        => first
            ? $"create the queue's functions on {table.Name} ({string.Join(", ", QueueFunctions.Names)}): workers claim and finish jobs through them, and hold no privilege on other tenants' jobs"
            : $"replace the queue's functions on {table.Name}: their statements follow the table's queue columns";

    public static string DropQueueFunctions() => $"drop the queue's functions ({string.Join(", ", QueueFunctions.Names)}): no table is a queue";

    public static string BoundReaderAudit()
        => $"replace functions {CallerLanes.ReadAllowedFunction} and {CallerLanes.OpenReadFunction}: an audit row's window is checked at each statement, " +
           $"and a login may hold at most {CallerLanes.MaxOpenAuditsPerLogin} unexpired cross-tenant reads";

    public static string GuardLargeObjects()
        => $"take EXECUTE on PostgreSQL's large-object functions that create or write one ({string.Join(", ", LargeObjectGuards.Functions.Select(f => f.Substring(0, f.IndexOf('('))).Distinct())}) from PUBLIC";

    public static string GuardSchemaCreate() => "only the schema's owner may create objects in it: take CREATE on it from PUBLIC and every lane";

    public static string SchemaUsage(string role, bool granted) => $"{(granted ? "grant" : "revoke")} USAGE on the schema {(granted ? "to" : "from")} {role}";

    public static string Revoke(Table table, TablePrivileges revoked, string role, bool nowAppendOnly)
        => $"revoke {Keywords(revoked)} on {table.Name} from {role}{(nowAppendOnly ? " (the table is append-only now)" : "")}";

    public static string Grant(Table table, TablePrivileges granted, string role, bool reopened)
        => $"grant {Keywords(granted)} on {table.Name} to {role}{(reopened ? " (the table is no longer append-only)" : "")}";

    /// <summary>Privileges as their SQL keywords: "SELECT, INSERT".</summary>
    public static string Keywords(TablePrivileges privileges) => string.Join(", ", TablePrivilegeNames.Keywords(privileges));

    // ── tenant context, signed tenant, row-level security ──

    public static string CreateTenantContext(bool lanes)
        => $"create the tenant context: {TenantContextObjects}{(lanes ? $", functions {CallerLanes.OpenReadFunction} and {CallerLanes.ReadAllowedFunction}" : "")}";

    public static string DropTenantContext() => $"drop the tenant context: {TenantContextObjects}";

    public static string MoveCrossTenantReadsToReader()
        => $"move cross-tenant reads to {DatabaseRoles.Reader}: {TenantIsolation.AuditTable} gets {CallerLanes.ExpiresColumn} and no grant to {DatabaseRoles.App}; " +
           $"create functions {CallerLanes.OpenReadFunction} and {CallerLanes.ReadAllowedFunction}";

    public static string GiveCrossTenantReadsBack()
        => $"give cross-tenant reads back to {DatabaseRoles.App}: drop functions {CallerLanes.OpenReadFunction} and {CallerLanes.ReadAllowedFunction}";

    public static string CreateSignedTenant() => $"create the signed tenant: {SignedTenantObjects}";

    public static string DropSignedTenant() => $"drop the signed tenant: {SignedTenantObjects}";

    public static string DisableRowSecurity(Table table) => $"disable row-level security on {table.Name} (drop its policies)";

    public static string EnableRowSecurity(Table table, IEnumerable<string> policies) => $"enable row-level security on {table.Name} (policies {string.Join(", ", policies)})";

    public static string DropPolicy(Table table, string policy) => $"drop policy {policy} on {table.Name}";

    public static string CreatePolicy(Table table, string policy) => $"create policy {policy} on {table.Name}";

    public static string TenantPolicyCondition(Table table, bool signedTenant)
        => $"policy {TenantIsolation.TenantPolicy} on {table.Name}: {(signedTenant ? "the tenant of a verified proof" : "the tenant of the plain setting")}";

    private static string TenantContextObjects
        => $"table {TenantIsolation.AuditTable}, procedures {TenantIsolation.SetTenantProcedure} and {TenantIsolation.SetAuditProcedure}";

    private static string SignedTenantObjects
        => $"table {TenantProof.KeyTable}, function {TenantProof.VerifyFunction}, procedure {TenantProof.SetProofProcedure} (extension {TenantProof.Extension})";

    // ── enum types ──

    public static string CreateEnum(EnumType enumType) => $"create enum {enumType.Name}";

    public static string DropEnum(EnumType enumType) => $"drop enum {enumType.Name}";

    public static string ChangeEnumDoc(EnumType enumType) => $"change the doc of enum {enumType.Name}";

    public static string AddEnumValue(EnumType enumType, string value, string? next)
        => $"add value '{value}' to enum {enumType.Name}{(next is null ? "" : $" before '{next}'")}";

    public static string RecreateEnum(EnumType enumType) => $"recreate enum {enumType.Name} ({string.Join(", ", enumType.Values)})";

    // ── tables ──

    public static string CreateTable(Table table) => $"create table {table.Name}";

    public static string DropTable(Table table) => $"drop table {table.Name}";

    public static string RenameTable(string oldName, Table table) => $"rename table {oldName} to {table.Name}";

    public static string ChangeScope(Table original, Table table) => $"change the scope of table {table.Name} from {Scope(original)} to {Scope(table)}";

    public static string ChangeTableDoc(Table table) => $"change the doc of table {table.Name}";

    /// <summary>A table's scope in words: "tenant-scoped" or "global".</summary>
    public static string Scope(Table table) => table.IsTenantScoped ? "tenant-scoped" : "global";

    // ── columns ──

    public static string AddColumn(Table table, Column column) => $"add column {table.Name}.{column.Name} ({column.Type.Sql}{(column.Nullable ? ", nullable" : "")})";

    public static string RenameColumn(Table table, string from, string to) => $"rename column {table.Name}.{from} to {to}";

    public static string DropColumn(Table table, Column column) => $"drop column {table.Name}.{column.Name}";

    public static string ChangeType(Table table, Column before, Column column) => $"change the type of {table.Name}.{column.Name} from {before.Type.Sql} to {column.Type.Sql}";

    public static string ConvertToRecreatedEnum(Table table, Column column) => $"convert {table.Name}.{column.Name} to the recreated enum {column.Type.Sql}";

    public static string MakeNotNull(Table table, Column column) => $"make {table.Name}.{column.Name} NOT NULL";

    public static string MakeNullable(Table table, Column column) => $"make {table.Name}.{column.Name} nullable";

    public static string ChangeDefault(Table table, Column column)
        => column.Default is null ? $"drop the default of {table.Name}.{column.Name}" : $"set the default of {table.Name}.{column.Name} to {column.Default}";

    public static string ChangeColumnDoc(Table table, Column column) => $"change the doc of column {table.Name}.{column.Name}";

    // ── keys, checks, foreign keys ──

    public static string ChangePrimaryKey(Table table, PrimaryKey key) => $"change the primary key of {table.Name} to ({string.Join(", ", key.Columns)})";

    public static string AddUnique(Table table, UniqueConstraint unique) => $"add unique constraint {unique.Name} on {table.Name} ({string.Join(", ", unique.Columns)})";

    public static string AddCheck(Table table, CheckConstraint check) => $"add check {check.Name} on {table.Name}: {check.Expression}";

    public static string AddForeignKey(Table table, ForeignKey key) => $"add foreign key {key.Name}: {table.Name} ({string.Join(", ", key.Columns)}) → {key.ReferencedTable}";

    public static string DropForeignKey(Table table, ForeignKey key) => $"drop foreign key {key.Name} of {table.Name}";

    public static string RenameConstraint(string from, string to) => $"rename constraint {from} to {to}";

    // ── indexes ──

    public static string CreateIndex(Table table, Index index) => $"create index {index.Name} on {table.Name}";

    public static string RebuildIndex(Table table, Index index) => $"rebuild index {index.Name} on {table.Name}";

    public static string RenameIndex(string from, string to) => $"rename index {from} to {to}";

    public static string DropIndex(Index index) => $"drop index {index.Name}";

    // ── change streams ──

    public static string CreateStream(StreamPublication stream) => $"create stream {stream.Name}";

    public static string DropStream(StreamPublication stream) => $"drop stream {stream.Name}";

    public static string ChangeStreamTables(StreamPublication stream) => $"change the tables of stream {stream.Name}";

    public static string ChangeStreamDoc(StreamPublication stream) => $"change the doc of stream {stream.Name}";
}
