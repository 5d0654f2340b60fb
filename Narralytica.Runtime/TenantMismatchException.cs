using System;

namespace Narralytica.Runtime;

/// <summary>A tenant scope was handed a row of another tenant. Nothing was written.</summary>
public sealed class TenantMismatchException : InvalidOperationException
{
    /// <summary>A row of <paramref name="rowTenant"/> given to the scope of <paramref name="scopeTenant"/>.</summary>
    public TenantMismatchException(string table, Guid scopeTenant, Guid rowTenant)
        : base(rowTenant == Guid.Empty
            ? $"A {table} row without a tenant was given to the scope of tenant {scopeTenant}. Load the row through the scope before updating or deleting it."
            : $"A {table} row of tenant {rowTenant} was given to the scope of tenant {scopeTenant}; nothing was written. Use the scope of the row's own tenant.")
    {
        Table = table;
        ScopeTenant = scopeTenant;
        RowTenant = rowTenant;
    }

    /// <summary>The table of the refused row.</summary>
    public string Table { get; }
    /// <summary>The tenant of the scope that refused it.</summary>
    public Guid ScopeTenant { get; }
    /// <summary>The tenant the row named (Guid.Empty: none).</summary>
    public Guid RowTenant { get; }
}
