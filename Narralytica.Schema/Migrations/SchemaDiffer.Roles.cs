using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The roles, each lane's USAGE on the schema, and each lane's privileges on a table that stays.
/// </summary>
public sealed partial class SchemaDiffer
{
    /// <summary>
    /// The first migration that grants anything creates the roles where missing (GRANT needs them), and the first
    /// with the lanes creates their roles; each lane's USAGE on the schema follows schema.yaml like any other privilege.
    /// </summary>
    private void DiffRolesAndSchemaUsage()
    {
        if (!_from.GrantsToApp && _to.GrantsToApp)
        {
            foreach (var statement in DatabaseRoles.CreateIfMissing())
                Emit(Phase.Roles, statement);
            Change(ChangeDescriptions.CreateRoles(), new SourceSpan(1, 1));
        }
        if (!_from.Lanes && _to.Lanes)
        {
            foreach (var statement in DatabaseRoles.CreateLanesIfMissing())
                Emit(Phase.Roles, statement);
            Change(ChangeDescriptions.CreateLaneRoles(), new SourceSpan(1, 1));
        }
        foreach (var role in DatabaseRoles.Lanes)
        {
            bool Usage(SchemaModel model) => model.AppSchemaUsage && (role == DatabaseRoles.App || model.Lanes);
            if (Usage(_from) == Usage(_to))
                continue;
            Emit(Phase.Roles, Usage(_to) ? DatabaseRoles.GrantSchemaUsage(role) : DatabaseRoles.RevokeSchemaUsage(role));
            Change(ChangeDescriptions.SchemaUsage(role, granted: Usage(_to)), new SourceSpan(1, 1));
        }
    }

    /// <summary>Each lane's privileges on a table that stays: what schema.yaml adds is granted, what it removes revoked.</summary>
    private void DiffPrivileges(Table old, Table table)
    {
        // One finding per table that stops being append-only, for the first lane that may now rewrite its rows.
        var reported = false;
        foreach (var role in DatabaseRoles.Lanes)
            reported |= DiffPrivileges(old, table, role, reported);
    }

    /// <summary>One lane's grants and revokes; whether it reported the table's reopening (<see cref="MigrationRules.AppendOnlyReopened"/>).</summary>
    private bool DiffPrivileges(Table old, Table table, string role, bool reopeningReported)
    {
        var before = DatabaseRoles.PrivilegesOf(old, role);
        var after = DatabaseRoles.PrivilegesOf(table, role);
        var granted = after & ~before;
        var revoked = before & ~after;
        if (revoked != TablePrivileges.None)
        {
            Emit(Phase.Grants, DatabaseRoles.Revoke(table, revoked, role));
            Change(ChangeDescriptions.Revoke(table, revoked, role, nowAppendOnly: table.AppendOnly && !old.AppendOnly), table.Span);
        }
        if (granted == TablePrivileges.None)
            return false;
        Emit(Phase.Grants, DatabaseRoles.Grant(table, granted, role));
        Change(ChangeDescriptions.Grant(table, granted, role, reopened: old.AppendOnly && !table.AppendOnly), table.Span);
        if (reopeningReported || SafetyFindings.AppendOnlyReopened(old, table, role, granted) is not { } reopening)
            return false;
        Find(reopening);
        return true;
    }
}
