using System.Linq;
using Microsoft.CodeAnalysis;
using Narralytica.Schema.Migrations;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Generator;

/// <summary>The generator's part in migrations: it embeds them, and warns at schema.yaml about changes none captures.</summary>
public sealed class MigrationGeneratorTests
{
    private const string Schema = "tables:\n  tenants:\n    scope: global\n    columns:\n      slug: text\n";

    /// <summary>The migrations folder of a project whose only migration creates <see cref="Schema"/>.</summary>
    private static AdditionalText[] Folder()
    {
        var plan = SchemaDiffer.Diff(SchemaDiffer.Empty, Migrations.SchemaWorkspace.Compile(Schema));
        var migration = MigrationFile.Render("0001_initial.sql", plan.Changes, plan.Statements.Select(s => s.Sql), true, new LintFinding[0]);
        var sum = MigrationSum.Compute(new[] { MigrationFile.Read("0001_initial.sql", migration) });
        var snapshot = SnapshotWriter.Write(Migrations.SchemaWorkspace.Compile(Schema), new SnapshotHeader(sum[0].FileName, sum[0].Hash));
        return new AdditionalText[]
        {
            new InMemoryAdditionalText("/repo/migrations/0001_initial.sql", migration),
            new InMemoryAdditionalText("/repo/migrations/narralytica.sum", MigrationSum.Render(sum)),
            new InMemoryAdditionalText("/repo/migrations/schema.snapshot.yaml", snapshot),
        };
    }

    private static (Compilation Output, System.Collections.Immutable.ImmutableArray<Diagnostic> Diagnostics) Run(string schema, params AdditionalText[] migrations)
    {
        var driver = GeneratorHarness.CreateDriver(new[] { new InMemoryAdditionalText("/repo/schema.yaml", schema) }.Concat(migrations).ToArray());
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.RuntimeCompilation(), out var output, out var diagnostics);
        return (output, diagnostics);
    }

    [Fact]
    public void A_schema_change_no_migration_captures_is_a_warning_at_the_changed_line()
    {
        var edited = Schema + "      region: text?\n";
        var (_, diagnostics) = Run(edited, Folder());
        var warning = Assert.Single(diagnostics, d => d.Id == "NARR3040");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("/repo/schema.yaml", warning.Location.GetLineSpan().Path);
        Assert.Equal(5, warning.Location.GetLineSpan().StartLinePosition.Line); // line 6: region
        Assert.Contains("add column tenants.region (text, nullable)", warning.GetMessage());
        Assert.Contains("narralytica migrations add", warning.GetMessage());
    }

    [Fact]
    public void A_captured_schema_builds_clean_and_embeds_its_migrations()
    {
        var (output, diagnostics) = Run(Schema, Folder());
        Assert.DoesNotContain(diagnostics, d => d.Id.StartsWith("NARR", System.StringComparison.Ordinal));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var embedded = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("NarralyticaMigrations.g.cs", System.StringComparison.Ordinal)).ToString();
        Assert.Contains("\"0001_initial.sql\"", embedded);
        Assert.Contains("CREATE TABLE tenants (", embedded);
    }

    [Fact]
    public void A_broken_migrations_folder_is_a_warning_not_a_crash()
    {
        var folder = Folder();
        folder[0] = new InMemoryAdditionalText("/repo/migrations/0001_initial.sql", "CREATE TABLE edited (id uuid);\n");
        var (_, diagnostics) = Run(Schema, folder);
        var warning = Assert.Single(diagnostics, d => d.Id == "NARR3041");
        Assert.Contains("0001_initial.sql was edited", warning.GetMessage());
    }

    [Fact]
    public void Without_a_migrations_folder_there_is_nothing_to_warn_about()
    {
        var (output, diagnostics) = Run(Schema);
        Assert.DoesNotContain(diagnostics, d => d.Id.StartsWith("NARR3", System.StringComparison.Ordinal));
        Assert.Contains(output.SyntaxTrees, t => t.FilePath.EndsWith("NarralyticaMigrations.g.cs", System.StringComparison.Ordinal));
    }
}
