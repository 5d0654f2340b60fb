using System;
using System.Collections.Generic;
using NpgsqlTypes;

namespace Narralytica.Runtime.Streams;

/// <summary>
/// An insert, update or delete of one row of a published table. The typed row is on <see cref="RowChange{TRow}"/>:
/// match on it (<c>case RowChange&lt;Segment&gt; change:</c>).
/// </summary>
/// <param name="Kind">Insert, update or delete.</param>
/// <param name="Table">The table, as schema.yaml names it.</param>
/// <param name="TenantId">The row's tenant, for a tenant-scoped table; null for a global one.</param>
/// <param name="UnchangedColumns">
/// Columns an update left as they were and PostgreSQL did not send (large values stored out of line, TOAST): their
/// properties hold the type's default, and the derived system keeps what it has for them.
/// </param>
/// <param name="CommitLsn">Where its transaction committed.</param>
/// <param name="CommitTime">When its transaction committed.</param>
public abstract record RowChange(
    ChangeKind Kind,
    string Table,
    Guid? TenantId,
    IReadOnlyCollection<string> UnchangedColumns,
    NpgsqlLogSequenceNumber CommitLsn,
    DateTimeOffset CommitTime) : ChangeEvent(CommitLsn, CommitTime);
