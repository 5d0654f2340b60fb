using System.Linq;
using Narralytica.Generator.Specs;

namespace Narralytica.Generator.Emitters;

/// <summary>
/// The ways in to the tables: <c>NarralyticaDb</c> reads the global tables, <c>ControlPlane</c> (the control plane's
/// lane only) writes them, <c>TenantScope</c> holds the tenant-scoped ones (every query filtered by the scope's tenant,
/// every write stamped and checked), and <c>CrossTenantAccess</c> (the readers' lane only) is the one named way to read
/// tenant tables without a scope.
/// </summary>
internal static class AccessEmitter
{
    private const string Token = "global::System.Threading.CancellationToken cancellationToken = default";

    public static string EmitDb(ModelSpec model) => PartialClass(model, "NarralyticaDb", w =>
    {
        // Read-only: an IQueryable has no insert of its own; the writes are the control plane's (EmitControlPlane).
        foreach (var entity in model.Entities.Where(e => !e.IsTenantScoped))
        {
            w.Line($"// ── {entity.TableName} ──");
            w.Summary($"The <c>{entity.TableName}</c> table (global), to read: only the control plane writes it (<see cref=\"ControlPlane\"/>).", escape: false);
            w.Line($"public global::System.Linq.IQueryable<{CSharpNames.Entity(entity)}> {entity.CollectionName} => global::LinqToDB.DataExtensions.GetTable<{CSharpNames.Entity(entity)}>(this);");
            w.Line();
        }
        WriteMappingHooks(w, model);
    });

    public static string EmitControlPlane(ModelSpec model) => PartialClass(model, "ControlPlane", w =>
    {
        foreach (var entity in model.Entities.Where(e => !e.IsTenantScoped))
            WriteMembers(w, entity, host: "Db", query: $"global::LinqToDB.DataExtensions.GetTable<{CSharpNames.Entity(entity)}>(Db)", queryType: $"global::LinqToDB.ITable<{CSharpNames.Entity(entity)}>");
    });

    public static string EmitTenantScope(ModelSpec model) => PartialClass(model, "TenantScope", w =>
    {
        // The predicate reads NarralyticaScopeTenant: linq2db names its parameter so, and the interceptor sets the tenant from it.
        foreach (var entity in model.Entities.Where(e => e.IsTenantScoped))
            WriteMembers(w, entity, host: "Db", query: $"global::System.Linq.Queryable.Where(global::LinqToDB.DataExtensions.GetTable<{CSharpNames.Entity(entity)}>(Db), row => row.TenantId == NarralyticaScopeTenant)", queryType: $"global::System.Linq.IQueryable<{CSharpNames.Entity(entity)}>");
    });

    public static string EmitCrossTenant(ModelSpec model) => PartialClass(model, "CrossTenantAccess", w =>
    {
        var first = true;
        foreach (var entity in model.Entities.Where(e => e.IsTenantScoped))
        {
            if (!first) w.Line();
            first = false;
            w.Summary($"Every tenant's <c>{entity.TableName}</c> rows, unfiltered and read-only (the database lets this access read, not write). Add a tenant_id predicate wherever one tenant is meant.", escape: false);
            w.Line($"public global::System.Linq.IQueryable<{CSharpNames.Entity(entity)}> {entity.CollectionName} => global::System.Linq.Queryable.Where(global::LinqToDB.DataExtensions.GetTable<{CSharpNames.Entity(entity)}>(Db), row => Audited(NarralyticaCrossTenantAudit));");
        }
    });

    /// <summary>A generated file adding members to one of the runtime's hand-written partial classes.</summary>
    private static string PartialClass(ModelSpec model, string className, System.Action<SourceWriter> body)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {model.Namespace}");
        w.Open($"public sealed partial class {className}");
        body(w);
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static void WriteMembers(SourceWriter w, EntitySpec entity, string host, string query, string queryType)
    {
        var type = CSharpNames.Entity(entity);
        var scoped = entity.IsTenantScoped;
        w.Line($"// ── {entity.TableName} ──");
        w.Summary(scoped
            ? $"This tenant's <c>{entity.TableName}</c> rows: every query carries <c>tenant_id = @tenant</c> and runs with this tenant set for its transaction."
            : $"The <c>{entity.TableName}</c> table (global).", escape: false);
        w.Line($"public {queryType} {entity.CollectionName} => {query};");

        var inserted = scoped ? " It is stamped with this scope's tenant; a row that names another tenant is refused." : "";
        var guard = scoped ? " The row must belong to this scope's tenant." : "";
        var owned = scoped ? "EnsureOwned(row.TenantId, " + SourceWriter.Literal(entity.TableName) + ");" : null;
        WriteRowWrite(w, entity, "Insert", $"Inserts a <c>{entity.TableName}</c> row, filling in what the schema's conventions own (id, timestamps).{inserted}", "PrepareInsert(row);", host);
        if (!entity.AppendOnly)
        {
            WriteRowWrite(w, entity, "Update", $"Updates the <c>{entity.TableName}</c> row with this row's key.{guard}", "PrepareUpdate(row);", host);
            WriteRowWrite(w, entity, "Delete", $"Deletes the <c>{entity.TableName}</c> row with this row's key.{guard}", owned, host);
        }

        w.Line();
        w.Open($"private void PrepareInsert({type} row)");
        if (scoped)
            w.Line($"row.TenantId = ClaimTenant(row.TenantId, {SourceWriter.Literal(entity.TableName)});");
        foreach (var property in entity.Properties)
        {
            if (property.OnInsert == InsertFill.NewId)
                w.Line($"if (row.{property.Name} == global::System.Guid.Empty) row.{property.Name} = global::System.Guid.CreateVersion7();");
            else if (property.OnInsert == InsertFill.Now)
                w.Line($"if (row.{property.Name} == default) row.{property.Name} = global::{entity.Namespace}.RowClock.Now();");
        }
        w.Close();
        if (!entity.AppendOnly)
        {
            w.Line();
            w.Open($"private void PrepareUpdate({type} row)");
            if (scoped)
                w.Line($"EnsureOwned(row.TenantId, {SourceWriter.Literal(entity.TableName)});");
            foreach (var property in entity.Properties.Where(p => p.StampedOnUpdate))
                w.Line($"row.{property.Name} = global::{entity.Namespace}.RowClock.Now();");
            w.Close();
        }
        w.Line();
    }

