using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// <c>BulkInsertAsync</c> on a tenant table: the rows go in chunks, each chunk one prepared
/// <c>INSERT … SELECT … FROM unnest(…)</c> whose parameters are typed arrays, one per column (the generated
/// <c>BindBulkInsert</c> fills them without boxing a value). No temporary table is involved, so the request and worker
/// lanes need no TEMP privilege, and the statement takes tenant_id from the transaction's verified proof, not from the rows.
/// </summary>
public sealed partial class NarralyticaDb
{
    /// <summary>How many rows one statement carries at most; a larger input is sent as several statements in one transaction.</summary>
    internal const int BulkInsertChunkRows = 10_000;

    /// <summary>
    /// Inserts <paramref name="rows"/> with <paramref name="sql"/> for <paramref name="tenant"/>: each row is first passed
    /// to <paramref name="prepareRow"/> (it fills the conventions and refuses a row of another tenant), then each chunk is
    /// bound by <paramref name="bindChunk"/> and sent with the tenant's proof in the same batch. More than one chunk runs
    /// in one transaction: the caller's, or one begun here and committed at the end (all or nothing either way).
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public async Task<ulong> BulkInsertAsync<T>(Guid tenant, string sql, IEnumerable<T> rows, Action<T> prepareRow,
        Action<NpgsqlParameterCollection> declareParameters, Action<NpgsqlParameterCollection, T[], int> bindChunk, CancellationToken cancellationToken)
    {
        var chunk = new T[rows is ICollection<T> known ? Math.Clamp(known.Count, 1, BulkInsertChunkRows) : BulkInsertChunkRows];
        using var remaining = rows.GetEnumerator();
        var count = Fill(remaining, chunk, prepareRow);
        if (count == 0)
            return 0;
        // A full first chunk may have more after it: those statements share one transaction.
        var connection = await OpenNpgsqlConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var ownTransaction = count == BulkInsertChunkRows && Transaction is null
            ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : null;
        ulong inserted = 0;
        for (; count > 0; count = Fill(remaining, chunk, prepareRow))
        {
            var statement = await PreparedAsync(sql, tenant, declareParameters, cancellationToken).ConfigureAwait(false);
            bindChunk(statement.Parameters, chunk, count);
            inserted += await statement.ExecuteWriteAsync(cancellationToken).ConfigureAwait(false);
        }
        if (ownTransaction is not null)
            await ownTransaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <summary>The next rows of <paramref name="remaining"/>, prepared, into <paramref name="chunk"/>; how many.</summary>
    private static int Fill<T>(IEnumerator<T> remaining, T[] chunk, Action<T> prepareRow)
    {
        var count = 0;
        while (count < chunk.Length && remaining.MoveNext())
        {
            prepareRow(remaining.Current);
            chunk[count++] = remaining.Current;
        }
        return count;
    }
}
