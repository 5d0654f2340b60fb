using System;

namespace Narralytica.Runtime;

/// <summary>A row of a tenant-scoped table: it belongs to exactly one tenant.</summary>
public interface ITenantEntity
{
    /// <summary>The tenant the row belongs to; set by the tenant scope on insert.</summary>
    Guid TenantId { get; set; }
}
