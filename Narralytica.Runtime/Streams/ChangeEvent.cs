using System;
using NpgsqlTypes;

namespace Narralytica.Runtime.Streams;

/// <summary>
/// One event of a change stream, in commit order: a <see cref="TransactionBegin"/>, the <see cref="RowChange"/>s of
/// that transaction, then its <see cref="TransactionCommit"/>. Every event carries the commit's LSN and time, so an
/// event seen twice (delivery is at least once) is recognised by its transaction's <see cref="CommitLsn"/>.
/// </summary>
/// <param name="CommitLsn">Where the transaction committed in the WAL: increases from one transaction to the next.</param>
/// <param name="CommitTime">When it committed, by the server's clock.</param>
public abstract record ChangeEvent(NpgsqlLogSequenceNumber CommitLsn, DateTimeOffset CommitTime);
