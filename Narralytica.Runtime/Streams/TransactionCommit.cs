using System;
using NpgsqlTypes;

namespace Narralytica.Runtime.Streams;

/// <summary>
/// The end of a transaction's changes. Once they are applied (and the position stored with them, when the derived
/// system de-duplicates), acknowledge <see cref="Position"/>: the stream then resumes after this transaction.
/// </summary>
/// <param name="CommitLsn">Where it committed.</param>
/// <param name="CommitTime">When it committed.</param>
/// <param name="Position">The end of the transaction in the WAL: what <see cref="ChangeStream.AcknowledgeAsync"/> takes.</param>
public sealed record TransactionCommit(NpgsqlLogSequenceNumber CommitLsn, NpgsqlLogSequenceNumber Position, DateTimeOffset CommitTime)
    : ChangeEvent(CommitLsn, CommitTime);
