using System;

namespace Narralytica.Runtime;

/// <summary>
/// The tenant of a row a scope is writing (<c>scope.Insert(row)</c>, <c>Update</c>, <c>Delete</c>). linq2db's
/// command for one row carries no scope parameter (its tenant_id parameter is the row's), so the scope names its
/// tenant here while the command runs, and <see cref="TenantCommandInterceptor"/> sets it for the command's transaction.
/// </summary>
public sealed partial class NarralyticaDb
{
    /// <summary>The tenant of the row write in progress on this connection, if any.</summary>
    internal Guid? RowWriteTenant { get; private set; }

    /// <summary>Names <paramref name="tenant"/> as the tenant of the linq2db commands sent until the result is disposed.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public RowWrite WritingFor(Guid tenant)
    {
        RowWriteTenant = tenant;
        return new RowWrite(this);
    }

    /// <summary>Ends the row write: later commands name their tenant themselves again.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public readonly struct RowWrite : IDisposable
    {
        private readonly NarralyticaDb _db;

        internal RowWrite(NarralyticaDb db) => _db = db;

        /// <summary>Ends the row write.</summary>
        public void Dispose() => _db.RowWriteTenant = null;
    }
}
