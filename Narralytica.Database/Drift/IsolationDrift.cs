using System;
using System.Collections.Generic;
using System.Linq;
using Narralytica.Database.Catalog;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Database.Drift;

/// <summary>
/// Tenant isolation compared piece by piece: the audit table of cross-tenant reads (its existence and what the
/// application role holds on it; its columns and constraints are fixed by the DDL and not compared), the two
/// procedures, and each table's row-level security (enabled, forced, and every policy by name: command, roles,
/// and conditions as PostgreSQL prints them for the live schema and for the scratch build of schema.yaml, both on
/// the same server, so equal text means equal policies). The differ's model only says whether each part is
/// complete, which cannot say what to do with a half-way database (one policy dropped, row security disabled
/// with its policies kept), so drift compares these itself and leaves them out of the differ's comparison.
/// </summary>
public sealed class IsolationDrift
{
    private IsolationDrift()
    {
    }

    public List<DriftDifference> Differences { get; } = new();

    /// <summary>
    /// What runs before the differ's statements: policies dropped and row security turned off (a policy names
    /// tenant_id, which the differ may drop), and the context's objects created (a table the differ creates gets
    /// a policy that reads the audit table).
    /// </summary>
    public List<string> Before { get; } = new();

    /// <summary>What runs after the differ's: row security turned on, policies created (once tenant_id exists), grants, the context dropped.</summary>
    public List<string> After { get; } = new();

    /// <param name="live">The live schema's isolation.</param>
    /// <param name="expected">The scratch build's isolation (built without grants).</param>
    /// <param name="expectedModel">What schema.yaml builds, with its grants: the tables compared are those it shares with <paramref name="liveModel"/>.</param>
    /// <param name="liveModel">The live schema; a table only one side has is the differ's to create or drop, with its row security.</param>
    public static IsolationDrift Compare(IsolationCatalog live, IsolationCatalog expected, SchemaModel expectedModel, SchemaModel liveModel)
    {
        var drift = new IsolationDrift();
        drift.CompareAuditTable(live, expected, expectedModel);
        drift.CompareLaneSchemaUsage(live, expectedModel);
        drift.CompareProof(live.Proof, expected.Proof);
        foreach (var name in IsolationCatalog.ContextRoutineNames)
            drift.CompareProcedure(name, live.Procedures.Where(p => p.Name == name).ToList(), expected.Procedures.FirstOrDefault(p => p.Name == name));
        drift.CompareQueueFunctions(live, expected, expectedModel);
        foreach (var table in expectedModel.Tables.Where(t => liveModel.FindTable(t.Name) is not null))
            drift.CompareTable(table, live.RowSecurityOf(table.Name), expected.RowSecurityOf(table.Name), expectedModel.TenantProof);
        return drift;
    }

    private void Add(string kind, string what) => Differences.Add(new DriftDifference(kind, what));

    private void CompareAuditTable(IsolationCatalog live, IsolationCatalog expected, SchemaModel expectedModel)
    {
        const string table = TenantIsolation.AuditTable;
        if (expected.AuditTable && !live.AuditTable)
        {
            Add("missing", $"table {table} (the record of cross-tenant reads)");
            Before.Add(expectedModel.Lanes ? CallerLanes.CreateAuditTable : TenantIsolation.CreateAuditTable);
            Before.Add(expectedModel.Lanes ? CallerLanes.CommentOnAuditTable : TenantIsolation.CommentOnAuditTable);
        }
        else if (!expected.AuditTable && live.AuditTable)
        {
            Add("extra", $"table {table}");
            After.Add(TenantIsolation.DropAuditTable);
            return;
        }
        if (!expected.AuditTable)
            return;
        // Without the lanes, granted to the application with the context (append-only, so no more); with them, to no lane.
        foreach (var role in DatabaseRoles.Lanes)
        {
            var declared = role == DatabaseRoles.App && expectedModel.GrantsToApp && !expectedModel.Lanes ? TablePrivileges.Select | TablePrivileges.Insert : TablePrivileges.None;
            var held = live.AuditTable && live.AuditTablePrivileges.TryGetValue(role, out var privileges) ? privileges : TablePrivileges.None;
            if ((declared & ~held) is var missing and not TablePrivileges.None)
            {
                Add("missing", $"privilege {Keywords(missing)} on {table} for {role}");
                After.Add(DatabaseRoles.Grant(table, missing, role));
            }
            if ((held & ~declared) is var extra and not TablePrivileges.None)
            {
                Add("extra", $"privilege {Keywords(extra)} on {table} held by {role}");
                After.Add(DatabaseRoles.Revoke(table, extra, role));
            }
        }
    }

