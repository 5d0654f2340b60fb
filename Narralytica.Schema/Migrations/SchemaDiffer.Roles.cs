using System;
using System.Collections.Generic;
using System.Linq;
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
            Change($"create roles {DatabaseRoles.Owner} and {DatabaseRoles.App} (if they do not exist)", new SourceSpan(1, 1));
        }
        if (!_from.Lanes && _to.Lanes)
        {
            foreach (var statement in DatabaseRoles.CreateLanesIfMissing())
                Emit(Phase.Roles, statement);
            Change($"create roles {DatabaseRoles.Control}, {DatabaseRoles.Worker} and {DatabaseRoles.Reader} (if they do not exist)", new SourceSpan(1, 1));
        }
        foreach (var role in DatabaseRoles.Lanes)
        {
            bool Usage(SchemaModel model) => model.AppSchemaUsage && (role == DatabaseRoles.App || model.Lanes);
            if (Usage(_from) == Usage(_to))
                continue;
            Emit(Phase.Roles, Usage(_to) ? DatabaseRoles.GrantSchemaUsage(role) : DatabaseRoles.RevokeSchemaUsage(role));
            Change($"{(Usage(_to) ? "grant" : "revoke")} USAGE on the schema {(Usage(_to) ? "to" : "from")} {role}", new SourceSpan(1, 1));
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
            Change($"revoke {Keywords(revoked)} on {table.Name} from {role}{(table.AppendOnly && !old.AppendOnly ? " (the table is append-only now)" : "")}", table.Span);
        }
        if (granted == TablePrivileges.None)
            return false;
        Emit(Phase.Grants, DatabaseRoles.Grant(table, granted, role));
        var reopened = old.AppendOnly && !table.AppendOnly;
        Change($"grant {Keywords(granted)} on {table.Name} to {role}{(reopened ? " (the table is no longer append-only)" : "")}", table.Span);
        const TablePrivileges rewrites = TablePrivileges.Update | TablePrivileges.Delete;
        if (!reopened || (granted & rewrites) == TablePrivileges.None || reopeningReported)
            return false;
        Find(MigrationRules.AppendOnlyReopened,
            $"table '{table.Name}' is no longer append-only: {role} gets {Keywords(granted & rewrites)} on it, so the application can change or remove rows " +
            "that were history until now. To correct a row, append a new version instead; if rows must really change, accept it with --allow tenancy", table.Span);
        return true;
    }

    private static string Keywords(TablePrivileges privileges) => string.Join(", ", TablePrivilegeNames.Keywords(privileges));
}
