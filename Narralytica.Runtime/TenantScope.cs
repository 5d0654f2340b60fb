using System;
using System.Threading;
using System.Threading.Tasks;

namespace Narralytica.Runtime;

/// <summary>
/// One tenant's view of the tenant-scoped tables. Queries carry <c>tenant_id = @tenant</c> as a real
/// predicate (index use, and shard routing later); inserts are stamped with <see cref="TenantId"/>;
/// updates and deletes only touch rows of this tenant. Every statement the scope sends also names its tenant
/// to the database for its own transaction, never for the session (see <see cref="TenantContext"/>), which
/// row-level security holds it to. Create one with <see cref="NarralyticaDb.ForTenant"/>.
/// </summary>
public sealed partial class TenantScope
{
    internal TenantScope(NarralyticaDb db, Guid tenantId)
    {
        Db = db;
        TenantId = tenantId;
    }

    /// <summary>The tenant every query and write of this scope is bound to.</summary>
    public Guid TenantId { get; }

    /// <summary>The name linq2db gives the parameter of the scope's tenant predicate (<see cref="NarralyticaScopeTenant"/>).</summary>
    internal const string TenantMarker = nameof(NarralyticaScopeTenant);

    /// <summary>
    /// The tenant as the scope's tables read it (<c>row.TenantId == NarralyticaScopeTenant</c>). linq2db names a
    /// query parameter after the member it reads, so every command built on the scope, whenever it runs, carries a
    /// parameter named so, from which <see cref="TenantCommandInterceptor"/> sets the tenant of its transaction.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public Guid NarralyticaScopeTenant => TenantId;

    /// <summary>The connection underneath, for transactions (<c>BeginTransactionAsync</c>) and global tables.</summary>
    public NarralyticaDb Db { get; }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction: committed when it returns, rolled back when it
    /// throws. Everything the scope does inside (inserts, <c>BulkInsertAsync</c>, queries) is part of it,
    /// e.g. a transcript with its segments and their layers, all or nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">This connection is already in a transaction.</exception>
    public async Task InTransactionAsync(Func<TenantScope, Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var transaction = await Db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await work(this).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant a new row gets: this scope's, unless the row already names another one.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public Guid ClaimTenant(Guid rowTenant, string table)
    {
        if (rowTenant != Guid.Empty && rowTenant != TenantId)
            throw new TenantMismatchException(table, TenantId, rowTenant);
        return TenantId;
    }

    /// <summary>Refuses a row that is not this tenant's before it is updated or deleted.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public void EnsureOwned(Guid rowTenant, string table)
    {
        if (rowTenant != TenantId)
            throw new TenantMismatchException(table, TenantId, rowTenant);
    }
}
