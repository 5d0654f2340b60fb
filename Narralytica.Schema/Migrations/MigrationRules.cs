using System.Collections.Generic;

namespace Narralytica.Schema.Migrations;

/// <summary>A migration safety rule: one id, one category; docs/diagnostics.md documents each.</summary>
public sealed record MigrationRule(string Id, string Title, LintCategory Category);

/// <summary>
/// Every migration safety rule (NARR30xx). The differ reports them with the schema.yaml line of
/// the change; the statement lint of <c>migrations check</c> reports the same ids from the SQL.
/// </summary>
public static class MigrationRules
{
    public static readonly MigrationRule DropTable = new("NARR3001", "Drops a table", LintCategory.Destructive);
    public static readonly MigrationRule DropColumn = new("NARR3002", "Drops a column", LintCategory.Destructive);
    public static readonly MigrationRule DropConstraint = new("NARR3003", "Drops a constraint", LintCategory.Destructive);
    public static readonly MigrationRule DropIndex = new("NARR3004", "Drops an index", LintCategory.Destructive);
    public static readonly MigrationRule DropEnumValue = new("NARR3005", "Drops an enum type or value", LintCategory.Destructive);
    public static readonly MigrationRule ReinterpretingType = new("NARR3006", "Type change that reinterprets every stored value", LintCategory.Destructive);

    public static readonly MigrationRule SetNotNull = new("NARR3010", "SET NOT NULL on an existing column", LintCategory.DataDependent);
    public static readonly MigrationRule NotNullWithoutDefault = new("NARR3011", "New NOT NULL column without a default", LintCategory.DataDependent);
    public static readonly MigrationRule NarrowingType = new("NARR3012", "Type change that can fail or narrow", LintCategory.DataDependent);
    public static readonly MigrationRule NewUniqueKey = new("NARR3013", "New unique key on an existing table", LintCategory.DataDependent);
    public static readonly MigrationRule NewCheck = new("NARR3014", "New check constraint on an existing table", LintCategory.DataDependent);
    public static readonly MigrationRule NewForeignKey = new("NARR3015", "New foreign key over existing columns", LintCategory.DataDependent);

    public static readonly MigrationRule RewritesTable = new("NARR3020", "Type change that rewrites the table", LintCategory.Locking);
    public static readonly MigrationRule VolatileDefault = new("NARR3021", "New column with a volatile default rewrites the table", LintCategory.Locking);
    public static readonly MigrationRule BlockingIndex = new("NARR3022", "Index built without CONCURRENTLY on an existing table", LintCategory.Locking);
    public static readonly MigrationRule ValidatingConstraint = new("NARR3023", "Check or foreign key added without NOT VALID on an existing table", LintCategory.Locking);

    public static readonly MigrationRule TenancyChange = new("NARR3030", "Change to a table's tenancy", LintCategory.Tenancy);
    public static readonly MigrationRule AppendOnlyReopened = new("NARR3031", "Append-only table made updatable", LintCategory.Tenancy);
    public static readonly MigrationRule RowSecurityDisabled = new("NARR3032", "Row-level security turned off on a tenant table", LintCategory.Tenancy);
    public static readonly MigrationRule SessionGuardWeakened = new("NARR3033", "A lane may create temporary objects, or search pg_temp before the schema", LintCategory.Tenancy);

    public static IReadOnlyList<MigrationRule> All { get; } = new[]
    {
        DropTable, DropColumn, DropConstraint, DropIndex, DropEnumValue, ReinterpretingType,
        SetNotNull, NotNullWithoutDefault, NarrowingType, NewUniqueKey, NewCheck, NewForeignKey,
        RewritesTable, VolatileDefault, BlockingIndex, ValidatingConstraint,
        TenancyChange, AppendOnlyReopened, RowSecurityDisabled, SessionGuardWeakened,
    };
}