    /// <summary>
    /// <c>Insert</c>/<c>Update</c>/<c>Delete</c> of one row and its async twin: <paramref name="prepare"/> first, then
    /// linq2db's command; on a scope, while the connection names the scope's tenant for it (<c>Db.WritingFor</c>).
    /// </summary>
    private static void WriteRowWrite(SourceWriter w, EntitySpec entity, string verb, string summary, string? prepare, string host)
    {
        var type = CSharpNames.Entity(entity);
        var asyncSummary = $"{verb}s a <c>{entity.TableName}</c> row; see <see cref=\"{verb}({type})\"/>.";
        w.Line();
        w.Summary(summary, escape: false);
        if (!entity.IsTenantScoped)
        {
            var before = prepare is null ? "" : prepare + " ";
            w.Line($"public int {verb}({type} row) {{ {before}return global::LinqToDB.DataExtensions.{verb}({host}, row); }}");
            w.Line();
            w.Summary(asyncSummary, escape: false);
            w.Line($"public global::System.Threading.Tasks.Task<int> {verb}Async({type} row, {Token})");
            w.Line($"    {{ {before}return global::LinqToDB.DataExtensions.{verb}Async({host}, row, token: cancellationToken); }}");
            return;
        }
        w.Open($"public int {verb}({type} row)");
        if (prepare is not null) w.Line(prepare);
        w.Line("using (Db.WritingFor(TenantId))");
        w.Line($"    return global::LinqToDB.DataExtensions.{verb}(Db, row);");
        w.Close();
        w.Line();
        w.Summary(asyncSummary, escape: false);
        w.Open($"public async global::System.Threading.Tasks.Task<int> {verb}Async({type} row, {Token})");
        if (prepare is not null) w.Line(prepare);
        w.Line("using (Db.WritingFor(TenantId))");
        w.Line($"    return await global::LinqToDB.DataExtensions.{verb}Async(Db, row, token: cancellationToken);");
        w.Close();
    }

    private static void WriteMappingHooks(SourceWriter w, ModelSpec model)
    {
        w.Line("// ── type mapping ──");
        w.Line("// Schema-qualified: a bare name is ambiguous once the database holds these types in two schemas.");
        w.Open("static partial void MapEnums(global::Npgsql.NpgsqlDataSourceBuilder builder, string schemaPrefix)");
        foreach (var e in model.Enums)
            w.Line($"builder.MapEnum<global::{e.Namespace}.{e.Name}>(schemaPrefix + {SourceWriter.Literal(e.SqlName)});");
        w.Close();
        w.Line();
        w.Line("// Enum parameters go to Npgsql as CLR enums, which it writes as the mapped PostgreSQL enum;");
        w.Line("// linq2db's default (the label as text) would be refused: an enum column does not take text.");
        w.Open("static partial void ConfigureMappingSchema(global::LinqToDB.Mapping.MappingSchema schema)");
        foreach (var e in model.Enums)
        {
            var t = $"global::{e.Namespace}.{e.Name}";
            w.Line($"schema.SetConverter<{t}, global::LinqToDB.Data.DataParameter>(value => new global::LinqToDB.Data.DataParameter {{ Value = value, DataType = global::LinqToDB.DataType.Undefined }});");
            w.Line($"schema.SetConverter<{t}?, global::LinqToDB.Data.DataParameter>(value => new global::LinqToDB.Data.DataParameter {{ Value = value, DataType = global::LinqToDB.DataType.Undefined }});");
            w.Line($"schema.SetConverter<{t}[], global::LinqToDB.Data.DataParameter>(value => new global::LinqToDB.Data.DataParameter {{ Value = value, DataType = global::LinqToDB.DataType.Undefined }});");
        }
        w.Close();
    }

}