    /// <summary>
    /// USAGE on the schema of the lanes other than the application's (whose USAGE the differ compares): without it a
    /// lane's table privileges reach nothing; held without the lanes in schema.yaml, it is one too many.
    /// </summary>
    private void CompareLaneSchemaUsage(IsolationCatalog live, SchemaModel expectedModel)
    {
        foreach (var role in DatabaseRoles.Lanes.Skip(1))
        {
            var declared = expectedModel.AppSchemaUsage && expectedModel.Lanes;
            var held = live.SchemaUsage.Contains(role);
            if (declared == held)
                continue;
            Add(declared ? "missing" : "extra", $"privilege USAGE on the schema {(declared ? "for" : "held by")} {role}");
            After.Add(declared ? DatabaseRoles.GrantSchemaUsage(role) : DatabaseRoles.RevokeSchemaUsage(role));
        }
    }

    /// <summary>
    /// The signed tenant: the key table (missing: created, with no key in it; any privilege of the application role on it
    /// is revoked), the verifying function and the proof procedure (missing or defined otherwise: created, or replaced in
    /// place, since the policies depend on the function). Their creation runs before the policies that read them.
    /// </summary>
    private void CompareProof(ProofCatalog live, ProofCatalog expected)
    {
        if (expected.KeyTable && !live.KeyTable)
        {
            Add("missing", $"table {TenantProof.KeyTable} (the keys that sign tenant proofs; install a key afterwards: narralytica tenant-key new)");
            Before.Add(TenantProof.CreateKeyTable);
            Before.Add(TenantProof.CommentOnKeyTable);
        }
        if (live.KeyTable && live.KeyTablePrivileges != TablePrivileges.None)
        {
            Add("extra", $"privilege {Keywords(live.KeyTablePrivileges)} on {TenantProof.KeyTable} held by {DatabaseRoles.App} (only the owner may read the keys)");
            After.Add(DatabaseRoles.Revoke(TenantProof.KeyTable, live.KeyTablePrivileges));
        }
        if (expected.SetProofProcedure is not null && live.SetProofProcedure != expected.SetProofProcedure)
        {
            Add(live.SetProofProcedure is null ? "missing" : "changed", $"procedure {TenantProof.SetProofProcedure}" + (live.SetProofProcedure is null ? "" : ": its definition differs from schema.yaml's"));
            Before.Add(TenantProof.CreateSetProof.Replace("CREATE PROCEDURE", "CREATE OR REPLACE PROCEDURE"));
        }
        if (expected.VerifyFunction is not null && live.VerifyFunction != expected.VerifyFunction)
        {
            Add(live.VerifyFunction is null ? "missing" : "changed", $"function {TenantProof.VerifyFunction}" + (live.VerifyFunction is null ? " (the tenant policies read it)" : ": its definition differs from schema.yaml's"));
            Before.Add(TenantProof.CreateExtension);
            Before.Add(TenantProof.CreateVerifyFunction);
        }
    }

    private static string Keywords(TablePrivileges privileges) => string.Join(", ", TablePrivilegeNames.Keywords(privileges));

    /// <summary>
    /// A routine of the context (a procedure, or a function of the readers): missing, extra, or defined otherwise (its
    /// language, SECURITY DEFINER, pinned search path, who may EXECUTE it, its body): dropped by its live signature and created again.
    /// </summary>
    private void CompareProcedure(string name, IReadOnlyList<RoutineDefinition> live, RoutineDefinition? expected)
    {
        string Drop(RoutineDefinition routine) => $"DROP ROUTINE {SqlIdentifier.Quote(name)}({routine.Arguments});";
        if (expected is null || live.Contains(expected))
        {
            // Besides the expected one (when there is one), any other of the name is extra: an overload made by hand.
            foreach (var other in live.Where(p => p != expected))
            {
                Add("extra", $"{(TenantIsolation.CreateProcedure(name) is null ? "function" : "procedure")} {name}({other.Arguments})");
                After.Add(Drop(other));
            }
            return;
        }
        var kind = TenantIsolation.CreateProcedure(name) is null ? "function" : "procedure";
        if (CallerLanes.FunctionNames.Contains(name) && live.Any(p => p.Arguments == expected.Arguments))
        {
            // Replaced in place: the readers' policies call the read function, so dropping it would be refused.
            Add("changed", $"{kind} {name}: its definition differs from schema.yaml's");
            Before.AddRange(live.Where(p => p.Arguments != expected.Arguments).Select(Drop));
            Before.AddRange(CallerLanes.CreateFunction(name, orReplace: true));
            // A replacement keeps the function's grants: EXECUTE given by hand to anyone but the readers is taken back.
            foreach (var grantee in ExecuteGrantees(live.First(p => p.Arguments == expected.Arguments)).Where(g => g != DatabaseRoles.Reader))
                Before.Add($"REVOKE ALL ON FUNCTION {SqlIdentifier.Quote(name)}({expected.Arguments}) FROM {(grantee == "public" ? "PUBLIC" : SqlIdentifier.Quote(grantee))};");
            return;
        }
        if (live.Count == 0)
            Add("missing", $"{kind} {name}");
        else
        {
            Add("changed", $"{kind} {name}: its definition differs from schema.yaml's");
            Before.AddRange(live.Select(Drop));
        }
        if (TenantIsolation.CreateProcedure(name) is { } procedure)
            Before.Add(procedure);
        else
            Before.AddRange(CallerLanes.CreateFunction(name));
    }

