using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The queue's functions (<see cref="QueueFunctions"/>), which the workers claim and finish jobs through. A new queue
/// table gets them with the table; a queue table that stays gets them created, or replaced in place, whenever what they
/// are changes (<see cref="Table.QueueFunctions"/>: a queue column renamed or mapped anew, the table renamed, a schema
/// from before them); and they go when no table is a queue any more. They are created after the table's policies and
/// grants, and dropped with the policies, before any column they name goes.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DiffQueueFunctions()
    {
        var before = _from.Lanes ? _from.Tables.FirstOrDefault(t => t.QueueFunctions.Length > 0) : null;
        var after = _to.Lanes ? _to.Tables.FirstOrDefault(t => t.QueueFunctions.Length > 0) : null;
        if (after is null)
        {
            if (before is null)
                return;
            foreach (var statement in QueueFunctions.Drop())
                Emit(Phase.DropPolicies, statement);
            Change(ChangeDescriptions.DropQueueFunctions(), new SourceSpan(1, 1));
            return;
        }
        // A table created by this migration came with its functions (DdlEmitter.AfterCreateTable).
        var fromTables = _from.TablesByName();
        var kept = !_renames.IsRenamedAway(after.Name) && fromTables.ContainsKey(_renames.OldTableName(after.Name));
        if (!kept || (before is not null && before.QueueFunctions == after.QueueFunctions && _renames.OldTableName(after.Name) == before.Name))
            return;
        foreach (var statement in QueueFunctions.Create(after))
            Emit(Phase.RowSecurity, statement);
        Change(ChangeDescriptions.ReplaceQueueFunctions(after, before is null), after.Span);
    }
}
