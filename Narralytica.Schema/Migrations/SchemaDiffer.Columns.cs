using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The columns of a table that stays: added, retyped, made (not) nullable, their defaults and docs.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void AddColumn(Table table, Column column)
    {
        Emit(Phase.AlterColumns, MigrationSql.AddColumn(table, column));
        if (column.Doc is not null)
            Emit(Phase.Comments, SqlFragments.CommentOnColumn(table, column));
        Change(ChangeDescriptions.AddColumn(table, column), column.Span);
        if (SafetyFindings.AddColumn(table, column) is { } risk)
            Find(risk);
    }

    private void DiffColumn(Table table, Column before, Column column)
    {
        var retyped = NeedsRetype(before, column);
        if (retyped)
        {
            // A default is bound to the old type (an enum's label, say): drop it and set it again after.
            if (before.Default is not null)
                Emit(Phase.AlterColumns, MigrationSql.DropDefault(table, column));
            ChangeType(table, before, column);
        }
        if (before.Nullable && !column.Nullable)
            SetNotNull(table, column);
        else if (!before.Nullable && column.Nullable)
        {
            Emit(Phase.AlterColumns, MigrationSql.DropNotNull(table, column));
            Change(ChangeDescriptions.MakeNullable(table, column), column.Span);
        }
        if (retyped ? column.Default is not null : before.Default != column.Default)
        {
            Emit(Phase.AlterColumns, column.Default is null ? MigrationSql.DropDefault(table, column) : MigrationSql.SetDefault(table, column, column.Default));
            if (before.Default != column.Default)
                Change(ChangeDescriptions.ChangeDefault(table, column), column.Span);
        }
        if (before.Doc != column.Doc)
        {
            Emit(Phase.Comments, SqlFragments.CommentOnColumn(table, column));
            Change(ChangeDescriptions.ChangeColumnDoc(table, column), column.Span);
        }
    }

    private void ChangeType(Table table, Column before, Column column)
    {
        // The same type name on both sides: the column's enum is recreated, and its values convert through text.
        var recreated = before.Type == column.Type;
        var kind = recreated ? TypeChangeKind.Narrowing : TypeChange.Classify(before.Type, column.Type);
        // Converting rows into an enum may produce a value added in this change: it must be committed first.
        if (column.Type.Kind == PgTypeKind.Enum && _enumsWithAddedValues.Contains(column.Type.EnumName!))
            _convertsIntoEnumWithAddedValues = true;
        // An explicit cast truncates or rounds where an assignment would fail: a guard fails the migration first on such rows.
        var loss = recreated ? null : ConversionGuard.LossCondition(before.Type, column.Type, Q(column.Name));
        if (kind == TypeChangeKind.Narrowing && loss is not null)
            Emit(Phase.AlterColumns, ConversionGuard.Statement(table, column, before.Type, loss));
        Emit(Phase.AlterColumns, MigrationSql.ChangeType(table, before, column, convertsValues: kind == TypeChangeKind.Narrowing));
        Change(recreated ? ChangeDescriptions.ConvertToRecreatedEnum(table, column) : ChangeDescriptions.ChangeType(table, before, column), column.Span);
        foreach (var risk in SafetyFindings.ChangeType(table, before, column, kind, guarded: loss is not null, recreatedEnum: recreated))
            Find(risk);
    }

    private void SetNotNull(Table table, Column column)
    {
        foreach (var statement in MigrationSql.SetNotNull(table, column))
            Emit(Phase.AlterColumns, statement);
        Change(ChangeDescriptions.MakeNotNull(table, column), column.Span);
        Find(SafetyFindings.SetNotNull(table, column));
    }
}
