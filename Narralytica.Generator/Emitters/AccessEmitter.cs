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

    /// <summary>How the generated members reach one of the runtime's types: the static class holding them, the receiver's name.</summary>
    internal sealed record Receiver(string ClassName, string RuntimeType, string Name, string Db)
    {
        public string Type => CSharpNames.RuntimeType(RuntimeType);
    }

    public static readonly Receiver Database = new("NarralyticaDbTables", "NarralyticaDb", "db", "db");
    public static readonly Receiver Scope = new("TenantScopeTables", "TenantScope", "scope", "scope.Db");
    public static readonly Receiver Control = new("ControlPlaneTables", "ControlPlane", "controlPlane", "controlPlane.Db");
    public static readonly Receiver CrossTenant = new("CrossTenantTables", "CrossTenantAccess", "access", "access.Db");

    public static string EmitDb(ModelSpec model) => ExtensionClass(model, Database,
        "The global tables on a <see cref=\"global::Narralytica.Runtime.NarralyticaDb\"/>, to read (<c>db.Users</c>); the control plane writes them.", w =>
    {
        // Read-only: an IQueryable has no insert of its own; the writes are the control plane's (EmitControlPlane).
        var first = true;
        foreach (var entity in model.Entities.Where(e => !e.IsTenantScoped))
        {
            if (!first) w.Line();
            first = false;
            w.Line($"// ── {entity.TableName} ──");
            w.Summary($"The <c>{entity.TableName}</c> table (global), to read: only the control plane writes it (<see cref=\"global::Narralytica.Runtime.ControlPlane\"/>).", escape: false);
            w.Line($"public global::System.Linq.IQueryable<{CSharpNames.Entity(entity)}> {entity.CollectionName} => global::LinqToDB.DataExtensions.GetTable<{CSharpNames.Entity(entity)}>(db);");
        }
    });

    public static string EmitControlPlane(ModelSpec model) => ExtensionClass(model, Control,
        "The global tables on a <see cref=\"global::Narralytica.Runtime.ControlPlane\"/>, to write (<c>db.ControlPlane.InsertAsync(tenant)</c>).",
        w =>
        {
            foreach (var entity in model.Entities.Where(e => !e.IsTenantScoped))
                WriteMembers(w, entity, Control, query: $"global::LinqToDB.DataExtensions.GetTable<{CSharpNames.Entity(entity)}>(controlPlane.Db)", queryType: $"global::LinqToDB.ITable<{CSharpNames.Entity(entity)}>");
        },
        helpers: w =>
        {
            foreach (var entity in model.Entities.Where(e => !e.IsTenantScoped))
                WriteHelpers(w, entity, Control);
        });

    public static string EmitTenantScope(ModelSpec model) => ExtensionClass(model, Scope,
        "The tenant-scoped tables on a <see cref=\"global::Narralytica.Runtime.TenantScope\"/> (<c>scope.Videos</c>, <c>scope.InsertAsync(video)</c>): every query filtered by the scope's tenant, every write stamped and checked.",
        w =>
        {
            // The predicate reads NarralyticaScopeTenant: linq2db names its parameter so, and the interceptor sets the tenant from it.
            foreach (var entity in model.Entities.Where(e => e.IsTenantScoped))
                WriteMembers(w, entity, Scope, query: $"global::System.Linq.Queryable.Where(global::LinqToDB.DataExtensions.GetTable<{CSharpNames.Entity(entity)}>(scope.Db), row => row.TenantId == scope.NarralyticaScopeTenant)", queryType: $"global::System.Linq.IQueryable<{CSharpNames.Entity(entity)}>");
        },
        helpers: w =>
        {
            foreach (var entity in model.Entities.Where(e => e.IsTenantScoped))
                WriteHelpers(w, entity, Scope);
        });

    public static string EmitCrossTenant(ModelSpec model) => ExtensionClass(model, CrossTenant,
        "The tenant-scoped tables on a <see cref=\"global::Narralytica.Runtime.CrossTenantAccess\"/>: every tenant's rows, read-only, under the access's audit.", w =>
    {
        var first = true;
        foreach (var entity in model.Entities.Where(e => e.IsTenantScoped))
        {
            if (!first) w.Line();
            first = false;
            w.Summary($"Every tenant's <c>{entity.TableName}</c> rows, unfiltered and read-only (the database lets this access read, not write). Add a tenant_id predicate wherever one tenant is meant.", escape: false);
            w.Line($"public global::System.Linq.IQueryable<{CSharpNames.Entity(entity)}> {entity.CollectionName} => global::System.Linq.Queryable.Where(global::LinqToDB.DataExtensions.GetTable<{CSharpNames.Entity(entity)}>(access.Db), row => global::Narralytica.Runtime.CrossTenantAccess.Audited(access.NarralyticaCrossTenantAudit));");
        }
    });

    /// <summary>
    /// A generated file adding members to one of the runtime's types, as C# 14 extension members of a static class
    /// in the model's namespace: call sites read as members of the runtime type (<c>scope.Videos</c>), and the runtime,
    /// a package of its own, needs no partial class across the package boundary.
    /// </summary>
    public static string ExtensionClass(ModelSpec model, Receiver receiver, string summary, System.Action<SourceWriter> body, System.Action<SourceWriter>? helpers = null)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {model.Namespace}");
        w.Summary(summary, escape: false);
        OpenExtension(w, receiver);
        body(w);
        w.Close();
        helpers?.Invoke(w);
        w.Close();
        w.Close();
        return w.ToString();
    }

    /// <summary>Opens <c>public static partial class …Tables</c> and its <c>extension(…)</c> block; the caller closes the block, then the class.</summary>
    public static void OpenExtension(SourceWriter w, Receiver receiver)
    {
        w.Open($"public static partial class {receiver.ClassName}");
        w.Summary($"The generated members of <see cref=\"{receiver.Type}\"/>.", escape: false);
        w.Line($"/// <param name=\"{receiver.Name}\">The {receiver.RuntimeType} they are members of.</param>");
        w.Open($"extension({receiver.Type} {receiver.Name})");
    }

    /// <summary>The call that fills in a row before it is inserted: the scope's helpers also take the scope.</summary>
    public static string PrepareInsertCall(Receiver receiver) => receiver == Scope ? "PrepareInsert(scope, row);" : "PrepareInsert(row);";

    private static void WriteMembers(SourceWriter w, EntitySpec entity, Receiver receiver, string query, string queryType)
    {
        var scoped = entity.IsTenantScoped;
        w.Line($"// ── {entity.TableName} ──");
        w.Summary(scoped
            ? $"This tenant's <c>{entity.TableName}</c> rows: every query carries <c>tenant_id = @tenant</c> and runs with this tenant set for its transaction."
            : $"The <c>{entity.TableName}</c> table (global).", escape: false);
        w.Line($"public {queryType} {entity.CollectionName} => {query};");

        var inserted = scoped ? " It is stamped with this scope's tenant; a row that names another tenant is refused." : "";
        var guard = scoped ? " The row must belong to this scope's tenant." : "";
        var owned = scoped ? "scope.EnsureOwned(row.TenantId, " + SourceWriter.Literal(entity.TableName) + ");" : null;
        WriteRowWrite(w, entity, "Insert", $"Inserts a <c>{entity.TableName}</c> row, filling in what the schema's conventions own (id, timestamps).{inserted}", PrepareInsertCall(receiver), receiver);
        if (!entity.AppendOnly)
        {
            WriteRowWrite(w, entity, "Update", $"Updates the <c>{entity.TableName}</c> row with this row's key.{guard}", scoped ? "PrepareUpdate(scope, row);" : "PrepareUpdate(row);", receiver);
            WriteRowWrite(w, entity, "Delete", $"Deletes the <c>{entity.TableName}</c> row with this row's key.{guard}", owned, receiver);
        }
        w.Line();
    }

    /// <summary>What an insert or update fills in, as private static helpers of the class beside its extension block.</summary>
    private static void WriteHelpers(SourceWriter w, EntitySpec entity, Receiver receiver)
    {
        var type = CSharpNames.Entity(entity);
        var scoped = entity.IsTenantScoped;
        var scopeParameter = scoped ? $"{receiver.Type} scope, " : "";
        w.Line();
        w.Open($"private static void PrepareInsert({scopeParameter}{type} row)");
        if (scoped)
            w.Line($"row.TenantId = scope.ClaimTenant(row.TenantId, {SourceWriter.Literal(entity.TableName)});");
        foreach (var property in entity.Properties)
        {
            if (property.OnInsert == InsertFill.NewId)
                w.Line($"if (row.{property.Name} == global::System.Guid.Empty) row.{property.Name} = global::System.Guid.CreateVersion7();");
            else if (property.OnInsert == InsertFill.Now)
                w.Line($"if (row.{property.Name} == default) row.{property.Name} = global::Narralytica.Runtime.RowClock.Now();");
        }
        w.Close();
        if (!entity.AppendOnly)
        {
            w.Line();
            w.Open($"private static void PrepareUpdate({scopeParameter}{type} row)");
            if (scoped)
                w.Line($"scope.EnsureOwned(row.TenantId, {SourceWriter.Literal(entity.TableName)});");
            foreach (var property in entity.Properties.Where(p => p.StampedOnUpdate))
                w.Line($"row.{property.Name} = global::Narralytica.Runtime.RowClock.Now();");
            w.Close();
        }
    }

    /// <summary>
    /// <c>Insert</c>/<c>Update</c>/<c>Delete</c> of one row and its async twin: <paramref name="prepare"/> first, then
    /// linq2db's command; on a scope, while the connection names the scope's tenant for it (<c>Db.WritingFor</c>).
    /// </summary>
    private static void WriteRowWrite(SourceWriter w, EntitySpec entity, string verb, string summary, string? prepare, Receiver receiver)
    {
        var type = CSharpNames.Entity(entity);
        var host = receiver.Db;
        var asyncSummary = $"{verb}s a <c>{entity.TableName}</c> row; see <c>{verb}</c>.";
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
        if (entity.OwnTransaction)
        {
            w.Line("using var ownTransaction = scope.Db.Transaction is null ? scope.Db.BeginTransaction() : null;");
            w.Line("int written;");
            w.Line("using (scope.Db.WritingFor(scope.TenantId))");
            w.Line($"    written = global::LinqToDB.DataExtensions.{verb}(scope.Db, row);");
            w.Line("ownTransaction?.Commit();");
            w.Line("return written;");
        }
        else
        {
            w.Line("using (scope.Db.WritingFor(scope.TenantId))");
            w.Line($"    return global::LinqToDB.DataExtensions.{verb}(scope.Db, row);");
        }
        w.Close();
        w.Line();
        w.Summary(asyncSummary, escape: false);
        w.Open($"public async global::System.Threading.Tasks.Task<int> {verb}Async({type} row, {Token})");
        if (prepare is not null) w.Line(prepare);
        if (entity.OwnTransaction)
        {
            // On Citus, the tenant reaches the worker only inside a transaction block: one of the write's own when the caller has none.
            w.Line("await using var ownTransaction = scope.Db.Transaction is null ? await scope.Db.BeginTransactionAsync(cancellationToken) : null;");
            w.Line("int written;");
            w.Line("using (scope.Db.WritingFor(scope.TenantId))");
            w.Line($"    written = await global::LinqToDB.DataExtensions.{verb}Async(scope.Db, row, token: cancellationToken);");
            w.Line("if (ownTransaction is not null)");
            w.Line("    await ownTransaction.CommitAsync(cancellationToken);");
            w.Line("return written;");
        }
        else
        {
            w.Line("using (scope.Db.WritingFor(scope.TenantId))");
            w.Line($"    return await global::LinqToDB.DataExtensions.{verb}Async(scope.Db, row, token: cancellationToken);");
        }
        w.Close();
    }
}
