using System;

namespace Narralytica.Runtime;

/// <summary>
/// How far a pipeline stage of one tenant has got (a row of <c>pipeline_checkpoints</c>): <see cref="Position"/> is the
/// stage's own resume cursor (opaque to the data layer, at most 4 KiB), <see cref="State"/> what else it carries along
/// (JSON).
/// </summary>
public sealed record StageCheckpoint(string Pipeline, string Stage, string Position, string State, DateTimeOffset UpdatedAt);

/// <summary>What a stage step did: the position it reached and the state to keep, or nothing to do (the checkpoint stays).</summary>
public sealed record StageProgress(string Position, string State = "{}");

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
