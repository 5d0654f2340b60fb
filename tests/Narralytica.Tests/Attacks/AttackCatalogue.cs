using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Tests.Attacks;

/// <summary>
/// Every attack tried on tenant isolation, in the order docs/security.md lists them. Each group lives in its
/// own file: reads, writes, references and keys, tenant context, the signed tenant, injection, privileges, limits, and the callers' lanes
/// (global rows, the audit trail, the workers', the readers', memberships between the roles: AttackCatalogue.Lanes.cs; the change streams' login: AttackCatalogue.Streams.cs), the lanes'
/// sessions (temporary objects, search paths, the bulk insert: AttackCatalogue.Sessions.cs), and what a member may do to its lane
/// role and to other logins, and large objects (AttackCatalogue.LaneRoles.cs).
/// </summary>
public static partial class AttackCatalogue
{
    public static IReadOnlyList<Attack> All { get; } =
        Reads().Concat(Writes()).Concat(ReferencesAndKeys()).Concat(TenantContext()).Concat(Proof()).Concat(Injection()).Concat(Privileges()).Concat(Limits())
            .Concat(GlobalRows()).Concat(AuditTrail()).Concat(WorkerLane()).Concat(ReaderLane()).Concat(StreamLane()).Concat(Memberships()).Concat(Sessions()).Concat(LaneRoles()).ToList();

    public static Attack Named(string id) => All.Single(a => a.Id == id);

    private const string Sql = "SQL";
    private const string Api = "API";
}
