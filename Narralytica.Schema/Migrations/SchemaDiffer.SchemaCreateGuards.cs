using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The schema's CREATE guard (<see cref="SchemaModel.GuardedSchemaCreate"/>): a database whose lanes predate it has CREATE
/// on the schema taken from PUBLIC and every lane. The statement is re-runnable and only warns where the migrating role
/// may not revoke it (see <see cref="SchemaCreateGuards"/>); there is nothing to undo going back.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DiffSchemaCreateGuards()
    {
        if (!_to.Lanes || !_to.GuardedSchemaCreate || (_from.Lanes && _from.GuardedSchemaCreate))
            return;
        Emit(Phase.Roles, SchemaCreateGuards.Revoke());
        Change(ChangeDescriptions.GuardSchemaCreate(), new SourceSpan(1, 1));
    }
}
