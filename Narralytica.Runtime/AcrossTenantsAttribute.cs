using System;

namespace Narralytica.Runtime;

/// <summary>
/// Marks code meant to reach tenant-scoped tables across tenants outside the tenant scope (hand-written SQL,
/// maintenance, a deliberate isolation test). The Narralytica analyzers (NARR4001, NARR4002) accept such code
/// inside the marked member or type; the justification is required (NARR4003) and is what a reviewer reads.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Constructor | AttributeTargets.Property, Inherited = false)]
public sealed class AcrossTenantsAttribute : Attribute
{
    /// <summary>Marks the member or type, saying why it works across tenants.</summary>
    public AcrossTenantsAttribute(string justification) => Justification = justification;

    /// <summary>Why this code works across tenants, as its author wrote it.</summary>
    public string Justification { get; }
}
