using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The workers' column-level UPDATE on a queue table (<see cref="Table.WorkerUpdateColumns"/>): a column that joins the list
/// is granted, one that leaves it (and stays in the table) revoked. A new table gets its grant with the table; a dropped
/// column takes its privileges with it. Runs after every table's table-level grants: revoking the table-wide UPDATE also
/// revokes each column's, so the column grants of the same migration come after it.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DiffColumnGrants()
    {
        var fromTables = _from.TablesByName();
        foreach (var table in _to.Tables)
        {
            if (_renames.IsRenamedAway(table.Name) || !fromTables.TryGetValue(_renames.OldTableName(table.Name), out var old))
                continue;
            var tableWideUpdateRevoked = (old.WorkerPrivileges & TablePrivileges.Update) != 0 && (table.WorkerPrivileges & TablePrivileges.Update) == 0;
            var before = tableWideUpdateRevoked
                ? new HashSet<string>()
                : new HashSet<string>(old.WorkerUpdateColumns.Select(column => _renames.NewColumnName(table.Name, column)));
            var after = new HashSet<string>(table.WorkerUpdateColumns);
            var granted = table.WorkerUpdateColumns.Where(column => !before.Contains(column)).ToList();
            var revoked = table.Columns.Select(c => c.Name).Where(column => before.Contains(column) && !after.Contains(column)).ToList();
            if (revoked.Count > 0)
            {
                Emit(Phase.Grants, DatabaseRoles.RevokeUpdate(table, revoked, DatabaseRoles.Worker));
                Change($"revoke UPDATE ({string.Join(", ", revoked)}) on {table.Name} from {DatabaseRoles.Worker}", table.Span);
            }
            if (granted.Count > 0)
            {
                Emit(Phase.Grants, DatabaseRoles.GrantUpdate(table, granted, DatabaseRoles.Worker));
                Change($"grant UPDATE ({string.Join(", ", granted)}) on {table.Name} to {DatabaseRoles.Worker}", table.Span);
            }
        }
    }
}
