using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace Narralytica.Runtime;

/// <summary>
/// Enqueueing jobs of this tenant. A job is a row of <c>jobs</c> written on this scope's connection, so inside a
/// transaction (<see cref="InTransactionAsync"/>) it exists if and only if that transaction commits: enqueue it with the
/// business write it follows from. Idle workers are woken when it commits (LISTEN/NOTIFY).
/// </summary>
public sealed partial class TenantScope
{
    /// <summary>Enqueues <paramref name="job"/> for this tenant, in the connection's transaction if any; returns its id.</summary>
    public async Task<Guid> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.Validate();
        var statement = await Db.PreparedAsync(JobQueueSql.Enqueue, TenantId, static parameters =>
        {
            parameters.Add(new NpgsqlParameter<Guid>());
            parameters.Add(new NpgsqlParameter<Guid>());
            parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Varchar });
            parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb });
            parameters.Add(new NpgsqlParameter<short>());
            parameters.Add(new NpgsqlParameter<int>());
            parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }, cancellationToken).ConfigureAwait(false);
        ((NpgsqlParameter<Guid>)statement.Parameters[0]).TypedValue = TenantId;
        ((NpgsqlParameter<Guid>)statement.Parameters[1]).TypedValue = job.Id;
        ((NpgsqlParameter<string>)statement.Parameters[2]).TypedValue = job.Kind;
        ((NpgsqlParameter<string>)statement.Parameters[3]).TypedValue = job.Payload;
        ((NpgsqlParameter<short>)statement.Parameters[4]).TypedValue = job.Priority;
        ((NpgsqlParameter<int>)statement.Parameters[5]).TypedValue = job.MaxAttempts;
        statement.Parameters[6].Value = job.RunAfter is { } runAfter ? runAfter.UtcDateTime : DBNull.Value;
        await statement.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return job.Id;
    }

    /// <summary>Enqueues <paramref name="jobs"/> for this tenant in one statement (all or none), in the connection's transaction if any; returns how many.</summary>
    public async Task<int> EnqueueManyAsync(IReadOnlyCollection<NewJob> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
            return 0;
        foreach (var job in jobs)
            job.Validate();
        var statement = await Db.PreparedAsync(JobQueueSql.EnqueueMany, TenantId, static parameters =>
        {
            parameters.Add(new NpgsqlParameter<Guid>());
            parameters.Add(new NpgsqlParameter<Guid[]>());
            parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
            parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            parameters.Add(new NpgsqlParameter<short[]>());
            parameters.Add(new NpgsqlParameter<int[]>());
            parameters.Add(new NpgsqlParameter<DateTime?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        }, cancellationToken).ConfigureAwait(false);
        ((NpgsqlParameter<Guid>)statement.Parameters[0]).TypedValue = TenantId;
        ((NpgsqlParameter<Guid[]>)statement.Parameters[1]).TypedValue = jobs.Select(j => j.Id).ToArray();
        ((NpgsqlParameter<string[]>)statement.Parameters[2]).TypedValue = jobs.Select(j => j.Kind).ToArray();
        ((NpgsqlParameter<string[]>)statement.Parameters[3]).TypedValue = jobs.Select(j => j.Payload).ToArray();
        ((NpgsqlParameter<short[]>)statement.Parameters[4]).TypedValue = jobs.Select(j => j.Priority).ToArray();
        ((NpgsqlParameter<int[]>)statement.Parameters[5]).TypedValue = jobs.Select(j => j.MaxAttempts).ToArray();
        ((NpgsqlParameter<DateTime?[]>)statement.Parameters[6]).TypedValue = jobs.Select(j => j.RunAfter?.UtcDateTime).ToArray();
        await using var reader = await statement.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (int)reader.GetInt64(0);
    }

    /// <summary>Cancels a job of this tenant that no worker has taken yet; false when it is running or finished (or not this tenant's).</summary>
    public async Task<bool> CancelJobAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var statement = await Db.PreparedAsync(JobQueueSql.CancelQueued, TenantId, static parameters =>
        {
            parameters.Add(new NpgsqlParameter<Guid>());
            parameters.Add(new NpgsqlParameter<Guid>());
        }, cancellationToken).ConfigureAwait(false);
        ((NpgsqlParameter<Guid>)statement.Parameters[0]).TypedValue = TenantId;
        ((NpgsqlParameter<Guid>)statement.Parameters[1]).TypedValue = jobId;
        await using var reader = await statement.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }
}
