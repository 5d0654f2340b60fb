using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace Narralytica.Runtime;

/// <summary>
/// Enqueueing jobs of this tenant. A job is a row of the queue table (<c>queue:</c> in schema.yaml) written on this scope's connection, so inside a
/// transaction (<see cref="InTransactionAsync"/>) it exists if and only if that transaction commits: enqueue it with the
/// business write it follows from. Idle workers are woken when it commits (LISTEN/NOTIFY).
/// </summary>
public sealed partial class TenantScope
{
    /// <summary>
    /// Enqueues <paramref name="job"/> for this tenant, in the connection's transaction if any; returns its id. A job with a
    /// <see cref="NewJob.UniqueKey"/> that a queued or running job of this tenant holds is not added: this throws
    /// <see cref="DuplicateJobException"/> (<see cref="TryEnqueueAsync"/> says so without throwing).
    /// </summary>
    public async Task<Guid> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        if (!await TryEnqueueAsync(job, cancellationToken).ConfigureAwait(false))
            throw new DuplicateJobException(TenantId, job.UniqueKey!);
        return job.Id;
    }

    /// <summary>
    /// Enqueues <paramref name="job"/> for this tenant, in the connection's transaction if any; false when it was not added
    /// because a queued or running job of this tenant holds its <see cref="NewJob.UniqueKey"/> (a job without a key is always added).
    /// </summary>
    public async Task<bool> TryEnqueueAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        job.Validate();
        JobQueueDeclaration.EnsureDeclared();
        JobQueueDeclaration.EnsureKeyAllowed(job);
        var statement = await Db.PreparedAsync(JobQueueSql.Enqueue, TenantId, static parameters =>
        {
            parameters.Add(new NpgsqlParameter<Guid>());
            parameters.Add(new NpgsqlParameter<Guid>());
            parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
            parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb });
            parameters.Add(new NpgsqlParameter<short>());
            parameters.Add(new NpgsqlParameter<int>());
            parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz });
            if (JobQueueSql.HasUniqueKey)
                parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
        }, cancellationToken).ConfigureAwait(false);
        ((NpgsqlParameter<Guid>)statement.Parameters[0]).TypedValue = TenantId;
        ((NpgsqlParameter<Guid>)statement.Parameters[1]).TypedValue = job.Id;
        ((NpgsqlParameter<string>)statement.Parameters[2]).TypedValue = job.Kind;
        ((NpgsqlParameter<string>)statement.Parameters[3]).TypedValue = job.Payload;
        ((NpgsqlParameter<short>)statement.Parameters[4]).TypedValue = job.Priority;
        ((NpgsqlParameter<int>)statement.Parameters[5]).TypedValue = job.MaxAttempts;
        statement.Parameters[6].Value = job.RunAfter is { } runAfter ? runAfter.UtcDateTime : DBNull.Value;
        if (JobQueueSql.HasUniqueKey)
            statement.Parameters[7].Value = (object?)job.UniqueKey ?? DBNull.Value;
        await using var reader = await statement.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetInt64(0) == 1;
    }

    /// <summary>
    /// Enqueues <paramref name="jobs"/> for this tenant in one statement, in the connection's transaction if any; returns how
    /// many were added: all of them, but for those whose <see cref="NewJob.UniqueKey"/> a queued or running job of this
    /// tenant holds, or an earlier job of the batch.
    /// </summary>
    public async Task<int> EnqueueManyAsync(IReadOnlyCollection<NewJob> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
            return 0;
        JobQueueDeclaration.EnsureDeclared();
        foreach (var job in jobs)
        {
            job.Validate();
            JobQueueDeclaration.EnsureKeyAllowed(job);
        }
        var statement = await Db.PreparedAsync(JobQueueSql.EnqueueMany, TenantId, static parameters =>
        {
            parameters.Add(new NpgsqlParameter<Guid>());
            parameters.Add(new NpgsqlParameter<Guid[]>());
            parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            parameters.Add(new NpgsqlParameter<short[]>());
            parameters.Add(new NpgsqlParameter<int[]>());
            parameters.Add(new NpgsqlParameter<DateTime?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            if (JobQueueSql.HasUniqueKey)
                parameters.Add(new NpgsqlParameter<string?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        }, cancellationToken).ConfigureAwait(false);
        ((NpgsqlParameter<Guid>)statement.Parameters[0]).TypedValue = TenantId;
        ((NpgsqlParameter<Guid[]>)statement.Parameters[1]).TypedValue = jobs.Select(j => j.Id).ToArray();
        ((NpgsqlParameter<string[]>)statement.Parameters[2]).TypedValue = jobs.Select(j => j.Kind).ToArray();
        ((NpgsqlParameter<string[]>)statement.Parameters[3]).TypedValue = jobs.Select(j => j.Payload).ToArray();
        ((NpgsqlParameter<short[]>)statement.Parameters[4]).TypedValue = jobs.Select(j => j.Priority).ToArray();
        ((NpgsqlParameter<int[]>)statement.Parameters[5]).TypedValue = jobs.Select(j => j.MaxAttempts).ToArray();
        ((NpgsqlParameter<DateTime?[]>)statement.Parameters[6]).TypedValue = jobs.Select(j => j.RunAfter?.UtcDateTime).ToArray();
        if (JobQueueSql.HasUniqueKey)
            ((NpgsqlParameter<string?[]>)statement.Parameters[7]).TypedValue = jobs.Select(j => j.UniqueKey).ToArray();
        await using var reader = await statement.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (int)reader.GetInt64(0);
    }

    /// <summary>Cancels a job of this tenant that no worker has taken yet; false when it is running or finished (or not this tenant's).</summary>
    public async Task<bool> CancelJobAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        JobQueueDeclaration.EnsureDeclared();
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
