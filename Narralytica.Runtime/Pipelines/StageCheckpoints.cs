using System;
using System.ComponentModel;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace Narralytica.Runtime;

/// <summary>
/// The pipeline checkpoints of one tenant (<c>scope.Checkpoints</c>, generated when schema.yaml declares a checkpoints
/// table): a stage reads its checkpoint, does a step of work, and advances the checkpoint in the same transaction as that
/// work, so a crash anywhere neither loses nor repeats a step: before the commit, the work and the advance are both undone
/// and the step runs again from the same position; after it, both are kept and the next run starts after them.
/// <see cref="RunStepAsync"/> does all of that. The position is kept as text (<c>string</c>, <c>long</c>, <c>int</c>,
/// <c>Guid</c>, <c>DateTimeOffset</c>, or any other type as JSON), the state as JSON (System.Text.Json, web defaults
/// unless <see cref="WithJsonOptions"/> gives others).
/// </summary>
public sealed class StageCheckpoints
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private readonly TenantScope _scope;
    private readonly CheckpointStatements _sql;
    private readonly JsonSerializerOptions _json;

    /// <summary>The checkpoints of <paramref name="scope"/>'s tenant, run by <paramref name="statements"/> (the generated layer's).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public StageCheckpoints(TenantScope scope, CheckpointStatements statements, JsonSerializerOptions? json = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(statements);
        _scope = scope;
        _sql = statements;
        _json = json ?? WebJson;
    }

    /// <summary>The same checkpoints, their states (and JSON positions) written and read with <paramref name="json"/>.</summary>
    public StageCheckpoints WithJsonOptions(JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new StageCheckpoints(_scope, _sql, json);
    }

    /// <summary>
    /// One step of a stage, exactly once: in one transaction, reads (and locks) the checkpoint, runs <paramref name="step"/>
    /// from it (null before the first step), and advances it to what the step returns, then commits. A step that returns
    /// null had nothing to do: the checkpoint stays as it was (what the step wrote commits all the same). A step that
    /// throws leaves nothing. Inside a transaction already (a job's, in a worker), the step joins it: its work and the
    /// advance commit with that transaction, or not at all.
    /// </summary>
    /// <returns>What the step returned.</returns>
    /// <exception cref="CheckpointConflictException">Another run created or moved the checkpoint meanwhile; nothing of this step is kept.</exception>
    public async Task<StageProgress<TPosition, TState>?> RunStepAsync<TPosition, TState>(
        string pipeline, string stage, Func<StageCheckpoint<TPosition, TState>?, Task<StageProgress<TPosition, TState>?>> step,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        var db = _scope.Db;
        await using var transaction = db.Transaction is null ? await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
        var checkpoint = await ReadAsync<TPosition, TState>(pipeline, stage, cancellationToken).ConfigureAwait(false);
        var progress = await step(checkpoint).ConfigureAwait(false);
        if (progress is not null)
            await AdvanceAsync(pipeline, stage, checkpoint, progress, cancellationToken).ConfigureAwait(false);
        if (transaction is not null)
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return progress;
    }

    /// <summary>
    /// The checkpoint of <paramref name="stage"/> of <paramref name="pipeline"/>, or null before its first advance. Inside a
    /// transaction the row stays locked until it ends, so another run of the same stage waits rather than repeat the step.
    /// </summary>
    /// <exception cref="InvalidOperationException">The stored position or state is not a <typeparamref name="TPosition"/> or a <typeparamref name="TState"/>.</exception>
    public async Task<StageCheckpoint<TPosition, TState>?> ReadAsync<TPosition, TState>(string pipeline, string stage, CancellationToken cancellationToken = default)
    {
        CheckStage(pipeline, stage);
        var statement = await _scope.Db.PreparedAsync(_sql.Read, _scope.TenantId, static parameters => DeclareStage(parameters), cancellationToken).ConfigureAwait(false);
        SetStage(statement, _scope.TenantId, pipeline, stage);
        string position, state;
        DateTimeOffset updatedAt;
        await using (var reader = await statement.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                return null;
            (position, state, updatedAt) = (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
        }
        return new StageCheckpoint<TPosition, TState>(pipeline, stage, ReadPosition<TPosition>(pipeline, stage, position), ReadState<TState>(pipeline, stage, state), updatedAt)
        {
            StoredPosition = position,
        };
    }

    /// <summary>
    /// Moves the checkpoint from <paramref name="from"/> (the checkpoint read; null: it did not exist) to
    /// <paramref name="to"/>, in the connection's transaction: call it in the transaction of the work it records.
    /// </summary>
    /// <returns>The checkpoint as it now is.</returns>
    /// <exception cref="CheckpointConflictException">The checkpoint is not at <paramref name="from"/>: another run moved it.</exception>
    /// <exception cref="ArgumentException">The position or state cannot be written, or is larger than the table takes (max_bytes).</exception>
    public async Task<StageCheckpoint<TPosition, TState>> AdvanceAsync<TPosition, TState>(
        string pipeline, string stage, StageCheckpoint<TPosition, TState>? from, StageProgress<TPosition, TState> to, CancellationToken cancellationToken = default)
    {
        CheckStage(pipeline, stage);
        ArgumentNullException.ThrowIfNull(to);
        if (from is not null && (from.Pipeline != pipeline || from.Stage != stage))
            throw new ArgumentException($"The checkpoint to advance from is of stage '{from.Stage}' of pipeline '{from.Pipeline}', not of '{stage}' of '{pipeline}'.", nameof(from));
        var position = WritePosition(pipeline, stage, to.Position);
        var state = WriteState(pipeline, stage, to.State);
        var expected = from is null ? null : from.StoredPosition ?? CheckpointPosition<TPosition>.Format(from.Position, _json);

        PreparedStatement statement;
        if (expected is null)
        {
            statement = await _scope.Db.PreparedAsync(_sql.Create, _scope.TenantId, static parameters =>
            {
                DeclareStage(parameters);
                parameters.Add(new NpgsqlParameter<Guid>());
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb });
            }, cancellationToken).ConfigureAwait(false);
            ((NpgsqlParameter<Guid>)statement.Parameters[3]).TypedValue = Guid.CreateVersion7();
        }
        else
        {
            statement = await _scope.Db.PreparedAsync(_sql.Advance, _scope.TenantId, static parameters =>
            {
                DeclareStage(parameters);
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb });
                parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
            }, cancellationToken).ConfigureAwait(false);
            ((NpgsqlParameter<string>)statement.Parameters[5]).TypedValue = expected;
        }
        SetStage(statement, _scope.TenantId, pipeline, stage);
        var first = expected is null ? 4 : 3;
        ((NpgsqlParameter<string>)statement.Parameters[first]).TypedValue = position;
        ((NpgsqlParameter<string>)statement.Parameters[first + 1]).TypedValue = state;

        DateTimeOffset updatedAt;
        try
        {
            await using var reader = await statement.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                throw new CheckpointConflictException(pipeline, stage, expected);
            updatedAt = reader.GetFieldValue<DateTimeOffset>(0);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            throw new ArgumentException(
                $"The checkpoint of stage '{stage}' of pipeline '{pipeline}' was refused by check '{e.ConstraintName}' of '{_sql.Table}': " +
                "its position or state is larger than schema.yaml's max_bytes allows (a jsonb state is measured in its text form, which spaces out the JSON). " +
                "Keep a short cursor in the position and less in the state.", nameof(to), e);
        }
        return new StageCheckpoint<TPosition, TState>(pipeline, stage, to.Position, to.State, updatedAt) { StoredPosition = position };
    }

    private static void CheckStage(string pipeline, string stage)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentException.ThrowIfNullOrEmpty(stage);
    }

    private static void DeclareStage(NpgsqlParameterCollection parameters)
    {
        parameters.Add(new NpgsqlParameter<Guid>());
        parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text });
    }

    private static void SetStage(PreparedStatement statement, Guid tenant, string pipeline, string stage)
    {
        ((NpgsqlParameter<Guid>)statement.Parameters[0]).TypedValue = tenant;
        ((NpgsqlParameter<string>)statement.Parameters[1]).TypedValue = pipeline;
        ((NpgsqlParameter<string>)statement.Parameters[2]).TypedValue = stage;
    }

    private string WritePosition<TPosition>(string pipeline, string stage, TPosition position)
    {
        string text;
        try
        {
            text = CheckpointPosition<TPosition>.Format(position, _json);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw new ArgumentException($"The position of stage '{stage}' of pipeline '{pipeline}' ({typeof(TPosition).Name}) cannot be written as JSON: {e.Message}", nameof(position), e);
        }
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (_sql.PositionMaxBytes is { } max && bytes > max)
            throw new ArgumentException(
                $"The position of stage '{stage}' of pipeline '{pipeline}' is {bytes} bytes as text, more than the {max} bytes '{_sql.Table}' takes (max_bytes in schema.yaml): " +
                "keep a short resume cursor in the position and the rest in the state.", nameof(position));
        return text;
    }

    private string WriteState<TState>(string pipeline, string stage, TState state)
    {
        string json;
        try
        {
            json = JsonSerializer.Serialize(state, _json);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw new ArgumentException(
                $"The state of stage '{stage}' of pipeline '{pipeline}' ({typeof(TState).Name}) cannot be written as JSON: {e.Message} " +
                "Keep plain data in it (records, lists, numbers, strings), or give options that can write it (Checkpoints.WithJsonOptions).", nameof(state), e);
        }
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (_sql.StateMaxBytes is { } max && bytes > max)
            throw new ArgumentException(
                $"The state of stage '{stage}' of pipeline '{pipeline}' is {bytes} bytes of JSON, more than the {max} bytes '{_sql.Table}' takes (max_bytes in schema.yaml): " +
                "keep less in the state (what is large belongs in rows of its own).", nameof(state));
        return json;
    }

    private TPosition ReadPosition<TPosition>(string pipeline, string stage, string text)
    {
        try
        {
            return CheckpointPosition<TPosition>.Parse(text, _json);
        }
        catch (Exception e) when (e is FormatException or OverflowException or JsonException or NotSupportedException)
        {
            throw new InvalidOperationException(
                $"The checkpoint of stage '{stage}' of pipeline '{pipeline}' holds the position '{Shorten(text)}', which is not a {typeof(TPosition).Name}: " +
                "read it with the position type the stage writes.", e);
        }
    }

    private TState ReadState<TState>(string pipeline, string stage, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<TState>(json, _json)!;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new InvalidOperationException(
                $"The checkpoint of stage '{stage}' of pipeline '{pipeline}' holds a state that is not a {typeof(TState).Name} ({e.Message}): " +
                "read it with the state type the stage writes.", e);
        }
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
