using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// The lock that lets one applier at a time migrate a schema: <c>SHARE ROW EXCLUSIVE</c> (which conflicts with
/// itself) on <c>narralytica_schema_lock</c>, an empty table of that schema, held by a transaction on a connection
/// of its own for as long as the migrations run, so that migrations which run outside a transaction stay covered.
/// It is out of the application's reach: <c>LOCK TABLE</c> needs a privilege on the table, and the migrator grants
/// none (an advisory lock, which any login may take with the same key, was not). The table is created on first
/// use, by whichever applier comes first; the others find it there.
/// </summary>
internal sealed class MigrationLock : IAsyncDisposable
{
    public const string TableName = "narralytica_schema_lock";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private MigrationLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>
    /// Takes the lock of <paramref name="schema"/>, asking again every <paramref name="pollInterval"/> while another
    /// applier holds it; <paramref name="waiting"/> is called once, when the first try finds it taken. Asking with
    /// NOWAIT rather than blocking: a session blocked in LOCK TABLE holds a catalog snapshot, which CREATE INDEX
    /// CONCURRENTLY in the applying session would wait for — a deadlock.
    /// </summary>
    public static async Task<MigrationLock> AcquireAsync(NpgsqlDataSource dataSource, string schema, TimeSpan pollInterval, Action waiting,
        CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await CreateTableAsync(connection, schema, cancellationToken);
            var waited = false;
            while (true)
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken);
                try
                {
                    // The transaction stays idle while the migrations run: a server-wide idle timeout must not end it.
                    await using var command = new NpgsqlCommand(
                        $"SET LOCAL idle_in_transaction_session_timeout = 0; LOCK TABLE {Qualified(schema)} IN SHARE ROW EXCLUSIVE MODE NOWAIT",
                        connection, transaction);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                    return new MigrationLock(connection, transaction);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    await transaction.DisposeAsync();
                }
                if (!waited)
                    waiting();
                waited = true;
                await Task.Delay(pollInterval, cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// CREATE TABLE IF NOT EXISTS is not safe against itself: two appliers starting on a new database may both find
    /// the name free, and the second then fails on PostgreSQL's catalog (unique_violation), on the table's row type
    /// (duplicate_object) or on the name (duplicate_table). Each means the table is there, which is all that is needed.
    /// </summary>
    private static async Task CreateTableAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand($"CREATE TABLE IF NOT EXISTS {Qualified(schema)} ()", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject)
        {
        }
    }

    private static string Qualified(string schema) => PgIdentifier.Quote(schema) + "." + TableName;

    /// <summary>Releases the lock: the transaction ends (it changed nothing) and the connection goes back to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        // A broken connection has released the lock already: PostgreSQL ends the transaction with the session.
        try
        {
            if (_connection.State == System.Data.ConnectionState.Open)
                await _transaction.RollbackAsync();
        }
        catch (NpgsqlException)
        {
        }
        finally
        {
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
