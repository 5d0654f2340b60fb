using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Narralytica.Schema.Migrations;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Apply;

/// <summary>
/// `migrations apply`, `migrations status` and `drift` from the command line, and an applying
/// process killed in the middle of a migration.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ApplyCommandTests : IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly RepositoryCopy _copy = new();

    public ApplyCommandTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => _copy.Dispose();

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => _copy.RunAsync(args);

    /// <summary>Adds a hand-written migration after the repository's to the copy, records it as `migrations hash` would, and returns its file name.</summary>
    private async Task<string> AddMigrationAsync(string name, string sql)
    {
        var fileName = MigrationFile.FileNameFor(_copy.MigrationNames().Length + 1, name);
        await File.WriteAllTextAsync(_copy.MigrationPath(fileName), sql);
        Assert.Equal(0, (await RunAsync("migrations", "hash")).Exit);
        return fileName;
    }

    [Fact]
    public async Task Apply_then_status_then_drift_on_a_new_database()
    {
        var connection = await _postgres.CreateEmptyDatabaseAsync();
        var (exit, output, _) = await RunAsync("migrations", "status", "--connection", connection);
        Assert.Equal(2, exit);
        Assert.Contains("pending  0001_initial.sql", output);

        (exit, output, var errors) = await RunAsync("migrations", "apply", "--connection", connection);
        Assert.True(exit == 0, errors);
        Assert.Matches(@"0001_initial\.sql … done in \d+ ms", output);

        (exit, output, _) = await RunAsync("migrations", "apply", "--connection", connection, "--json");
        Assert.Equal(0, exit);
        using (var json = JsonDocument.Parse(output))
        {
            Assert.Equal(0, json.RootElement.GetProperty("applied").GetArrayLength());
            Assert.True(json.RootElement.GetProperty("upToDate").GetBoolean());
        }

        (exit, output, _) = await RunAsync("migrations", "status", "--connection", connection, "--json");
        Assert.Equal(0, exit);
        using (var json = JsonDocument.Parse(output))
            Assert.Equal("0001_initial.sql", json.RootElement.GetProperty("applied")[0].GetProperty("file").GetString());

        (exit, output, _) = await RunAsync("drift", "--connection", connection);
        Assert.True(exit == 0, output);
        Assert.Contains("No drift", output);
    }

    [Fact]
    public async Task Drift_reports_hand_made_changes_and_its_sql_reconciles_them()
    {
        var connection = await DriftSql.MigratedAsync(_postgres, _copy);
        await PostgresFixture.ExecuteAsync(connection,
            "CREATE INDEX ix_handmade ON videos (title); ALTER TABLE videos DROP COLUMN url; ALTER TABLE jobs ALTER COLUMN max_attempts SET DEFAULT 3; CREATE TABLE scratch (id integer PRIMARY KEY)");

        var output = await DriftSql.ReportAsync(_copy, connection);
        Assert.Contains("extra    index ix_handmade", output);
        Assert.Contains("missing  column videos.url", output);
        Assert.Contains("changed  set the default of jobs.max_attempts to 5", output);
        Assert.Contains("extra    table scratch", output);

        var sql = await DriftSql.ReadAsync(_copy, connection);
        Assert.Contains("DROP INDEX ix_handmade;", sql);
        Assert.Contains("DROP TABLE scratch;", sql);

        // The reconciling SQL, run as printed, leaves no drift.
        await DriftSql.ReconcileAsync(_copy, connection, sql);
    }

    [Fact]
    public async Task A_killed_applier_leaves_nothing_half_applied_and_the_next_apply_completes()
    {
        var connection = await _postgres.CreateEmptyDatabaseAsync();
        // The migration stops on a table the test holds locked, so the applier is surely mid-migration when it is killed.
        await using var gate = new NpgsqlConnection(connection);
        await gate.OpenAsync();
        await new NpgsqlCommand("CREATE TABLE apply_gate (id integer)", gate).ExecuteNonQueryAsync();
        await using var holding = await gate.BeginTransactionAsync();
        await new NpgsqlCommand("LOCK TABLE apply_gate IN ACCESS EXCLUSIVE MODE", gate, holding).ExecuteNonQueryAsync();
        var slow = await AddMigrationAsync("slow", "CREATE TABLE slow_marker (id integer);\nLOCK TABLE apply_gate IN ACCESS SHARE MODE;\nCREATE TABLE slow_done (id integer);\n");

        var cli = Path.Combine(AppContext.BaseDirectory, "narralytica.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { cli, "migrations", "apply", "--schema", _copy.SchemaPath, "--connection", connection })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        await using (var watcher = new NpgsqlConnection(connection))
        {
            await watcher.OpenAsync();
            var clock = Stopwatch.StartNew();
            var seen = false;
            while (!seen && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3))
            {
                await Task.Delay(50);
                seen = (long)(await new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LOCK TABLE apply_gate IN ACCESS SHARE%' AND wait_event_type = 'Lock'", watcher).ExecuteScalarAsync())! > 0;
            }
            Assert.True(seen, "the applier never reached the gated statement");
        }
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        // Released: the killed applier's session wakes, finds its client gone and rolls back.
        await holding.RollbackAsync();

        // PostgreSQL rolls the open transaction back when the session ends; the next apply waits for it.
        var (exit, output, errors) = await RunAsync("migrations", "apply", "--connection", connection);
        Assert.True(exit == 0, output + errors);
        Assert.Contains($"{slow} … done", output);
        await using var check = new NpgsqlConnection(connection);
        await check.OpenAsync();
        Assert.Equal(_copy.MigrationNames().Length, (long)(await new NpgsqlCommand("SELECT count(*) FROM narralytica_schema_history", check).ExecuteScalarAsync())!);
        Assert.Equal(2L, (long)(await new NpgsqlCommand("SELECT count(*) FROM pg_class WHERE relname IN ('slow_marker', 'slow_done')", check).ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Apply_refuses_an_edited_migration_with_exit_1_and_status_says_why()
    {
        var connection = await _postgres.CreateEmptyDatabaseAsync();
        var small = await AddMigrationAsync("small", "CREATE TABLE small (id integer);\n");
        Assert.Equal(0, (await RunAsync("migrations", "apply", "--connection", connection)).Exit);
        await File.WriteAllTextAsync(_copy.MigrationPath(small), "CREATE TABLE small (id bigint);\n");
        Assert.Equal(0, (await RunAsync("migrations", "hash")).Exit);

        var (exit, _, errors) = await RunAsync("migrations", "apply", "--connection", connection);
        Assert.Equal(1, exit);
        Assert.Contains($"{small} was applied with checksum", errors);
        (exit, _, errors) = await RunAsync("migrations", "status", "--connection", connection);
        Assert.Equal(1, exit);
        Assert.Contains("edited after it ran", errors);
    }

    [Fact]
    public async Task Apply_without_a_database_or_with_a_bad_connection_string_says_what_to_do()
    {
        var saved = Environment.GetEnvironmentVariable("NARRALYTICA_DATABASE");
        Environment.SetEnvironmentVariable("NARRALYTICA_DATABASE", null);
        try
        {
            var (exit, _, errors) = await RunAsync("migrations", "apply");
            Assert.Equal(1, exit);
            Assert.Contains("migrations apply needs a database", errors);
            (exit, _, errors) = await RunAsync("drift", "--connection", "Host=localhost;Port=notaport");
            Assert.Equal(1, exit);
            Assert.Contains("is not a valid connection string", errors);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NARRALYTICA_DATABASE", saved);
        }
    }
}
