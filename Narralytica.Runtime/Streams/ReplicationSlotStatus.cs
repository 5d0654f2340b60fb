using System;

namespace Narralytica.Runtime.Streams;

/// <summary>
/// One logical replication slot as the server sees it.
/// </summary>
/// <param name="Name">The slot's name.</param>
/// <param name="Plugin">Its output plugin (pgoutput for change streams).</param>
/// <param name="Active">A consumer is connected to it.</param>
/// <param name="ConfirmedPosition">The last position its consumer acknowledged.</param>
/// <param name="LagBytes">WAL written since the last position its consumer acknowledged: what it has yet to read.</param>
/// <param name="RetainedBytes">WAL the server keeps for the slot (from its restart point): what a forgotten slot costs on disk.</param>
/// <param name="LastAcknowledged">How long since its consumer last acknowledged a position, when one is connected; null otherwise.</param>
/// <param name="WalStatus">PostgreSQL's wal_status: reserved, extended, unreserved, or lost (the slot can no longer be read).</param>
public sealed record ReplicationSlotStatus(
    string Name,
    string Plugin,
    bool Active,
    string? ConfirmedPosition,
    long? LagBytes,
    long? RetainedBytes,
    TimeSpan? LastAcknowledged,
    string? WalStatus);
