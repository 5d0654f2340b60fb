using System;
using System.Collections.Generic;
using System.Linq;
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
        Emit(Phase.AlterColumns, $"ALTER TABLE {SqlFragments.Name(table)} ADD COLUMN {SqlFragments.ColumnDefinition(column)};");
        if (column.Doc is not null)
            Emit(Phase.Comments, SqlFragments.CommentOnColumn(table, column));
        Change($"add column {table.Name}.{column.Name} ({column.Type.Sql}{(column.Nullable ? ", nullable" : "")})", column.Span);
        if (!column.Nullable && column.Default is null)
            Find(MigrationRules.NotNullWithoutDefault,
                $"column '{table.Name}.{column.Name}' is NOT NULL without a default, so adding it fails on a table that has rows. " +
                "Add it nullable, fill it, then make it NOT NULL in a later migration; or give it a default", column.Span);
        else if (column.Default is { } sql && VolatileFunctions.AnyCalledIn(sql))
            Find(MigrationRules.VolatileDefault,
                $"the default of '{table.Name}.{column.Name}' ({sql}) is volatile, so PostgreSQL rewrites the whole table under an exclusive lock to fill it. " +
                "Add the column without a default, backfill it in batches, then set the default", column.Span);
    }

    private void DiffColumn(Table table, Column before, Column column)
    {
        var target = $"ALTER TABLE {SqlFragments.Name(table)} ALTER COLUMN {Q(column.Name)}";
        var retyped = NeedsRetype(before, column);
        if (retyped)
        {
            // A default is bound to the old type (an enum's label, say): drop it and set it again after.
            if (before.Default is not null)
                Emit(Phase.AlterColumns, $"{target} DROP DEFAULT;");
            ChangeType(table, before, column, target);
        }
        if (before.Nullable && !column.Nullable)
            SetNotNull(table, column, target);
        else if (!before.Nullable && column.Nullable)
        {
            Emit(Phase.AlterColumns, $"{target} DROP NOT NULL;");
            Change($"make {table.Name}.{column.Name} nullable", column.Span);
        }
        if (retyped ? column.Default is not null : before.Default != column.Default)
        {
            Emit(Phase.AlterColumns, column.Default is null ? $"{target} DROP DEFAULT;" : $"{target} SET DEFAULT {column.Default};");
            if (before.Default != column.Default)
                Change(column.Default is null ? $"drop the default of {table.Name}.{column.Name}" : $"set the default of {table.Name}.{column.Name} to {column.Default}", column.Span);
        }
        if (before.Doc != column.Doc)
        {
            Emit(Phase.Comments, SqlFragments.CommentOnColumn(table, column));
            Change($"change the doc of column {table.Name}.{column.Name}", column.Span);
        }
    }

    private void ChangeType(Table table, Column before, Column column, string target)
    {
        var name = $"{table.Name}.{column.Name}";
        var recreated = before.Type == column.Type;
        var kind = recreated ? TypeChangeKind.Narrowing : TypeChange.Classify(before.Type, column.Type);
        var sql = $"{target} TYPE {column.Type.Sql}";
        // Converting rows into an enum may produce a value added in this change: it must be committed first.
        if (column.Type.Kind == PgTypeKind.Enum && _enumsWithAddedValues.Contains(column.Type.EnumName!))
            _convertsIntoEnumWithAddedValues = true;
        // An explicit cast truncates or rounds where an assignment would fail: a guard fails the migration first on such rows.
        var loss = recreated ? null : ConversionGuard.LossCondition(before.Type, column.Type, Q(column.Name));
        if (kind == TypeChangeKind.Narrowing && loss is not null)
            Emit(Phase.AlterColumns, ConversionGuard.Statement(table, column, before.Type, loss));
        if (kind == TypeChangeKind.Narrowing)
        {
            // Through text when an enum is involved: PostgreSQL has no direct cast between enum types.
            var viaText = before.Type.Kind == PgTypeKind.Enum || column.Type.Kind == PgTypeKind.Enum;
            var textType = before.Type.IsArray ? "text[]" : "text";
            sql += $" USING {Q(column.Name)}{(viaText ? "::" + textType : "")}::{column.Type.Sql}";
        }
        Emit(Phase.AlterColumns, sql + ";");
        Change(recreated ? $"convert {name} to the recreated enum {column.Type.Sql}" : $"change the type of {name} from {before.Type.Sql} to {column.Type.Sql}", column.Span);
        if (kind == TypeChangeKind.Narrowing)
            Find(MigrationRules.NarrowingType,
                $"converting '{name}' from {before.Type.Sql} to {column.Type.Sql} fails if any row holds a value the new type cannot take" +
                (loss is null ? "" : " or would change (cut, rounded or truncated): the migration checks every row first and stops, converting nothing") + ". " +
                "Expand and contract instead: add a new column, backfill it, switch readers and writers, then drop the old one", column.Span);
        if (!recreated && ConversionGuard.Reinterpretation(before.Type, column.Type) is { } happens)
            Find(MigrationRules.ReinterpretingType,
                $"converting '{name}' from {before.Type.Sql} to {column.Type.Sql} changes what every stored value means: {happens}. " +
                "Run the migration with the TimeZone the values were written in, or convert explicitly in an expand-and-contract migration; accept it with --allow destructive", column.Span);
        if (kind != TypeChangeKind.InPlace)
            Find(MigrationRules.RewritesTable,
                $"changing '{name}' from {before.Type.Sql} to {column.Type.Sql} rewrites table '{table.Name}' and its indexes under an exclusive lock, blocking reads and writes. " +
                "On a large table, expand and contract: add a column of the new type, backfill it in batches, then switch over", column.Span);
    }

    private void SetNotNull(Table table, Column column, string target)
    {
        // A validated CHECK lets SET NOT NULL skip its full-table scan under the exclusive lock;
        // the check is validated under a lock that lets reads and writes go on.
        var check = Q(SqlIdentifier.Fit($"ck_{table.Name}_{column.Name}_not_null"));
        Emit(Phase.AlterColumns, $"ALTER TABLE {SqlFragments.Name(table)} ADD CONSTRAINT {check} CHECK ({Q(column.Name)} IS NOT NULL) NOT VALID;");
        Emit(Phase.AlterColumns, $"ALTER TABLE {SqlFragments.Name(table)} VALIDATE CONSTRAINT {check};");
        Emit(Phase.AlterColumns, $"{target} SET NOT NULL;");
        Emit(Phase.AlterColumns, $"ALTER TABLE {SqlFragments.Name(table)} DROP CONSTRAINT {check};");
        Change($"make {table.Name}.{column.Name} NOT NULL", column.Span);
        Find(MigrationRules.SetNotNull,
            $"making '{table.Name}.{column.Name}' NOT NULL fails if any row holds NULL. Backfill the NULLs first (in an earlier migration or a job), " +
            "or accept it with --allow data-dependent once you know there are none", column.Span);
    }
}
