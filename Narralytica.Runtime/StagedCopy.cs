namespace Narralytica.Runtime;

/// <summary>
/// The statements of <c>BulkInsertAsync</c> on a tenant table. PostgreSQL refuses COPY FROM into a table with
/// row-level security, so the rows are copied (binary, typed) into a temporary table of the same columns, created
/// for this copy inside its transaction, then moved into the table with one INSERT, which the policies check.
/// </summary>
/// <param name="Create">Creates the temporary table (dropped at the latest when the transaction ends).</param>
/// <param name="Copy">The binary COPY into it, every column in declared order.</param>
/// <param name="Insert">Moves its rows into the table.</param>
/// <param name="Drop">Drops it, so another copy in the same transaction can create it again.</param>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed record StagedCopy(string Create, string Copy, string Insert, string Drop);
