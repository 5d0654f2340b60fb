using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The large-object guard (<see cref="SchemaModel.GuardedLargeObjects"/>): a database whose lanes predate it has EXECUTE
/// on the functions that create or write a large object taken from PUBLIC. The statement is re-runnable and only warns
/// where the migrating role is not a superuser (see <see cref="LargeObjectGuards"/>); there is nothing to undo going back.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DiffLargeObjectGuards()
    {
        if (!_to.Lanes || !_to.GuardedLargeObjects || (_from.Lanes && _from.GuardedLargeObjects))
            return;
        Emit(Phase.Roles, LargeObjectGuards.Revoke());
        Change(ChangeDescriptions.GuardLargeObjects(), new SourceSpan(1, 1));
    }
}
