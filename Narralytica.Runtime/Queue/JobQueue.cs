using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace Narralytica.Runtime;

/// <summary>
/// The workers' side of the queue on <c>jobs</c>, on the workers' lane (<c>narralytica_worker</c>, which claims and
/// finishes jobs through the queue's functions, generated from schema.yaml and run as the table's owner, and holds no
/// privilege of its own on other tenants' jobs):
/// claim jobs fairly across tenants, hold them with a lease and heartbeats, and complete, cancel, fail (with retries) or
/// release them. Every statement on a claimed job names the claim (owner and attempt), so a worker whose lease expired
/// and was taken over changes nothing (<see cref="LeaseLostException"/>). <see cref="JobWorker"/> runs handlers on it.
/// </summary>
public sealed class JobQueue
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly object _cursorLock = new();
    private Guid _lastTenant;

    /// <param name="workerDataSource">A data source made with <c>NarralyticaDb.CreateDataSource(…, lane: DatabaseLane.Worker)</c>, connecting as <c>narralytica_worker</c>.</param>
    /// <param name="options">The worker's name, lease and retry policy.</param>
    public JobQueue(NpgsqlDataSource workerDataSource, JobQueueOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workerDataSource);
        if (DataSourceLanes.Of(workerDataSource) != DatabaseLane.Worker)
            throw new InvalidOperationException(
                $"Claiming jobs is the workers' lane: this data source serves {DataSourceLanes.Of(workerDataSource)}. Create it with " +
                "NarralyticaDb.CreateDataSource(connectionString, tenantKey, lane: DatabaseLane.Worker), connecting as narralytica_worker.");
        JobQueueDeclaration.EnsureDeclared();
        Options = options ?? new JobQueueOptions();
        Options.Validate();
        _dataSource = workerDataSource;
    }

    /// <summary>The most jobs one claim takes (the queue's claim function refuses more).</summary>
    public const int MaxClaim = 1000;

    /// <summary>The worker id, lease and retry policy of this queue's claims.</summary>
    public JobQueueOptions Options { get; }

    /// <summary>The worker lane's data source this queue claims on.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>
    /// Claims up to <paramref name="max"/> ready jobs in one statement (<c>FOR UPDATE SKIP LOCKED</c>), fairly: every tenant
    /// with ready jobs gets its first before any gets its second, and successive claims start from the tenant after the
    /// one served last, so a tenant with a long backlog cannot starve one with a few jobs. Jobs whose lease expired are
    /// claimed again (their worker stopped), or failed for good when their attempts are used up.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, MaxClaim);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = NewClaimCommand(connection);
        ((NpgsqlParameter<int>)command.Parameters[0]).TypedValue = max;
        ((NpgsqlParameter<Guid>)command.Parameters[1]).TypedValue = ClaimCursor;
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return await ReadClaimAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A claim loop's own connection, with the claim and completions prepared on it once: the fastest way to claim and
    /// complete from one loop (<see cref="JobWorker"/> claims through one). Dispose it when the loop ends.
    /// </summary>
    public JobQueueSession OpenSession() => new(this);

    /// <summary>The tenant served last, which the next claim starts after (shared by every claim of this queue).</summary>
    internal Guid ClaimCursor
    {
        get
        {
            lock (_cursorLock)
                return _lastTenant;
        }
    }

    /// <summary>The claim statement for <paramref name="connection"/>: $1 how many and $2 the cursor are bound per call.</summary>
    internal NpgsqlCommand NewClaimCommand(NpgsqlConnection connection) => new(JobQueueSql.Claim, connection)
    {
        Parameters =
        {
            new NpgsqlParameter<int>(),
            new NpgsqlParameter<Guid>(),
            new NpgsqlParameter<string> { TypedValue = Options.WorkerId, NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter<double> { TypedValue = Options.Lease.TotalSeconds },
        },
    };

    /// <summary>Runs a claim and reads its jobs in the order the claim served them, then moves the fairness cursor.</summary>
    internal async Task<IReadOnlyList<ClaimedJob>> ReadClaimAsync(NpgsqlCommand claim, CancellationToken cancellationToken)
    {
        var claimed = new List<(long Place, ClaimedJob Job)>(((NpgsqlParameter<int>)claim.Parameters[0]).TypedValue);
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // An expired job with no attempt left comes back failed: it is finished, not claimed.
                if (reader.GetString(8) != "running")
                    continue;
                claimed.Add((reader.GetInt64(0), new ClaimedJob(
                    reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4), reader.GetInt16(5),
                    reader.GetInt32(6), reader.GetInt32(7), Options.WorkerId, reader.GetFieldValue<DateTimeOffset>(9),
                    reader.IsDBNull(10) ? null : reader.GetString(10))));
            }
        if (claimed.Count == 0)
            return Array.Empty<ClaimedJob>();
        claimed.Sort(static (a, b) => a.Place.CompareTo(b.Place));
        var jobs = new ClaimedJob[claimed.Count];
        for (var i = 0; i < jobs.Length; i++)
            jobs[i] = claimed[i].Job;
        lock (_cursorLock)
            _lastTenant = jobs[^1].TenantId;
        return jobs;
    }

    /// <summary>Extends the lease of <paramref name="job"/> by <see cref="JobQueueOptions.Lease"/> from now; returns the new expiry.</summary>
    /// <exception cref="LeaseLostException">The claim is no longer this worker's.</exception>
    public async Task<DateTimeOffset> HeartbeatAsync(ClaimedJob job, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await PreparedAsync(ClaimCommand(connection, JobQueueSql.Heartbeat, job, new NpgsqlParameter<double> { TypedValue = Options.Lease.TotalSeconds }), cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            throw new LeaseLostException(job, "extend the lease of");
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    /// <summary>Marks <paramref name="job"/> succeeded, on a connection of its own.</summary>
    public async Task CompleteAsync(ClaimedJob job, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await PreparedAsync(ClaimCommand(connection, JobQueueSql.Complete, job), cancellationToken).ConfigureAwait(false);
        if (!await FinishedAsync(command, cancellationToken).ConfigureAwait(false))
            throw new LeaseLostException(job, "complete");
    }

    /// <summary>
    /// Marks the claimed <paramref name="jobs"/> succeeded in one statement (one round trip for a whole claim), on a
    /// connection of its own. Each is completed only while it is still its claim's; a job whose lease was taken over is
    /// left as it is and returned, so the caller knows which work may run again. Returns no job when all were completed.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedJob>> CompleteAsync(IReadOnlyCollection<ClaimedJob> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
            return Array.Empty<ClaimedJob>();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = NewCompleteManyCommand(connection);
        BindClaims(command, jobs);
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return await ReadCompletedAsync(command, jobs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The statement completing many claims at once, from arrays of each claim's tenant, id, owner and attempt.</summary>
    internal static NpgsqlCommand NewCompleteManyCommand(NpgsqlConnection connection) => new(JobQueueSql.CompleteMany, connection)
    {
        Parameters =
        {
            new NpgsqlParameter<Guid[]>(),
            new NpgsqlParameter<Guid[]>(),
            new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new NpgsqlParameter<int[]>(),
        },
    };

    internal static void BindClaims(NpgsqlCommand completeMany, IReadOnlyCollection<ClaimedJob> jobs)
    {
        var tenants = new Guid[jobs.Count];
        var ids = new Guid[jobs.Count];
        var owners = new string[jobs.Count];
        var attempts = new int[jobs.Count];
        var i = 0;
        foreach (var job in jobs)
        {
            tenants[i] = job.TenantId;
            ids[i] = job.Id;
            owners[i] = job.Owner;
            attempts[i] = job.Attempt;
            i++;
        }
        ((NpgsqlParameter<Guid[]>)completeMany.Parameters[0]).TypedValue = tenants;
        ((NpgsqlParameter<Guid[]>)completeMany.Parameters[1]).TypedValue = ids;
        ((NpgsqlParameter<string[]>)completeMany.Parameters[2]).TypedValue = owners;
        ((NpgsqlParameter<int[]>)completeMany.Parameters[3]).TypedValue = attempts;
    }

    /// <summary>Runs a bound completion of many; returns the jobs it did not complete (their claim was taken over).</summary>
    internal static async Task<IReadOnlyList<ClaimedJob>> ReadCompletedAsync(NpgsqlCommand completeMany, IReadOnlyCollection<ClaimedJob> jobs, CancellationToken cancellationToken)
    {
        var completed = new HashSet<(Guid, Guid)>(jobs.Count);
        await using (var reader = await completeMany.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                completed.Add((reader.GetGuid(0), reader.GetGuid(1)));
        return completed.Count == jobs.Count ? Array.Empty<ClaimedJob>() : jobs.Where(j => !completed.Contains((j.TenantId, j.Id))).ToList();
    }

    /// <summary>
    /// Marks <paramref name="job"/> succeeded in the transaction of <paramref name="scope"/> (the job's tenant), so that it
    /// is done if and only if the work done there commits. If the claim was lost, it throws and the work must roll back.
    /// </summary>
    public Task CompleteAsync(TenantScope scope, ClaimedJob job, CancellationToken cancellationToken = default)
        => FinishInScopeAsync(scope, job, JobQueueSql.Complete, null, "complete", cancellationToken);

    /// <summary>Ends <paramref name="job"/> cancelled (<paramref name="reason"/> kept in last_error), in the transaction of <paramref name="scope"/>.</summary>
    public Task CancelAsync(TenantScope scope, ClaimedJob job, string reason, CancellationToken cancellationToken = default)
        => FinishInScopeAsync(scope, job, JobQueueSql.Cancel, reason, "cancel", cancellationToken);

    /// <summary>Ends <paramref name="job"/> cancelled (<paramref name="reason"/> kept in last_error), on a connection of its own.</summary>
    public async Task CancelAsync(ClaimedJob job, string reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await PreparedAsync(ClaimCommand(connection, JobQueueSql.Cancel, job, new NpgsqlParameter<string> { TypedValue = reason, NpgsqlDbType = NpgsqlDbType.Text }), cancellationToken).ConfigureAwait(false);
        if (!await FinishedAsync(command, cancellationToken).ConfigureAwait(false))
            throw new LeaseLostException(job, "cancel");
    }

    /// <summary>
    /// Records a failed attempt with <paramref name="error"/>: the job runs again after the retry policy's backoff while it
    /// has attempts left, else it ends failed; the error is kept in last_error either way.
    /// </summary>
    public async Task<JobFailure> FailAsync(ClaimedJob job, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var backoff = Options.Retry.Delay(job.Attempt);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await PreparedAsync(ClaimCommand(connection, JobQueueSql.Fail, job,
            new NpgsqlParameter<string> { TypedValue = Truncate(error), NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter<double> { TypedValue = backoff.TotalSeconds }), cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            throw new LeaseLostException(job, "fail");
        var terminal = reader.GetString(0) == "failed";
        return new JobFailure(terminal, terminal ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    /// <summary>Gives <paramref name="job"/> back unstarted (a worker shutting down): queued at once, the attempt not counted.</summary>
    public async Task ReleaseAsync(ClaimedJob job, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await PreparedAsync(ClaimCommand(connection, JobQueueSql.Release, job), cancellationToken).ConfigureAwait(false);
        if (!await FinishedAsync(command, cancellationToken).ConfigureAwait(false))
            throw new LeaseLostException(job, "release");
    }

    private async Task FinishInScopeAsync(TenantScope scope, ClaimedJob job, string sql, string? reason, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(job);
        if (scope.TenantId != job.TenantId)
            throw new TenantMismatchException(JobQueueSql.Table, scope.TenantId, job.TenantId);
        var connection = await scope.Db.OpenNpgsqlConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = await PreparedAsync(reason is null
            ? ClaimCommand(connection, sql, job)
            : ClaimCommand(connection, sql, job, new NpgsqlParameter<string> { TypedValue = reason, NpgsqlDbType = NpgsqlDbType.Text }), cancellationToken).ConfigureAwait(false);
        if (!await FinishedAsync(command, cancellationToken).ConfigureAwait(false))
            throw new LeaseLostException(job, action);
    }

    /// <summary>Runs a complete, cancel or release: the queue's function says whether it changed the job (false: the claim was lost).</summary>
    internal static async Task<bool> FinishedAsync(NpgsqlCommand finish, CancellationToken cancellationToken)
        => await finish.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;

    /// <summary>
    /// Prepared on the connection (a server-side statement Npgsql keeps with the pooled connection), so each finish after the
    /// first on that connection is bound and run without being parsed and planned again.
    /// </summary>
    private static async Task<NpgsqlCommand> PreparedAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return command;
    }

    /// <summary>A statement finishing one claim ($1 to $4: tenant, id, owner, attempt), bound per call by <see cref="BindClaim"/>.</summary>
    internal static NpgsqlCommand NewFinishCommand(NpgsqlConnection connection, string sql) => new(sql, connection)
    {
        Parameters =
        {
            new NpgsqlParameter<Guid>(),
            new NpgsqlParameter<Guid>(),
            new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter<int>(),
        },
    };

    internal static void BindClaim(NpgsqlCommand finish, ClaimedJob job)
    {
        ((NpgsqlParameter<Guid>)finish.Parameters[0]).TypedValue = job.TenantId;
        ((NpgsqlParameter<Guid>)finish.Parameters[1]).TypedValue = job.Id;
        ((NpgsqlParameter<string>)finish.Parameters[2]).TypedValue = job.Owner;
        ((NpgsqlParameter<int>)finish.Parameters[3]).TypedValue = job.Attempt;
    }

    private static NpgsqlCommand ClaimCommand(NpgsqlConnection connection, string sql, ClaimedJob job, params NpgsqlParameter[] more)
    {
        var command = new NpgsqlCommand(sql, connection)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = job.TenantId },
                new NpgsqlParameter<Guid> { TypedValue = job.Id },
                new NpgsqlParameter<string> { TypedValue = job.Owner, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter<int> { TypedValue = job.Attempt },
            },
        };
        foreach (var parameter in more)
            command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>last_error holds at most 64 KiB (a check constraint): a longer error keeps its start.</summary>
    private static string Truncate(string error) => error.Length <= 16_000 ? error : error[..16_000] + " …";
}

/// <summary>What a failed attempt led to: another attempt at <see cref="RetryAt"/>, or the end (<see cref="Terminal"/>).</summary>
public sealed record JobFailure(bool Terminal, DateTimeOffset? RetryAt);
