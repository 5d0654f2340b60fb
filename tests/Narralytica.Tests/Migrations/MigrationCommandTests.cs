using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Migrations;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Migrations;

/// <summary>
/// `narralytica migrations add | check | script | hash` on a copy of the repository's schema.yaml and
/// migrations folder: exit codes, messages, and that what `add` writes applies on PostgreSQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MigrationCommandTests : IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly RepositoryCopy _copy = new();

    public MigrationCommandTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => _copy.Dispose();

    private string SchemaPath => _copy.SchemaPath;

    private string MigrationPath(string name) => _copy.MigrationPath(name);

    private string[] MigrationNames() => _copy.MigrationNames();

    private string? _server;

    /// <summary>The command; those that build in scratch databases (add, check, remove) get the test server with --connection.</summary>
    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        if (args.Length < 2 || args[0] != "migrations" || args[1] is not ("add" or "check" or "remove"))
            return await _copy.RunAsync(args);
        _server ??= await _postgres.CreateEmptyDatabaseAsync();
        return await _copy.RunAsync(args.Concat(new[] { "--connection", _server }).ToArray());
    }

    private void EditSchema(string from, string to)
    {
        var text = File.ReadAllText(SchemaPath);
        Assert.Contains(from, text);
        File.WriteAllText(SchemaPath, text.Replace(from, to));
    }

    private const string VideoPublishedAt = "      published_at: timestamptz?\n";

    [Fact]
    public async Task Check_passes_on_the_repository_and_exits_2_with_the_pending_sql_after_an_edit()
    {
        var (exit, output, _) = await RunAsync("migrations", "check");
        Assert.Equal(0, exit);
        Assert.Contains("Migrations are consistent", output);

        EditSchema(VideoPublishedAt, VideoPublishedAt + "      rating: integer?\n");
        (exit, output, var errors) = await RunAsync("migrations", "check");
        Assert.Equal(2, exit);
        Assert.Contains("warning NARR3040", errors);
        Assert.Contains("add column videos.rating (integer, nullable)", errors);
        Assert.Contains("ALTER TABLE videos ADD COLUMN rating integer;", output);
    }

    [Fact]
    public async Task Add_writes_migrations_that_apply_on_postgresql_and_check_passes_after()
    {
        EditSchema(VideoPublishedAt, VideoPublishedAt + "      rating: {type: integer?, check: rating BETWEEN 1 AND 5}\n");
        EditSchema("      - [published_at desc]\n", "      - [published_at desc]\n      - [rating]\n");
        var before = MigrationNames();
        // A new nullable column holds NULL on every row, so its check cannot fail: nothing to accept.
        var (exit, output, errors) = await RunAsync("migrations", "add", "Add video rating");
        Assert.True(exit == 0, errors);
        var written = MigrationNames().Except(before).ToArray();
        Assert.Equal(new[] { $"{before.Length + 1:D4}_add_video_rating.sql", $"{before.Length + 2:D4}_add_video_rating_indexes.sql" }, written);
        Assert.Contains("outside a transaction", output);
        Assert.DoesNotContain("-- narralytica:allow", File.ReadAllText(MigrationPath(written[0])));
        Assert.DoesNotContain("NARR3014", File.ReadAllText(MigrationPath(written[0])));
        Assert.Contains($"-- One change in 2 migrations, applied in order: {written[0]}, {written[1]}.", File.ReadAllText(MigrationPath(written[1])));

        Assert.Equal(0, (await RunAsync("migrations", "check")).Exit);
        var (again, againOutput, _) = await RunAsync("migrations", "add", "again");
        Assert.Equal(0, again);
        Assert.Contains("No changes", againOutput);
        Assert.Equal(before.Length + 2, MigrationNames().Length);

        // Every migration of the copy, in order, on an empty database, with rows in between.
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        var schema = await workspace.NewSchemaAsync();
        var set = MigrationSet.From(Directory.GetFiles(_copy.MigrationsPath).Select(f => (Path.GetFileName(f), File.ReadAllText(f))));
        foreach (var migration in set.Migrations)
            await MigrationRunner.RunFileAsync(workspace.Connection, migration);
        var fresh = await workspace.FreshAsync(SchemaWorkspace.Compile(File.ReadAllText(SchemaPath)));
        var expected = await workspace.CatalogAsync(fresh);
        var actual = await workspace.CatalogAsync(schema);
        Assert.True(expected.SequenceEqual(actual), CatalogSnapshot.Difference(expected, actual));
    }

    [Fact]
    public async Task Add_refuses_an_unsafe_change_until_it_is_accepted_and_records_the_acceptance()
    {
        EditSchema("      url:\n        type: text?\n        max_bytes: 4096\n", "");
        var before = MigrationNames();
        var (exit, _, errors) = await RunAsync("migrations", "add", "drop_url");
        Assert.Equal(1, exit);
        Assert.Matches(@"schema\.yaml\(\d+,\d+\): error NARR3002 \(destructive\): drops column 'videos.url'", errors);
        Assert.Contains("--allow destructive", errors);
        Assert.Equal(before, MigrationNames());

        Assert.Equal(0, (await RunAsync("migrations", "add", "drop_url", "--allow", "destructive")).Exit);
        var file = MigrationPath(MigrationNames().Last());
        var text = File.ReadAllText(file);
        Assert.Contains("-- narralytica:allow destructive", text);
        Assert.Contains("ALTER TABLE videos DROP COLUMN url;", text);
        Assert.Equal(0, (await RunAsync("migrations", "check")).Exit);

        // Removing the mark (and re-recording the sum) makes check fail on the unmarked unsafe statement.
        File.WriteAllText(file, text.Replace("-- narralytica:allow destructive\n", ""));
        Assert.Equal(0, (await RunAsync("migrations", "hash")).Exit);
        (exit, _, errors) = await RunAsync("migrations", "check");
        Assert.Equal(1, exit);
        Assert.Contains("error NARR3052: NARR3002 (destructive)", errors);
    }

    [Theory]
    [InlineData("      rating: {type: smallint?, check: rating betwen 1 and 5}\n", "check ck_videos_rating", "syntax error at or near \"betwen\"")]
    [InlineData("      rating: {type: smallint, default: five}\n", "the default of videos.rating (five)", "cannot use column reference in DEFAULT expression")]
    [InlineData("      rating: {type: smallint, default: \"'high'\"}\n", "the default of videos.rating ('high')", "invalid input syntax for type smallint")]
    public async Task Sql_that_postgresql_rejects_never_reaches_a_migration_and_is_reported_at_its_line(string column, string what, string error)
    {
        EditSchema(VideoPublishedAt, VideoPublishedAt + column);
        var line = File.ReadAllLines(SchemaPath).ToList().FindIndex(l => l.StartsWith("      rating:", StringComparison.Ordinal)) + 1;
        var before = MigrationNames();
        var snapshot = File.ReadAllText(MigrationPath(MigrationSet.SnapshotFileName));

        var (exit, _, errors) = await RunAsync("migrations", "add", "rating", "--allow", "data-dependent");
        Assert.Equal(1, exit);
        Assert.Matches($@"schema\.yaml\({line},\d+\): error NARR1040: PostgreSQL rejects {System.Text.RegularExpressions.Regex.Escape(what)}", errors);
        Assert.Contains(error, errors);
        Assert.Equal(before, MigrationNames());
        Assert.Equal(snapshot, File.ReadAllText(MigrationPath(MigrationSet.SnapshotFileName)));

        // schema check says the same, on the server given or on a throwaway one.
        (exit, _, errors) = await _copy.RunAsync("schema", "check", "--connection", await _postgres.CreateEmptyDatabaseAsync());
        Assert.Equal(1, exit);
        Assert.Matches($@"schema\.yaml\({line},\d+\): error NARR1040", errors);
    }

    [Fact]
    public async Task Remove_undoes_the_last_migrations_and_restores_the_sum_and_snapshot_exactly()
    {
        var before = MigrationNames();
        var sum = File.ReadAllText(MigrationPath(MigrationSum.FileName));
        var snapshot = File.ReadAllText(MigrationPath(MigrationSet.SnapshotFileName));
        EditSchema(VideoPublishedAt, VideoPublishedAt + "      rating: {type: integer?, check: rating BETWEEN 1 AND 5, default: \"3\"}\n");
        EditSchema("      - [published_at desc]\n", "      - [published_at desc]\n      - columns: [rating]\n        where: rating > 2\n");
        Assert.Equal(0, (await RunAsync("migrations", "add", "rating", "--allow", "data-dependent")).Exit);
        Assert.Equal(before.Length + 2, MigrationNames().Length);

        // Two files for one change (the index is built concurrently after): each remove takes the last.
        var (exit, output, errors) = await RunAsync("migrations", "remove");
        Assert.True(exit == 0, errors);
        Assert.Matches($@"Removed \S*{before.Length + 2:D4}_rating_indexes\.sql; \S*narralytica\.sum and \S*schema\.snapshot\.yaml are what the remaining migrations build", output);
        Assert.Equal(0, (await RunAsync("migrations", "remove")).Exit);
        Assert.Equal(before, MigrationNames());
        Assert.Equal(sum, File.ReadAllText(MigrationPath(MigrationSum.FileName)));
        Assert.Equal(snapshot, File.ReadAllText(MigrationPath(MigrationSet.SnapshotFileName)));

        // schema.yaml still has the change: check says it is uncaptured, and add writes it again.
        Assert.Equal(2, (await RunAsync("migrations", "check")).Exit);
        Assert.Equal(0, (await RunAsync("migrations", "add", "rating", "--allow", "data-dependent")).Exit);
        Assert.Equal(0, (await RunAsync("migrations", "check")).Exit);
    }

    [Fact]
    public async Task Remove_refuses_a_migration_the_database_given_has_applied()
    {
        EditSchema(VideoPublishedAt, VideoPublishedAt + "      rating: integer?\n");
        Assert.Equal(0, (await RunAsync("migrations", "add", "rating")).Exit);
        var applied = await _postgres.CreateEmptyDatabaseAsync();
        Assert.Equal(0, (await _copy.RunAsync("migrations", "apply", "--connection", applied)).Exit);
        var names = MigrationNames();

        var (exit, _, errors) = await _copy.RunAsync("migrations", "remove", "--connection", applied);
        Assert.Equal(1, exit);
        Assert.Contains($"{names.Last()} is applied to the database given", errors);
        Assert.Equal(names, MigrationNames());
    }

    [Fact]
    public async Task Check_fails_when_the_snapshot_is_not_what_the_migrations_build()
    {
        // The way out NARR3051 used to suggest: delete the migration, record the sum again. The snapshot still has the column.
        var before = MigrationNames();
        EditSchema(VideoPublishedAt, VideoPublishedAt + "      rating: integer?\n");
        Assert.Equal(0, (await RunAsync("migrations", "add", "rating")).Exit);
        File.Delete(MigrationPath(MigrationNames().Except(before).Single()));
        Assert.Equal(0, (await RunAsync("migrations", "hash")).Exit);

        var (exit, _, errors) = await RunAsync("migrations", "check");
        Assert.Equal(1, exit);
        Assert.Contains("error NARR3051: the snapshot is not what the migrations build", errors);
        Assert.Contains("missing  column videos.rating", errors);
        Assert.Contains("migrations remove", errors);
    }

    [Fact]
    public async Task Check_fails_on_an_edited_migration_and_names_it()
    {
        File.AppendAllText(MigrationPath("0001_initial.sql"), "\nCREATE TABLE sneaky (id uuid);\n");
        var (exit, _, errors) = await RunAsync("migrations", "check");
        Assert.Equal(1, exit);
        Assert.Contains("error NARR3050: 0001_initial.sql was edited after it was recorded", errors);
    }

    [Fact]
    public async Task Script_prints_the_requested_range_ready_for_psql()
    {
        var before = MigrationNames();
        EditSchema(VideoPublishedAt, VideoPublishedAt + "      rating: integer?\n");
        Assert.Equal(0, (await RunAsync("migrations", "add", "rating")).Exit);
        var rating = Assert.Single(MigrationNames().Except(before));
        var (exit, output, _) = await RunAsync("migrations", "script", "--from", before.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, exit);
        Assert.DoesNotContain("0001_initial.sql", output);
        Assert.DoesNotContain(before.Last(), output);
        Assert.Contains($"-- ───── {rating} ─────\nBEGIN;\n", output);
        Assert.Contains("ALTER TABLE videos ADD COLUMN rating integer;", output);
        Assert.EndsWith("COMMIT;\n\n", output);

        var (all, allOutput, _) = await RunAsync("migrations", "script");
        Assert.Equal(0, all);
        Assert.Contains("CREATE TABLE segments (", allOutput);
        Assert.Equal(1, (await RunAsync("migrations", "script", "--to", "99")).Exit);
    }

    [Fact]
    public async Task Bad_arguments_are_errors_that_say_what_to_write()
    {
        var (exit, _, errors) = await RunAsync("migrations", "add", "x", "--allow", "reckless");
        Assert.Equal(1, exit);
        Assert.Contains("destructive, data-dependent, locking, tenancy", errors);
        (exit, _, errors) = await RunAsync("migrations", "add");
        Assert.Equal(1, exit);
        Assert.Contains("Name the migration", errors);
    }
}
