using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Migrations;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Migrations;

/// <summary>The migrations folder of the repository: consistent, captured, and equal to a fresh schema once applied.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RepositoryMigrationTests
{
    private readonly PostgresFixture _postgres;

    public RepositoryMigrationTests(PostgresFixture postgres) => _postgres = postgres;

    private static MigrationSet Folder()
        => MigrationSet.From(Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "migrations")).Select(f => (Path.GetFileName(f), File.ReadAllText(f))));

    [Fact]
    public void The_folder_is_consistent_and_captures_schema_yaml()
    {
        var folder = Folder();
        Assert.NotEmpty(folder.Migrations);
        Assert.Equal("0001_initial.sql", folder.Migrations[0].FileName);
        Assert.Empty(folder.Verify());
        Assert.All(folder.Migrations, m => Assert.DoesNotContain(StatementLint.Lint(m), f => !m.Allowed.Contains(f.Rule.Category)));
        var plan = SchemaDiffer.Diff(folder.ReadSnapshot().Model, SchemaWorkspace.Compile(RepositoryFiles.SchemaText));
        Assert.True(plan.IsEmpty, "schema.yaml has changes no migration captures: " + string.Join("; ", plan.Changes.Select(c => c.Description)));
    }

    [Fact]
    public void The_model_embeds_exactly_the_migration_files()
    {
        var folder = Folder();
        Assert.Equal(folder.Migrations.Select(m => m.FileName), NarralyticaMigrations.All.Select(m => m.FileName));
        Assert.Equal(folder.Migrations.Select(m => m.Checksum), NarralyticaMigrations.All.Select(m => m.Checksum));
        Assert.Equal(MigrationSum.Compute(folder.Migrations).Select(s => s.Hash), NarralyticaMigrations.All.Select(m => m.Sum));
        Assert.Equal(folder.Migrations.Select(m => m.Statements.Count), NarralyticaMigrations.All.Select(m => m.Statements.Count));
    }

    [Fact]
    public async Task Applying_every_migration_gives_the_catalog_of_a_fresh_schema()
    {
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        var migrated = await workspace.NewSchemaAsync();
        foreach (var migration in Folder().Migrations)
            await MigrationRunner.RunFileAsync(workspace.Connection, migration);
        var actual = await workspace.CatalogAsync(migrated);

        var fresh = await workspace.FreshAsync(SchemaWorkspace.Compile(RepositoryFiles.SchemaText));
        var expected = await workspace.CatalogAsync(fresh);
        Assert.True(expected.SequenceEqual(actual), CatalogSnapshot.Difference(expected, actual));
        Assert.Contains(expected, l => l.StartsWith("constraint segments.fk_segments_transcript_id", System.StringComparison.Ordinal));
    }
}
