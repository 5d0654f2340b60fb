using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Apply;

/// <summary>
/// Applying migrations on a real PostgreSQL: history, concurrency, per-migration transactions, the
/// refusals, failures on data, a dropped connection and an INVALID index left by a concurrent build.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ApplyTests
{
    private readonly PostgresFixture _postgres;

    public ApplyTests(PostgresFixture postgres) => _postgres = postgres;

    private async Task<NpgsqlDataSource> EmptyDatabaseAsync(string applicationName = "narralytica tests")
        => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(await _postgres.CreateEmptyDatabaseAsync()) { ApplicationName = applicationName }.ConnectionString);

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static Task<long> HistoryRowsAsync(NpgsqlDataSource dataSource)
        => ScalarAsync<long>(dataSource, "SELECT count(*) FROM narralytica_schema_history");

    [Fact]
    public async Task The_embedded_migrations_build_the_schema_and_a_second_apply_finds_nothing_to_do()
    {
        await using var dataSource = await EmptyDatabaseAsync();
        var migrator = new SchemaMigrator(dataSource);
        var applied = await migrator.ApplyAsync();
        Assert.Equal(NarralyticaMigrations.All.Select(m => m.FileName), applied.Select(m => m.FileName));
        Assert.Empty(await migrator.ApplyAsync());
        Assert.True((await migrator.StatusAsync()).IsUpToDate);

        await using var connection = await dataSource.OpenConnectionAsync();
        var history = await ScalarAsync<string>(dataSource, "SELECT string_agg(file_name || ' ' || checksum || ' ' || sum, ',' ORDER BY version) FROM narralytica_schema_history");
        Assert.Equal(string.Join(",", NarralyticaMigrations.All.Select(m => $"{m.FileName} {m.Checksum} {m.Sum}")), history);
        Assert.True(await ScalarAsync<bool>(dataSource, "SELECT bool_and(applied_by = current_user AND duration_ms >= 0 AND applied_at <= now()) FROM narralytica_schema_history"));
        var actual = await CatalogSnapshot.ReadAsync(connection, "public");
        Assert.Contains("constraint segments.pk_segments PRIMARY KEY (tenant_id, id)", actual);
    }

    [Fact]
    public async Task Four_appliers_at_once_apply_each_migration_exactly_once()
    {
        await using var dataSource = await EmptyDatabaseAsync();
        // Two migrations numbered after the repository's (the first of the three only starts the chain).
        var repository = TestMigrations.Repository();
        var migrations = repository.Concat(TestMigrations.Of(
            "SELECT 1;",
            TestMigrations.NoTransaction + "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_segments_text ON segments (tenant_id, text);",
            "ALTER TABLE videos ADD COLUMN rating integer;").Select((m, i) =>
                new SchemaMigration(repository.Count + i, m.Name, $"{repository.Count + i:D4}_{m.Name}.sql", m.Checksum, m.Sum, m.Transactional, m.Text, m.Statements)).Skip(1)).ToList();
        var appliers = Enumerable.Range(0, 4).Select(_ => new SchemaMigrator(dataSource, migrations) { LockPollInterval = TimeSpan.FromMilliseconds(20) }).ToList();
        var results = await Task.WhenAll(appliers.Select(a => Task.Run(() => a.ApplyAsync())));

        Assert.Equal(migrations.Count, results.Sum(r => r.Count));
        Assert.Equal(migrations.Select(m => m.FileName).OrderBy(n => n), results.SelectMany(r => r).Select(m => m.FileName).OrderBy(n => n));
        Assert.Equal(migrations.Count, await HistoryRowsAsync(dataSource));
        Assert.Equal(1L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM pg_class WHERE relname = 'segments'"));
        Assert.True(await ScalarAsync<bool>(dataSource, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_segments_text'::regclass"));
    }

    [Fact]
    public async Task A_migration_failing_on_data_is_rolled_back_and_says_where()
    {
        await using var dataSource = await EmptyDatabaseAsync();
        var first = TestMigrations.Of("CREATE TABLE notes (id integer PRIMARY KEY, body text);\nINSERT INTO notes VALUES (1, NULL), (2, 'kept');");
        await new SchemaMigrator(dataSource, first).ApplyAsync();

        var second = TestMigrations.Of(first[0].Text, "-- make body required\nALTER TABLE notes ADD COLUMN title text;\n\nALTER TABLE notes ALTER COLUMN body SET NOT NULL;\n");
        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => new SchemaMigrator(dataSource, second).ApplyAsync());
        Assert.Equal("23502", failure.SqlState);
        Assert.StartsWith("0002_step_2.sql, line 4: column \"body\" of relation \"notes\" contains null values", failure.Message);
        Assert.Contains("in: ALTER TABLE notes ALTER COLUMN body SET NOT NULL;", failure.Message);
        Assert.Contains("rolled back", failure.Message);

        Assert.Equal(1L, await HistoryRowsAsync(dataSource));
        Assert.Equal(0L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'title'"));
        Assert.Equal("∅,kept", await ScalarAsync<string>(dataSource, "SELECT string_agg(coalesce(body, '∅'), ',' ORDER BY id) FROM notes"));
    }

    [Fact]
    public async Task An_applied_migration_edited_afterwards_is_refused()
    {
        await using var dataSource = await EmptyDatabaseAsync();
        await new SchemaMigrator(dataSource, TestMigrations.Of("CREATE TABLE a (id integer);", "CREATE TABLE b (id integer);")).ApplyAsync();
        var edited = TestMigrations.Of("CREATE TABLE a (id integer, x integer);", "CREATE TABLE b (id integer);", "CREATE TABLE c (id integer);");
        var refusal = await Assert.ThrowsAsync<MigrationConflictException>(() => new SchemaMigrator(dataSource, edited).ApplyAsync());
        var conflict = Assert.Single(refusal.Conflicts);
        Assert.Equal(MigrationConflictKind.ChecksumMismatch, conflict.Kind);
        Assert.Contains("0001_step_1.sql was applied with checksum", conflict.Message);
        Assert.Equal(0L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM pg_class WHERE relname = 'c'"));
    }

    [Fact]
    public async Task A_database_ahead_of_the_code_is_refused()
    {
        await using var dataSource = await EmptyDatabaseAsync();
        var three = TestMigrations.Of("CREATE TABLE a (id integer);", "CREATE TABLE b (id integer);", "CREATE TABLE c (id integer);");
        await new SchemaMigrator(dataSource, three).ApplyAsync();
        var refusal = await Assert.ThrowsAsync<MigrationConflictException>(() => new SchemaMigrator(dataSource, three.Take(2).ToList()).ApplyAsync());
        Assert.Equal(MigrationConflictKind.DatabaseAhead, Assert.Single(refusal.Conflicts).Kind);
        Assert.Contains("the database is ahead of this code", refusal.Message);
    }

    [Fact]
    public async Task A_migration_merged_out_of_order_is_refused()
    {
        await using var dataSource = await EmptyDatabaseAsync();
        var three = TestMigrations.Of("CREATE TABLE a (id integer);", "CREATE TABLE b (id integer);", "CREATE TABLE c (id integer);");
        await new SchemaMigrator(dataSource, new[] { three[0], three[2] }).ApplyAsync();
        var refusal = await Assert.ThrowsAsync<MigrationConflictException>(() => new SchemaMigrator(dataSource, three).ApplyAsync());
        var conflict = Assert.Single(refusal.Conflicts);
        Assert.Equal(MigrationConflictKind.OutOfOrder, conflict.Kind);
        Assert.Contains("0002_step_2.sql is not applied, but the newer 0003_step_3.sql is", conflict.Message);
        var status = await new SchemaMigrator(dataSource, three).StatusAsync();
        Assert.False(status.IsUpToDate);
        Assert.Equal(new[] { "0002_step_2.sql" }, status.Pending.Select(p => p.FileName));
    }

    [Fact]
    public async Task A_dropped_connection_leaves_nothing_half_applied_and_the_next_apply_recovers()
    {
        await using var dataSource = await EmptyDatabaseAsync("narralytica dropped");
        // The second migration stops on a table the test holds locked, so its connection is surely dropped mid-migration.
        await using var gate = await dataSource.OpenConnectionAsync();
        await new NpgsqlCommand("CREATE TABLE apply_gate (id integer)", gate).ExecuteNonQueryAsync();
        await using var holding = await gate.BeginTransactionAsync();
        await new NpgsqlCommand("LOCK TABLE apply_gate IN ACCESS EXCLUSIVE MODE", gate, holding).ExecuteNonQueryAsync();
        var migrations = TestMigrations.Of("CREATE TABLE a (id integer);", "CREATE TABLE b (id integer);\nLOCK TABLE apply_gate IN ACCESS SHARE MODE;\nCREATE TABLE c (id integer);");
        var apply = Task.Run(() => new SchemaMigrator(dataSource, migrations).ApplyAsync());
        await using (var killer = new NpgsqlConnection(dataSource.ConnectionString))
        {
            await killer.OpenAsync();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!apply.IsCompleted && !await TerminateGatedAsync(killer))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "the migration never reached the gated statement");
                await Task.Delay(25);
            }
        }
        await holding.RollbackAsync();
        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => apply);
        Assert.Contains("0002_step_2.sql, line 2", failure.Message);
        Assert.Equal(1L, await HistoryRowsAsync(dataSource));
        Assert.Equal(0L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM pg_class WHERE relname = 'b'"));

        NpgsqlConnection.ClearAllPools();
        Assert.Equal(new[] { "0002_step_2.sql" }, (await new SchemaMigrator(dataSource, migrations).ApplyAsync()).Select(m => m.FileName));
        Assert.Equal(2L, await HistoryRowsAsync(dataSource));
    }

    private static async Task<bool> TerminateGatedAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'narralytica dropped' AND query LIKE 'LOCK TABLE apply_gate IN ACCESS SHARE%' AND wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    [Fact]
    public async Task An_index_left_invalid_by_a_failed_concurrent_build_is_rebuilt_on_the_next_apply()
    {
        await using var dataSource = await EmptyDatabaseAsync();
        var migrations = TestMigrations.Of(
            "CREATE TABLE tags (id integer PRIMARY KEY, code text);\nINSERT INTO tags VALUES (1, 'x'), (2, 'x');",
            TestMigrations.NoTransaction + "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ux_tags_code ON tags (code);");
        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => new SchemaMigrator(dataSource, migrations).ApplyAsync());
        Assert.Contains("outside a transaction", failure.Message);
        Assert.False(await ScalarAsync<bool>(dataSource, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ux_tags_code'::regclass"));
        Assert.Equal(1L, await HistoryRowsAsync(dataSource));

        await using (var fix = dataSource.CreateCommand("DELETE FROM tags WHERE id = 2"))
            await fix.ExecuteNonQueryAsync();
        var events = new List<MigrationEvent>();
        var applied = await new SchemaMigrator(dataSource, migrations).ApplyAsync(new SynchronousProgress(events.Add));
        Assert.Equal(new[] { "0002_step_2.sql" }, applied.Select(m => m.FileName));
        Assert.Contains(events, e => e.Kind == MigrationEventKind.RebuildingInvalidIndex && e.Message.Contains("ux_tags_code"));
        Assert.True(await ScalarAsync<bool>(dataSource, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ux_tags_code'::regclass"));
    }

    [Fact]
    public async Task A_mixed_case_schema_gets_its_own_history_and_status_ignores_other_schemas()
    {
        var connectionString = await _postgres.CreateEmptyDatabaseAsync();
        await PostgresFixture.ExecuteAsync(connectionString, "CREATE SCHEMA \"MyApp\"; CREATE SCHEMA other");
        var migrations = TestMigrations.Of("CREATE TABLE a (id integer PRIMARY KEY);", TestMigrations.NoTransaction + "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_a ON a (id);");
        await using (var mixed = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = "\"MyApp\"" }.ConnectionString))
        {
            Assert.Equal(2, (await new SchemaMigrator(mixed, migrations).ApplyAsync()).Count);
            Assert.True((await new SchemaMigrator(mixed, migrations).StatusAsync()).IsUpToDate);
        }
        // Drift reads the mixed-case schema too: the repository's migrations there match schema.yaml.
        await using (var app = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = "\"MyApp\"" }.ConnectionString))
        {
            await app.OpenAsync();
            await new NpgsqlCommand("DROP TABLE a; DROP TABLE narralytica_schema_history", app).ExecuteNonQueryAsync();
            await using (var source = NpgsqlDataSource.Create(app.ConnectionString))
                await new SchemaMigrator(source, TestMigrations.Repository()).ApplyAsync();
            var drift = await Narralytica.Database.Drift.SchemaDrift.CompareAsync(app, SchemaWorkspace.Compile(RepositoryFiles.SchemaText));
            Assert.Equal("MyApp", drift.Schema);
            Assert.False(drift.HasDrift, string.Join("\n", drift.Differences));
        }

        // "other" comes first on this path and has no history, even though "MyApp" further on has one.
        await using var other = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = "other, \"MyApp\"" }.ConnectionString);
        var status = await new SchemaMigrator(other, migrations).StatusAsync();
        Assert.Empty(status.Applied);
        Assert.Equal(2, status.Pending.Count);
    }

    [Fact]
    public async Task A_lock_timeout_fails_a_migration_stuck_behind_a_long_transaction_and_rolls_it_back()
    {
        await using var dataSource = await EmptyDatabaseAsync();
        var migrations = TestMigrations.Of("CREATE TABLE a (id integer);", "ALTER TABLE a ADD COLUMN note text;");
        await new SchemaMigrator(dataSource, migrations.Take(1).ToList()).ApplyAsync();
        await using var blocker = await dataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await new NpgsqlCommand("LOCK TABLE a IN ACCESS SHARE MODE", blocker, transaction).ExecuteNonQueryAsync();

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() =>
            new SchemaMigrator(dataSource, migrations) { LockTimeout = TimeSpan.FromMilliseconds(200) }.ApplyAsync());
        Assert.Equal("55P03", failure.SqlState);
        await transaction.RollbackAsync();
        Assert.Equal(1L, await HistoryRowsAsync(dataSource));
    }

    private sealed class SynchronousProgress : IProgress<MigrationEvent>
    {
        private readonly Action<MigrationEvent> _report;
        public SynchronousProgress(Action<MigrationEvent> report) => _report = report;
        public void Report(MigrationEvent value) => _report(value);
    }
}
