using System;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Apply;

/// <summary>
/// The lock that serializes appliers (narralytica_schema_lock): created by the first of many appliers on a new
/// database, added to a database migrated before it existed, waited for while another process holds it, and out of
/// the application role's reach (the attack suite tries that as the application's login).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MigrationLockTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly PostgresFixture _postgres;

    public MigrationLockTests(PostgresFixture postgres) => _postgres = postgres;

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Eight_appliers_starting_together_on_a_new_database_create_the_lock_table_once_and_apply_each_migration_once()
    {
        for (var round = 0; round < 3; round++)
        {
            await using var dataSource = NpgsqlDataSource.Create(await _postgres.CreateEmptyDatabaseAsync());
            var migrations = TestMigrations.Of("CREATE TABLE a (id integer);", TestMigrations.NoTransaction + "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_a ON a (id);");
            var appliers = Enumerable.Range(0, 8).Select(_ => new SchemaMigrator(dataSource, migrations) { LockPollInterval = TimeSpan.FromMilliseconds(10) });
            var results = await Task.WhenAll(appliers.Select(a => Task.Run(() => a.ApplyAsync())));

            Assert.Equal(migrations.Count, results.Sum(r => r.Count));
            Assert.Equal(2L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM narralytica_schema_history"));
            Assert.Equal(1L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM pg_class WHERE relname = 'narralytica_schema_lock'"));
        }
    }

    [Fact]
    public async Task A_database_migrated_before_the_lock_table_existed_gets_it_on_the_next_apply()
    {
        await using var dataSource = NpgsqlDataSource.Create(await _postgres.CreateEmptyDatabaseAsync());
        var migrations = TestMigrations.Of("CREATE TABLE a (id integer);", "ALTER TABLE a ADD COLUMN note text;");
        await new SchemaMigrator(dataSource, migrations.Take(1).ToList()).ApplyAsync();
        // What an earlier migrator left: the history, and no lock table (it took an advisory lock instead).
        await using (var command = dataSource.CreateCommand("DROP TABLE narralytica_schema_lock"))
            await command.ExecuteNonQueryAsync();

        Assert.Single(await new SchemaMigrator(dataSource, migrations).ApplyAsync());
        Assert.Equal(1L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM pg_class WHERE relname = 'narralytica_schema_lock'"));
    }

    [Fact]
    public async Task An_applier_waits_while_another_process_holds_the_lock_says_so_and_applies_once_it_is_released()
    {
        await using var dataSource = NpgsqlDataSource.Create(await _postgres.CreateEmptyDatabaseAsync());
        var migrations = TestMigrations.Of("CREATE TABLE a (id integer);", "ALTER TABLE a ADD COLUMN note text;");
        await new SchemaMigrator(dataSource, migrations.Take(1).ToList()).ApplyAsync();

        await using var holder = await dataSource.OpenConnectionAsync();
        var transaction = await holder.BeginTransactionAsync();
        await new NpgsqlCommand("LOCK TABLE narralytica_schema_lock IN SHARE ROW EXCLUSIVE MODE", holder, transaction).ExecuteNonQueryAsync();

        var waiting = new TaskCompletionSource();
        var progress = new SynchronousProgress(e =>
        {
            if (e.Kind == MigrationEventKind.WaitingForLock)
                waiting.TrySetResult();
        });
        var apply = Task.Run(() => new SchemaMigrator(dataSource, migrations) { LockPollInterval = TimeSpan.FromMilliseconds(20) }.ApplyAsync(progress));
        await waiting.Task.WaitAsync(Patience);
        await Task.Delay(200);
        Assert.False(apply.IsCompleted);
        Assert.Equal(1L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM narralytica_schema_history"));

        await transaction.RollbackAsync();
        Assert.Single(await apply.WaitAsync(Patience));
    }

    private sealed class SynchronousProgress : IProgress<MigrationEvent>
    {
        private readonly Action<MigrationEvent> _report;
        public SynchronousProgress(Action<MigrationEvent> report) => _report = report;
        public void Report(MigrationEvent value) => _report(value);
    }
}
