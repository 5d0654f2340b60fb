using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace Narralytica.Runtime;

/// <summary>
/// One claim loop's own connection to the queue (<see cref="JobQueue.OpenSession"/>): it holds one worker-lane connection
/// with the claim and completion statements prepared on it once, so each call binds and runs a statement, without taking
/// a pooled connection (and the reset Npgsql sends with a pooled connection's next statement) or building a command.
/// Claims share the queue's fairness cursor, and completions check the claim exactly as <see cref="JobQueue"/>'s do.
/// After a broken connection the next call opens a new one and prepares again. Not for concurrent use: one loop, one
/// session; dispose it to give the connection back.
/// </summary>
public sealed class JobQueueSession : IAsyncDisposable
{
    private readonly JobQueue _queue;
    private NpgsqlConnection? _connection;
    private NpgsqlCommand _claim = null!;
    private NpgsqlCommand _complete = null!;
    private NpgsqlCommand _completeMany = null!;
    private bool _disposed;

    internal JobQueueSession(JobQueue queue) => _queue = queue;

    /// <summary>Claims up to <paramref name="max"/> ready jobs, fairly across tenants, as <see cref="JobQueue.ClaimAsync"/> does.</summary>
    public async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, JobQueue.MaxClaim);
        await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        ((NpgsqlParameter<int>)_claim.Parameters[0]).TypedValue = max;
        ((NpgsqlParameter<Guid>)_claim.Parameters[1]).TypedValue = _queue.ClaimCursor;
        return await RunAsync(() => _queue.ReadClaimAsync(_claim, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Marks <paramref name="job"/> succeeded while it is still its claim's.</summary>
    /// <exception cref="LeaseLostException">The claim is no longer this worker's.</exception>
    public async Task CompleteAsync(ClaimedJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        JobQueue.BindClaim(_complete, job);
        if (!await RunAsync(() => JobQueue.FinishedAsync(_complete, cancellationToken)).ConfigureAwait(false))
            throw new LeaseLostException(job, "complete");
    }

    /// <summary>
    /// Marks the claimed <paramref name="jobs"/> succeeded in one statement; returns those whose claim was taken over
    /// (left as they are), none when all were completed. See <see cref="JobQueue.CompleteAsync(IReadOnlyCollection{ClaimedJob}, CancellationToken)"/>.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedJob>> CompleteAsync(IReadOnlyCollection<ClaimedJob> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
            return Array.Empty<ClaimedJob>();
        await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        JobQueue.BindClaims(_completeMany, jobs);
        return await RunAsync(() => JobQueue.ReadCompletedAsync(_completeMany, jobs, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Gives the connection back to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await CloseAsync().ConfigureAwait(false);
    }

    private async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is { FullState: System.Data.ConnectionState.Open })
            return;
        await CloseAsync().ConfigureAwait(false);
        var connection = await _queue.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _claim = _queue.NewClaimCommand(connection);
            _complete = JobQueue.NewFinishCommand(connection, JobQueueSql.Complete);
            _completeMany = JobQueue.NewCompleteManyCommand(connection);
            await _claim.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await _complete.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await _completeMany.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _connection = connection;
    }

    /// <summary>Runs a statement; a connection that broke under it is dropped, so the next call opens a new one.</summary>
    private async Task<T> RunAsync<T>(Func<Task<T>> statement)
    {
        try
        {
            return await statement().ConfigureAwait(false);
        }
        catch (Exception) when (_connection is not { FullState: System.Data.ConnectionState.Open })
        {
            await CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task CloseAsync()
    {
        var connection = _connection;
        _connection = null;
        if (connection is not null)
            await connection.DisposeAsync().ConfigureAwait(false);
    }
}
