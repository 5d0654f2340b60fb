using System;
using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Xunit;

namespace Narralytica.Tests.Apply;

/// <summary>
/// `migrations baseline`: a database built by `schema sql` (or by hand) is adopted when it matches schema.yaml, so
/// later migrations apply to it; one that differs is refused with the differences, and nothing is recorded.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BaselineCommandTests : IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly RepositoryCopy _copy = new();

    public BaselineCommandTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => _copy.Dispose();

    /// <summary>A database holding what `narralytica schema sql` prints, run as a user would run it with psql.</summary>
    private async Task<string> BuiltBySchemaSqlAsync()
    {
        var database = await _postgres.CreateEmptyDatabaseAsync();
        await PostgresFixture.ExecuteAsync(database, DdlEmitter.Script(SchemaWorkspace.Compile(System.IO.File.ReadAllText(_copy.SchemaPath))));
        return database;
    }

    [Fact]
    public async Task A_database_built_by_schema_sql_is_adopted_and_later_migrations_apply_to_it()
    {
        var database = await BuiltBySchemaSqlAsync();
        // Without a baseline the migrations cannot apply: their first statement creates what exists.
        var (exit, _, errors) = await _copy.RunAsync("migrations", "apply", "--connection", database);
        Assert.Equal(1, exit);
        Assert.Contains("already exists", errors);

        (exit, var output, errors) = await _copy.RunAsync("migrations", "baseline", "--connection", database);
        Assert.True(exit == 0, errors);
        Assert.Contains("it matches schema.yaml", output);
        Assert.Contains("recorded as applied", output);
        Assert.Equal(0, (await _copy.RunAsync("migrations", "status", "--connection", database)).Exit);

        // A later change applies as on any migrated database, and leaves no drift.
        var schema = System.IO.File.ReadAllText(_copy.SchemaPath);
        System.IO.File.WriteAllText(_copy.SchemaPath, schema.Replace("      published_at: timestamptz?\n", "      published_at: timestamptz?\n      rating: integer?\n"));
        Assert.Equal(0, (await _copy.RunAsync("migrations", "add", "rating", "--connection", await _postgres.CreateEmptyDatabaseAsync())).Exit);
        (exit, _, errors) = await _copy.RunAsync("migrations", "apply", "--connection", database);
        Assert.True(exit == 0, errors);
        Assert.Equal(0, (await _copy.RunAsync("drift", "--connection", database)).Exit);

        // Adopted once: a second baseline is refused.
        (exit, _, errors) = await _copy.RunAsync("migrations", "baseline", "--connection", database);
        Assert.Equal(1, exit);
        Assert.Contains("a baseline adopts only a database without history", errors);
    }

    [Fact]
    public async Task A_database_that_differs_from_schema_yaml_is_refused_with_the_differences_and_nothing_is_recorded()
    {
        var database = await BuiltBySchemaSqlAsync();
        await PostgresFixture.ExecuteAsync(database, "ALTER TABLE videos DROP COLUMN url; ALTER TABLE videos ADD COLUMN extra integer");

        var (exit, _, errors) = await _copy.RunAsync("migrations", "baseline", "--connection", database);
        Assert.Equal(2, exit);
        Assert.Contains("Not adopted", errors);
        Assert.Contains("missing  column videos.url", errors);
        Assert.Contains("extra    column videos.extra", errors);
        Assert.Contains("Nothing was recorded", errors);
        // Every migration is still pending.
        var (status, output, _) = await _copy.RunAsync("migrations", "status", "--connection", database);
        Assert.Equal(2, status);
        Assert.Contains("pending  0001_initial.sql", output);
    }

    [Fact]
    public async Task A_schema_yaml_with_uncaptured_changes_is_refused_before_the_database_is_read()
    {
        var database = await BuiltBySchemaSqlAsync();
        var schema = System.IO.File.ReadAllText(_copy.SchemaPath);
        System.IO.File.WriteAllText(_copy.SchemaPath, schema.Replace("      published_at: timestamptz?\n", "      published_at: timestamptz?\n      rating: integer?\n"));
        var (exit, _, errors) = await _copy.RunAsync("migrations", "baseline", "--connection", database);
        Assert.Equal(1, exit);
        Assert.Contains("schema.yaml has changes no migration captures", errors);
        Assert.Contains("add column videos.rating", errors);
    }
}
