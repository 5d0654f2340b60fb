using System;

namespace Narralytica.Runtime;

/// <summary>
/// How far a pipeline stage of one tenant has got: <see cref="Position"/> is the stage's own resume cursor (kept as text),
/// <see cref="State"/> what else it carries along (kept as JSON), <see cref="UpdatedAt"/> when it last advanced.
/// </summary>
public sealed record StageCheckpoint<TPosition, TState>(string Pipeline, string Stage, TPosition Position, TState State, DateTimeOffset UpdatedAt)
{
    /// <summary>The position as the database holds it, which the next advance must still find (null: built by the caller, not read).</summary>
    internal string? StoredPosition { get; init; }
}

/// <summary>What a stage step did: the position it reached and the state to keep.</summary>
public sealed record StageProgress<TPosition, TState>(TPosition Position, TState State);

/// <summary>
/// The checkpoint moved since this stage read it: another run of the same stage advanced it. Nothing of this run's
/// transaction is kept; read the checkpoint again and go on from there.
/// </summary>
public sealed class CheckpointConflictException : Exception
{
    /// <summary>The checkpoint of <paramref name="pipeline"/>/<paramref name="stage"/> was not at <paramref name="expected"/>.</summary>
    public CheckpointConflictException(string pipeline, string stage, string? expected)
        : base($"The checkpoint of stage '{stage}' of pipeline '{pipeline}' is no longer at " +
               (expected is null ? "its start (another run created it)" : $"'{expected}'") +
               ": another run of the stage advanced it. Roll back, read the checkpoint again and resume from there; run one instance of a stage per tenant at a time to avoid this.")
    {
        Pipeline = pipeline;
        Stage = stage;
    }

    /// <summary>The pipeline of the checkpoint.</summary>
    public string Pipeline { get; }

    /// <summary>The stage of the checkpoint.</summary>
    public string Stage { get; }
}
