using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Tests.Attacks;

public static partial class AttackCatalogue
{
    /// <summary>
    /// The attacks a change of the policies' or the tenant procedures' forms could let through: reads, writes, the tenant
    /// context, the signed tenant, the readers' lane and the bulk insert (whose statement must hold where Citus runs no policy). The Citus forms face them on plain PostgreSQL (Citus/CitusFormAttackTests).
    /// </summary>
    public static IReadOnlyList<Attack> OnPolicyForms { get; } =
        Reads().Concat(Writes()).Concat(TenantContext()).Concat(Proof()).Concat(ReaderLane()).Concat(Sessions()).ToList();
}
