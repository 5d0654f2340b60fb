using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The lanes' session guards (<see cref="SchemaModel.GuardedSessions"/>): a database whose lanes predate them loses
/// PUBLIC's TEMPORARY and gets each lane role's search path pinned. Both statements are re-runnable, and both only warn
/// where the migrating role lacks the rights (see <see cref="SessionGuards"/>); there is nothing to undo going back.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DiffSessionGuards()
    {
        if (!_to.Lanes || !_to.GuardedSessions || (_from.Lanes && _from.GuardedSessions))
            return;
        foreach (var statement in SessionGuards.Create())
            Emit(Phase.Roles, statement);
        Change(ChangeDescriptions.GuardSessions(), new SourceSpan(1, 1));
    }
}
