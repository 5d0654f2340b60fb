using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// <c>BulkInsertAsync</c> on a tenant table of a layer generated for Citus (<c>target: citus</c>): each statement is a
/// multi-row <c>INSERT … VALUES (narralytica_proven_tenant(), $1, …), …</c>, one parameter per column and row, which
/// Citus routes to the shard of the proven tenant and the worker checks row by row. The plain target's
/// <c>INSERT … SELECT … FROM unnest(…)</c> becomes a COPY into the shards there, which the workers refuse under
/// row-level security (docs/citus.md).
/// </summary>
public sealed partial class NarralyticaDb
{
    /// <summary>
    /// Inserts <paramref name="rows"/> for <paramref name="tenant"/> in statements of <paramref name="rowsPerStatement"/>
    /// rows (<paramref name="statementFor"/> writes the statement for a number of rows; <paramref name="declareParameters"/>
    /// adds the typed parameters of that many rows; <paramref name="bindRows"/> sets them from a slice of a chunk). The rest
    /// after the last full statement goes in statements of power-of-two sizes, so a connection keeps at most a dozen
    /// prepared texts per table, whatever the inputs. Always in a transaction, the caller's or one begun here: Citus sends
    /// the tenant's proof to the worker only with a remote transaction, which it opens only inside a transaction block.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public async Task<ulong> CitusBulkInsertAsync<T>(Guid tenant, Func<int, string> statementFor, int rowsPerStatement, IEnumerable<T> rows,
        Action<T> prepareRow, Action<NpgsqlParameterCollection, int> declareParameters, Action<NpgsqlParameterCollection, T[], int, int> bindRows,
        CancellationToken cancellationToken)
    {
        var chunk = new T[rowsPerStatement];
        using var remaining = rows.GetEnumerator();
        var count = Fill(remaining, chunk, prepareRow);
        if (count == 0)
            return 0;
        var connection = await OpenNpgsqlConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var ownTransaction = Transaction is null ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
        ulong inserted = 0;
        for (; count > 0; count = Fill(remaining, chunk, prepareRow))
        {
            for (var start = 0; start < count;)
            {
                var size = count == rowsPerStatement ? count : LargestPowerOfTwoAtMost(count - start);
                var statement = await PreparedAsync(statementFor(size), tenant, parameters => declareParameters(parameters, size), cancellationToken).ConfigureAwait(false);
                bindRows(statement.Parameters, chunk, start, size);
                inserted += await statement.ExecuteWriteAsync(cancellationToken).ConfigureAwait(false);
                start += size;
            }
        }
        if (ownTransaction is not null)
            await ownTransaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <summary>
    /// The text of a multi-row INSERT: <paramref name="head"/> (up to <c>VALUES </c>), then <paramref name="rows"/> rows,
    /// each <paramref name="rowTenant"/> and <paramref name="parametersPerRow"/> parameters numbered on from the row before.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static string MultiRowInsert(string head, string rowTenant, int parametersPerRow, int rows)
    {
        var text = new StringBuilder(head, head.Length + rows * (rowTenant.Length + 4 + parametersPerRow * 8));
        for (var row = 0; row < rows; row++)
        {
            text.Append(row == 0 ? "(" : ", (").Append(rowTenant);
            for (var column = 1; column <= parametersPerRow; column++)
                text.Append(", $").Append(row * parametersPerRow + column);
            text.Append(')');
        }
        return text.ToString();
    }

    private static int LargestPowerOfTwoAtMost(int value)
    {
        var power = 1;
        while (power * 2 <= value)
            power *= 2;
        return power;
    }
}
