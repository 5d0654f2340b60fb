using System;
using NpgsqlTypes;

namespace Narralytica.Runtime.Streams;

/// <summary>A transaction's changes follow, up to its <see cref="TransactionCommit"/>.</summary>
/// <param name="TransactionId">The transaction's id (xid) on the server.</param>
/// <param name="CommitLsn">Where it committed.</param>
/// <param name="CommitTime">When it committed.</param>
public sealed record TransactionBegin(uint TransactionId, NpgsqlLogSequenceNumber CommitLsn, DateTimeOffset CommitTime)
    : ChangeEvent(CommitLsn, CommitTime);
