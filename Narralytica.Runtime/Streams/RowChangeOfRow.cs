using System;
using System.Collections.Generic;
using NpgsqlTypes;

namespace Narralytica.Runtime.Streams;

/// <summary>A change of one row of the table whose entity is <typeparamref name="TRow"/>.</summary>
/// <param name="Kind">Insert, update or delete.</param>
/// <param name="Table">The table, as schema.yaml names it.</param>
/// <param name="TenantId">The row's tenant, for a tenant-scoped table; null for a global one.</param>
/// <param name="Row">The row after an insert or update; for a delete, the deleted row's key (other properties hold defaults).</param>
/// <param name="OldKey">
/// For an update that changed the row's key, the old key; for a delete, the same as <see cref="Row"/>; otherwise null.
/// Only the key properties are set (the table's replica identity is its primary key).
/// </param>
/// <param name="UnchangedColumns">Columns an update did not send (see <see cref="RowChange"/>).</param>
/// <param name="CommitLsn">Where its transaction committed.</param>
/// <param name="CommitTime">When its transaction committed.</param>
public sealed record RowChange<TRow>(
    ChangeKind Kind,
    string Table,
    Guid? TenantId,
    TRow Row,
    TRow? OldKey,
    IReadOnlyCollection<string> UnchangedColumns,
    NpgsqlLogSequenceNumber CommitLsn,
    DateTimeOffset CommitTime) : RowChange(Kind, Table, TenantId, UnchangedColumns, CommitLsn, CommitTime)
    where TRow : class;
