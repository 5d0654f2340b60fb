using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace Narralytica.Runtime;

/// <summary>
/// Pipeline checkpoints of this tenant (<c>pipeline_checkpoints</c>): a stage reads its checkpoint, does a step of work,
/// and advances the checkpoint in the same transaction as that work, so that a crash anywhere neither loses nor repeats
/// a step: before the commit, the work and the advance are both undone and the step runs again from the same position;
/// after it, both are kept and the next run starts after them. <see cref="RunStageStepAsync"/> does all of that.
/// </summary>
public sealed partial class TenantScope
{
    private const string ReadCheckpointSql =
        "SELECT pipeline, stage, position, state::text, updated_at FROM pipeline_checkpoints WHERE tenant_id = $1 AND pipeline = $2 AND stage = $3 FOR UPDATE";

    private const string CreateCheckpointSql =
        "INSERT INTO pipeline_checkpoints (tenant_id, id, pipeline, stage, position, state) VALUES ($1, $2, $3, $4, $5, $6) " +
        "ON CONFLICT (tenant_id, pipeline, stage) DO NOTHING RETURNING 1";

    private const string AdvanceCheckpointSql =
        "UPDATE pipeline_checkpoints SET position = $4, state = $5, updated_at = now() WHERE tenant_id = $1 AND pipeline = $2 AND stage = $3 AND position = $6 RETURNING 1";

    /// <summary>
    /// The checkpoint of <paramref name="stage"/> of <paramref name="pipeline"/>, or null before its first advance. Inside
    /// a transaction the row stays locked until it ends, so another run of the same stage waits rather than repeat the step.
    /// </summary>
    public async Task<StageCheckpoint?> ReadCheckpointAsync(string pipeline, string stage, CancellationToken cancellationToken = default)
    {
        var statement = await Db.PreparedAsync(ReadCheckpointSql, TenantId, static parameters =>
        {
            parameters.Add(new NpgsqlParameter<Guid>());
            parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Varchar });
            parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Varchar });
        }, cancellationToken).ConfigureAwait(false);
        ((NpgsqlParameter<Guid>)statement.Parameters[0]).TypedValue = TenantId;
        ((NpgsqlParameter<string>)statement.Parameters[1]).TypedValue = pipeline;
        ((NpgsqlParameter<string>)statement.Parameters[2]).TypedValue = stage;
        await using var reader = await statement.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            return null;
        return new StageCheckpoint(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4));
    }

    /// <summary>
    /// Moves the checkpoint from <paramref name="expected"/> (the position read; null: it did not exist) to
    /// <paramref name="progress"/>, in the connection's transaction: call it in the transaction of the work it records.
    /// </summary>
    /// <exception cref="CheckpointConflictException">The checkpoint is not at <paramref name="expected"/>: another run moved it.</exception>
    public async Task AdvanceCheckpointAsync(string pipeline, string stage, string? expected, StageProgress progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        PreparedStatement statement;
        if (expected is null)
        {
            statement = await Db.PreparedAsync(CreateCheckpointSql, TenantId, static parameters =>
            {
                parameters.Add(new NpgsqlParameter<Guid>());
                parameters.Add(new NpgsqlParameter<Guid>());
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Varchar });
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Varchar });
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb });
            }, cancellationToken).ConfigureAwait(false);
            ((NpgsqlParameter<Guid>)statement.Parameters[1]).TypedValue = Guid.CreateVersion7();
            ((NpgsqlParameter<string>)statement.Parameters[2]).TypedValue = pipeline;
            ((NpgsqlParameter<string>)statement.Parameters[3]).TypedValue = stage;
            ((NpgsqlParameter<string>)statement.Parameters[4]).TypedValue = progress.Position;
            ((NpgsqlParameter<string>)statement.Parameters[5]).TypedValue = progress.State;
        }
        else
        {
            statement = await Db.PreparedAsync(AdvanceCheckpointSql, TenantId, static parameters =>
            {
                parameters.Add(new NpgsqlParameter<Guid>());
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Varchar });
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Varchar });
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb });
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
            }, cancellationToken).ConfigureAwait(false);
            ((NpgsqlParameter<string>)statement.Parameters[1]).TypedValue = pipeline;
            ((NpgsqlParameter<string>)statement.Parameters[2]).TypedValue = stage;
            ((NpgsqlParameter<string>)statement.Parameters[3]).TypedValue = progress.Position;
            ((NpgsqlParameter<string>)statement.Parameters[4]).TypedValue = progress.State;
            ((NpgsqlParameter<string>)statement.Parameters[5]).TypedValue = expected;
        }
        ((NpgsqlParameter<Guid>)statement.Parameters[0]).TypedValue = TenantId;
        await using var reader = await statement.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            throw new CheckpointConflictException(pipeline, stage, expected);
    }

    /// <summary>
    /// One step of a stage, exactly once: in one transaction, reads (and locks) the checkpoint, runs
    /// <paramref name="step"/> from it (null before the first step), and advances it to what the step returns, then
    /// commits. A step that returns null had nothing to do: the checkpoint stays. A step that throws leaves nothing.
    /// </summary>
    /// <returns>What the step returned.</returns>
    public async Task<StageProgress?> RunStageStepAsync(string pipeline, string stage, Func<StageCheckpoint?, Task<StageProgress?>> step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        await using var transaction = await Db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var checkpoint = await ReadCheckpointAsync(pipeline, stage, cancellationToken).ConfigureAwait(false);
        var progress = await step(checkpoint).ConfigureAwait(false);
        if (progress is not null)
            await AdvanceCheckpointAsync(pipeline, stage, checkpoint?.Position, progress, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return progress;
    }
}
