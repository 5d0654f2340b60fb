using Narralytica.Generator.Specs;

namespace Narralytica.Generator.Emitters;

/// <summary>
/// <c>NarralyticaSchemaBinding</c>: what the runtime (a package that knows no schema.yaml) needs of this one — the enum
/// mappings, linq2db's conversions, the compiled-in migrations — registered with it when the assembly loads.
/// </summary>
internal static class SchemaBindingEmitter
{
    public static string Emit(ModelSpec model)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {model.Namespace}");
        w.Summary("This project's schema.yaml as the Narralytica runtime needs it: its enum types, linq2db's conversions of them and its\n" +
                  "migrations. Registered with the runtime (SchemaBindings) when this assembly loads.");
        w.Open("public sealed class NarralyticaSchemaBinding : global::Narralytica.Runtime.ISchemaBinding");
        w.Summary("The one instance.");
        w.Line("public static NarralyticaSchemaBinding Instance { get; } = new NarralyticaSchemaBinding();");
        w.Line();
        w.Line("private NarralyticaSchemaBinding() { }");
        w.Line();
        w.Line("// Before any code of this assembly runs, so its data layer never meets a runtime without its schema.");
        w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        w.Line("internal static void Register() => global::Narralytica.Runtime.SchemaBindings.Register(Instance);");
        w.Line();
        w.Summary("The migrations compiled in (NarralyticaMigrations.All).");
        w.Line("public global::System.Collections.Generic.IReadOnlyList<global::Narralytica.Runtime.SchemaMigration> Migrations => NarralyticaMigrations.All;");
        w.Line();
        w.Summary(model.SetsTenantByProcedure
            ? "True: the Citus target. A procedure's SET LOCAL reaches the worker that runs the statement; a set_config does not."
            : "False: the plain target sets the tenant with set_config, a few microseconds cheaper than the procedure.");
        w.Line($"public bool SetsTenantByProcedure => {(model.SetsTenantByProcedure ? "true" : "false")};");
        w.Line();
        w.Summary("The job queue's statements, from the generated JobQueueSql (written from the queue table's declaration).");
        w.Open("public global::Narralytica.Runtime.JobQueueStatements Queue { get; } = JobQueueSql.IsDeclared ? new global::Narralytica.Runtime.JobQueueStatements");
        foreach (var name in new[] { "IsDeclared", "Table", "Channel", "HasUniqueKey", "Enqueue", "EnqueueMany", "CancelQueued", "Claim", "Heartbeat", "Complete", "Cancel", "Fail", "Release", "CompleteMany" })
            w.Line($"{name} = JobQueueSql.{name},");
        w.Close(" : global::Narralytica.Runtime.JobQueueStatements.None;");
        w.Line();
        w.Line("// Schema-qualified: a bare name is ambiguous once the database holds these types in two schemas.");
        w.Summary("Maps each enum of schema.yaml to its PostgreSQL type in the tables' schema.");
        w.Open("public void MapEnums(global::Npgsql.NpgsqlDataSourceBuilder builder, string schemaPrefix)");
        foreach (var e in model.Enums)
            w.Line($"builder.MapEnum<global::{e.Namespace}.{e.Name}>(schemaPrefix + {SourceWriter.Literal(e.SqlName)});");
        w.Close();
        w.Line();
        w.Line("// Enum parameters go to Npgsql as CLR enums, which it writes as the mapped PostgreSQL enum;");
        w.Line("// linq2db's default (the label as text) would be refused: an enum column does not take text.");
        w.Summary("Adds the enums' parameter conversions to linq2db's mapping.");
        w.Open("public void ConfigureMappingSchema(global::LinqToDB.Mapping.MappingSchema schema)");
        foreach (var e in model.Enums)
        {
            var t = $"global::{e.Namespace}.{e.Name}";
            w.Line($"schema.SetConverter<{t}, global::LinqToDB.Data.DataParameter>(value => new global::LinqToDB.Data.DataParameter {{ Value = value, DataType = global::LinqToDB.DataType.Undefined }});");
            w.Line($"schema.SetConverter<{t}?, global::LinqToDB.Data.DataParameter>(value => new global::LinqToDB.Data.DataParameter {{ Value = value, DataType = global::LinqToDB.DataType.Undefined }});");
            w.Line($"schema.SetConverter<{t}[], global::LinqToDB.Data.DataParameter>(value => new global::LinqToDB.Data.DataParameter {{ Value = value, DataType = global::LinqToDB.DataType.Undefined }});");
        }
        w.Close();
        w.Close();
        w.Close();
        return w.ToString();
    }
}
