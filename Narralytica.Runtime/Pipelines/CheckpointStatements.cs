using System.ComponentModel;

namespace Narralytica.Runtime;

/// <summary>
/// The SQL of a schema's pipeline checkpoints, written by the generator from the checkpoints table's declaration in
/// schema.yaml (<c>checkpoints:</c>) and handed to <see cref="StageCheckpoints"/> by the generated <c>scope.Checkpoints</c>:
/// the runtime itself names no table. Each statement takes the tenant ($1), the pipeline ($2) and the stage ($3).
/// </summary>
/// <param name="Table">The checkpoints table, for messages.</param>
/// <param name="Read">The stage's position and state as text and its last advance, the row locked until the transaction ends.</param>
/// <param name="Create">A stage's first advance ($4 id, $5 position, $6 state): returns its time, or no row when another run created it.</param>
/// <param name="Advance">Moves the stage from position $6 to position $4 and state $5: returns its time, or no row when it was not at $6.</param>
/// <param name="PositionMaxBytes">The largest position the table takes, in bytes of its text (max_bytes), or null.</param>
/// <param name="StateMaxBytes">The largest state the table takes, in bytes of its JSON (max_bytes), or null.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record CheckpointStatements(string Table, string Read, string Create, string Advance, int? PositionMaxBytes, int? StateMaxBytes);