    /// <summary>
    /// The queue's functions (<see cref="QueueFunctions"/>): missing, extra, or defined otherwise than schema.yaml's queue
    /// writes them (their statements, SECURITY DEFINER, pinned search path, who may EXECUTE them). All are created again
    /// (in place) once the differ's statements ran, so they name the table as it then is; an overload made by hand, or a
    /// function left after the queue was dropped, is dropped; EXECUTE given by hand to anyone but the workers is taken back.
    /// </summary>
    private void CompareQueueFunctions(IsolationCatalog live, IsolationCatalog expected, SchemaModel expectedModel)
    {
        var differing = QueueFunctions.Names.Where(name =>
            !live.Procedures.Where(p => p.Name == name).SequenceEqual(expected.Procedures.Where(p => p.Name == name))).ToList();
        if (differing.Count == 0)
            return;
        foreach (var name in differing)
        {
            var declared = expected.Procedures.FirstOrDefault(p => p.Name == name);
            var held = live.Procedures.Where(p => p.Name == name).ToList();
            Add(held.Count == 0 ? "missing" : declared is null ? "extra" : "changed",
                held.Count == 0 || declared is null ? $"function {name}" : $"function {name}: its definition differs from schema.yaml's queue");
            foreach (var other in held.Where(p => declared is null || p.Arguments != declared.Arguments))
                After.Add($"DROP FUNCTION {SqlIdentifier.Quote(name)}({other.Arguments});");
            if (declared is not null && held.FirstOrDefault(p => p.Arguments == declared.Arguments) is { } replaced)
                foreach (var grantee in ExecuteGrantees(replaced).Where(g => g != DatabaseRoles.Worker && g != "public"))
                    After.Add($"REVOKE ALL ON FUNCTION {SqlIdentifier.Quote(name)}({declared.Arguments}) FROM {SqlIdentifier.Quote(grantee)};");
        }
        if (expectedModel.Tables.FirstOrDefault(t => t.QueueFunctions.Length > 0) is { } queue)
            After.AddRange(QueueFunctions.Create(queue));
    }

    /// <summary>Who holds EXECUTE on a routine besides its owner, as <see cref="IsolationCatalog"/> writes it in the definition ("… execute a,b …").</summary>
    private static IEnumerable<string> ExecuteGrantees(RoutineDefinition routine)
    {
        const string marker = " execute ";
        var start = routine.Definition.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var list = routine.Definition.Substring(start, routine.Definition.IndexOf(' ', start) - start);
        return list == "owner" ? Enumerable.Empty<string>() : list.Split(',');
    }

    private void CompareTable(Table table, TableRowSecurity live, TableRowSecurity expected, bool signedTenant)
    {
        if (expected.Enabled != live.Enabled)
        {
            Add(expected.Enabled ? "missing" : "extra", $"row-level security on {table.Name}");
            if (expected.Enabled)
                After.Add(TenantIsolation.EnableRowSecurity(table));
            else
                Before.Add(TenantIsolation.DisableRowSecurity(table));
        }
        if (expected.Forced != live.Forced)
        {
            Add(expected.Forced ? "missing" : "extra", $"forced row-level security on {table.Name} (its owner {(expected.Forced ? "is not" : "is")} bound by the policies)");
            if (expected.Forced)
                After.Add(TenantIsolation.ForceRowSecurity(table));
            else
                Before.Add(TenantIsolation.NoForceRowSecurity(table));
        }
        foreach (var policy in expected.Policies)
        {
            var held = live.Find(policy.Name);
            if (held == policy)
                continue;
            if (held is null)
                Add("missing", $"policy {policy.Name} on {table.Name}");
            else
            {
                Add("changed", $"policy {policy.Name} on {table.Name}: {Differing(held, policy)} from schema.yaml's");
                Before.Add(TenantIsolation.DropPolicy(table, policy.Name));
            }
            After.Add(TenantIsolation.CreatePolicy(table, policy.Name, signedTenant)!);
        }
        foreach (var policy in live.Policies.Where(p => expected.Find(p.Name) is null))
        {
            Add("extra", $"policy {policy.Name} on {table.Name}");
            Before.Add(TenantIsolation.DropPolicy(table, policy.Name));
        }
    }

    /// <summary>"its USING condition differs", "its command (ALL), roles (public,someone) differ".</summary>
    private static string Differing(PolicyDefinition held, PolicyDefinition policy)
    {
        var parts = new List<string>();
        if (held.Command != policy.Command) parts.Add($"command ({held.Command})");
        if (held.Permissive != policy.Permissive) parts.Add(held.Permissive ? "PERMISSIVE" : "RESTRICTIVE");
        if (held.Roles != policy.Roles) parts.Add($"roles ({held.Roles})");
        if (held.Using != policy.Using) parts.Add("USING condition");
        if (held.WithCheck != policy.WithCheck) parts.Add("WITH CHECK condition");
        return $"its {string.Join(", ", parts)} differ{(parts.Count == 1 ? "s" : "")}";
    }
}
