using Narralytica.Generator.Specs;

namespace Narralytica.Generator.Emitters;

/// <summary>The fresh-database DDL as constants, so an application can create the schema without files.</summary>
internal static class SchemaSqlEmitter
{
    public static string Emit(ModelSpec model)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {model.Namespace}");
        w.Summary("The DDL that creates this schema on an empty database, generated from schema.yaml.");
        w.Open("public static partial class NarralyticaSchema");
        w.Summary("The complete script, in dependency order.");
        w.Line($"public const string CreateScript = {SourceWriter.Literal(model.DdlScript)};");
        w.Line();
        w.Summary("The same script, one statement per entry.");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<string> CreateStatements { get; } = new string[]");
        w.Line("{");
        foreach (var statement in model.DdlStatements)
            w.Line("    " + SourceWriter.Literal(statement) + ",");
        w.Line("};");
        w.Line();
        w.Summary("Every table, in schema.yaml order, with whether it is tenant-scoped.");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<(string Table, bool TenantScoped)> Tables { get; } = new (string, bool)[]");
        w.Line("{");
        foreach (var entity in model.Entities)
            w.Line($"    ({SourceWriter.Literal(entity.TableName)}, {(entity.IsTenantScoped ? "true" : "false")}),");
        w.Line("};");
        w.Close();
        w.Close();
        return w.ToString();
    }
}
