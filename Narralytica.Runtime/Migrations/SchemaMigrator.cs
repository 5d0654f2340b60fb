using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>What the migrator is doing, for progress output.</summary>
public enum MigrationEventKind
{
    /// <summary>Another process holds the migration lock; this one waits for it.</summary>
    WaitingForLock,

    /// <summary>A migration starts.</summary>
    Starting,

    /// <summary>An index left INVALID by an interrupted concurrent build is dropped to be built again.</summary>
    RebuildingInvalidIndex,

    /// <summary>A migration is applied and recorded.</summary>
    Applied,
}

/// <summary>One progress report of <see cref="SchemaMigrator.ApplyAsync"/>.</summary>
public sealed record MigrationEvent(MigrationEventKind Kind, SchemaMigration? Migration, TimeSpan Duration, string Message);

/// <summary>
/// Applies migrations to a database and records them in <c>narralytica_schema_history</c>, safely when
/// many instances start at once: one applies, the others wait and then find nothing to do (<see cref="MigrationLock"/>,
/// a lock the application role cannot take). Each
/// migration runs in its own transaction (history row included), or, when marked to run outside
/// one, statement by statement, re-runnable, with INVALID leftovers of concurrent index builds rebuilt.
/// </summary>
/// <example><code>
/// await using var dataSource = NpgsqlDataSource.Create(connectionString);
/// await new SchemaMigrator(dataSource).ApplyAsync();   // the migrations compiled into the generated layer
/// </code></example>
public sealed class SchemaMigrator
{
    private static readonly Regex ConcurrentIndex = new(
        @"^CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<name>""(?:[^""]|"""")+""|[A-Za-z_][A-Za-z0-9_$]*)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private readonly NpgsqlDataSource _dataSource;
    private readonly IReadOnlyList<SchemaMigration> _migrations;

    /// <summary>A migrator for <paramref name="migrations"/>, by default those compiled into the generated layer (<see cref="ISchemaBinding.Migrations"/> of <see cref="SchemaBindings.Current"/>).</summary>
    public SchemaMigrator(NpgsqlDataSource dataSource, IReadOnlyList<SchemaMigration>? migrations = null)
    {
        _dataSource = dataSource;
        _migrations = (migrations ?? SchemaBindings.Current.Migrations).OrderBy(m => m.Version).ToList();
        if (_migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Two migrations have number {twice.Key}: {string.Join(", ", twice.Select(m => m.FileName))}; each number once.", nameof(migrations));
    }

    /// <summary>
    /// How often a waiting applier asks for the lock again. It asks with LOCK TABLE … NOWAIT rather than
    /// blocking in LOCK TABLE: a blocked waiter holds a snapshot, which CREATE INDEX CONCURRENTLY in
    /// the applying session would wait for — a deadlock. The lock is held on a second connection of the data source.
    /// </summary>
    public TimeSpan LockPollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a statement of a migration may wait for a table lock (PostgreSQL's lock_timeout) before it
    /// fails, the migration rolled back; null (the default) waits as long as it takes. A DDL statement queued
    /// behind a long transaction blocks every query on its table meanwhile, so production deploys often
    /// set a few seconds and retry.
    /// </summary>
    public TimeSpan? LockTimeout { get; init; }

    /// <summary>Applied and pending migrations and their conflicts, read without taking the lock.</summary>
    public async Task<MigrationStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var schema = await TargetSchemaAsync(connection, cancellationToken);
        return MigrationStatus.Compare(await MigrationHistory.ReadAsync(connection, schema, cancellationToken), _migrations);
    }

    /// <summary>
    /// Applies every pending migration, oldest first, and returns the ones this call applied (none when
    /// another instance applied them meanwhile). Refuses with <see cref="MigrationConflictException"/>
    /// when history and migrations disagree; throws <see cref="MigrationFailedException"/> when a statement fails.
    /// </summary>
    public async Task<IReadOnlyList<SchemaMigration>> ApplyAsync(IProgress<MigrationEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // Read once: a migration that changes the search path must not move the lock or the history.
        var schema = await TargetSchemaAsync(connection, cancellationToken);
        await using (await LockAsync(schema, progress, cancellationToken))
        {
            await MigrationHistory.EnsureAsync(connection, schema, cancellationToken);
            if (LockTimeout is { } timeout)
            {
                await using var setting = new NpgsqlCommand($"SET lock_timeout = '{(long)timeout.TotalMilliseconds}ms'", connection);
                await setting.ExecuteNonQueryAsync(cancellationToken);
            }
            var status = MigrationStatus.Compare(await MigrationHistory.ReadAsync(connection, schema, cancellationToken), _migrations);
            if (status.Conflicts.Count > 0)
                throw new MigrationConflictException(status.Conflicts);
            var applied = new List<SchemaMigration>();
            foreach (var migration in status.Pending)
            {
                progress?.Report(new MigrationEvent(MigrationEventKind.Starting, migration, TimeSpan.Zero, $"applying {migration.FileName}"));
                var clock = Stopwatch.StartNew();
                if (migration.Transactional)
                    await ApplyInTransactionAsync(connection, schema, migration, clock, cancellationToken);
                else
                    await ApplyStatementByStatementAsync(connection, schema, migration, clock, progress, cancellationToken);
                applied.Add(migration);
                progress?.Report(new MigrationEvent(MigrationEventKind.Applied, migration, clock.Elapsed, $"applied {migration.FileName}"));
            }
            return applied;
        }
    }

    /// <summary>
    /// Records every migration as applied without running any: the adoption of a database whose schema was built
    /// otherwise (<c>schema sql</c>, by hand) and that the caller has found equal to what the migrations build (drift).
    /// Later migrations then apply as usual. Refused when the history holds any row: that database is migrated by
    /// <see cref="ApplyAsync"/>, never adopted again.
    /// </summary>
    public async Task<IReadOnlyList<SchemaMigration>> BaselineAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var schema = await TargetSchemaAsync(connection, cancellationToken);
        await using (await LockAsync(schema, null, cancellationToken))
        {
            await MigrationHistory.EnsureAsync(connection, schema, cancellationToken);
            var history = await MigrationHistory.ReadAsync(connection, schema, cancellationToken);
            if (history.Count > 0)
                throw new InvalidOperationException(
                    $"Schema {schema} already records {history.Count} applied migration(s), up to {history[history.Count - 1].FileName}: a baseline adopts only a database " +
                    "without history. Apply the pending migrations instead (narralytica migrations apply).");
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var migration in _migrations)
                await MigrationHistory.RecordAsync(connection, transaction, schema, migration, 0, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return _migrations;
        }
    }

    /// <summary>The schema the migrations apply to: the first existing schema of the search path.</summary>
    private static async Task<string> TargetSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT current_schema()", connection);
        return await command.ExecuteScalarAsync(cancellationToken) as string
               ?? throw new InvalidOperationException("The connection has no current schema: its search_path names no existing schema. Create the schema, or set Search Path in the connection string.");
    }

    private Task<MigrationLock> LockAsync(string schema, IProgress<MigrationEvent>? progress, CancellationToken cancellationToken)
        => MigrationLock.AcquireAsync(_dataSource, schema, LockPollInterval,
            () => progress?.Report(new MigrationEvent(MigrationEventKind.WaitingForLock, null, TimeSpan.Zero, "another process is applying migrations; waiting for it")),
            cancellationToken);

    private static async Task ApplyInTransactionAsync(NpgsqlConnection connection, string schema, SchemaMigration migration, Stopwatch clock, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var statement in migration.Statements)
            await RunAsync(connection, transaction, migration, statement, cancellationToken);
        await MigrationHistory.RecordAsync(connection, transaction, schema, migration, (int)clock.ElapsedMilliseconds, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ApplyStatementByStatementAsync(NpgsqlConnection connection, string schema, SchemaMigration migration, Stopwatch clock,
        IProgress<MigrationEvent>? progress, CancellationToken cancellationToken)
    {
        foreach (var statement in migration.Statements)
        {
            if (ConcurrentIndex.Match(statement.Sql) is { Success: true } index && await IsInvalidIndexAsync(connection, schema, index.Groups["name"].Value, cancellationToken))
            {
                progress?.Report(new MigrationEvent(MigrationEventKind.RebuildingInvalidIndex, migration, TimeSpan.Zero,
                    $"index {index.Groups["name"].Value} is INVALID (an earlier concurrent build was interrupted); dropping it to build it again"));
                await RunAsync(connection, null, migration, new SchemaMigrationStatement(statement.Line, $"DROP INDEX CONCURRENTLY IF EXISTS {index.Groups["name"].Value}"), cancellationToken);
            }
            await RunAsync(connection, null, migration, statement, cancellationToken);
        }
        await MigrationHistory.RecordAsync(connection, null, schema, migration, (int)clock.ElapsedMilliseconds, cancellationToken);
    }

    private static async Task<bool> IsInvalidIndexAsync(NpgsqlConnection connection, string schema, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1 AND n.nspname = $2",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = PgIdentifier.Unquote(name) });
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private static async Task RunAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, SchemaMigration migration, SchemaMigrationStatement statement,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(statement.Sql, connection, transaction) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw new MigrationFailedException(migration, statement, e);
        }
    }
}

/// <summary>Apply refused: history and migrations disagree. <see cref="Conflicts"/> says how, each with its way out.</summary>
public sealed class MigrationConflictException : Exception
{
    /// <summary>Built by <see cref="SchemaMigrator"/>.</summary>
    public MigrationConflictException(IReadOnlyList<MigrationConflict> conflicts)
        : base("The database's migration history and the migrations disagree; nothing was applied:\n" + string.Join("\n", conflicts.Select(c => "  " + c.Message)))
        => Conflicts = conflicts;

    /// <summary>Each disagreement.</summary>
    public IReadOnlyList<MigrationConflict> Conflicts { get; }
}
