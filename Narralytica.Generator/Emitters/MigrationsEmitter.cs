using System.Linq;
using Narralytica.Generator.Specs;

namespace Narralytica.Generator.Emitters;

/// <summary>The migrations folder compiled in, so an application can migrate at start-up without files on disk.</summary>
internal static class MigrationsEmitter
{
    public static string Emit(MigrationsSpec migrations, string ns)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {ns}");
        w.Summary("The migrations of the migrations folder, in version order, as they were when this assembly was built.");
        w.Open("public static partial class NarralyticaMigrations");
        w.Summary("Every migration, oldest first.");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::Narralytica.Runtime.SchemaMigration> All { get; } = new global::Narralytica.Runtime.SchemaMigration[]");
        w.Line("{");
        foreach (var m in migrations.Migrations)
        {
            w.Line($"    new global::Narralytica.Runtime.SchemaMigration({m.Version}, {SourceWriter.Literal(m.Name)}, {SourceWriter.Literal(m.FileName)},");
            w.Line($"        checksum: {SourceWriter.Literal(m.Checksum)}, sum: {SourceWriter.Literal(m.Sum)}, transactional: {(m.Transactional ? "true" : "false")},");
            w.Line($"        text: {SourceWriter.Literal(m.Text)},");
            w.Line("        statements: new global::Narralytica.Runtime.SchemaMigrationStatement[]");
            w.Line("        {");
            foreach (var statement in m.Statements)
                w.Line($"            new({statement.Line}, {SourceWriter.Literal(statement.Sql)}),");
            // Only a migration amended by hand declares earlier texts; the others are written as before.
            w.Line(m.Amends.Count == 0
                ? "        }),"
                : $"        }}) {{ Amends = new[] {{ {string.Join(", ", m.Amends.Select(SourceWriter.Literal))} }} }},");
        }
        w.Line("};");
        w.Close();
        w.Close();
        return w.ToString();
    }
}
