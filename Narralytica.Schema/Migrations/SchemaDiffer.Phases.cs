using System;
using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The order the statements of a migration run in, and the stages (files) they go into.
/// </summary>
public sealed partial class SchemaDiffer
{
    // The order statements run in. Drops come before renames (a rename may take a dropped name),
    // renames before creations (a creation may take a renamed-away name). Dropped tables go before
    // dropped keys: their foreign keys may depend on a key of a table that stays. Policies name
    // tenant_id and the audit table, so they are dropped before anything else is, and created once
    // every column is in place; the tenant context comes before the first policy and goes after the last.
    // On the Citus target, the execution mode that lets one transaction create and alter distributed tables comes first.
    private enum Phase
    {
        CitusExecution,
        Roles,
        DropPublications,
        CreateTenantContext,
        CreateEnums,
        AddEnumValues,
        DropPolicies,
        DropForeignKeys,
        DropTables,
        DropTenantContext,
        DropKeysAndIndexes,
        DropColumns,
        Renames,
        CreateTables,
        AlterColumns,
        AddKeys,
        AddIndexes,
        AddForeignKeys,
        DropEnums,
        Comments,
        Grants,
        RowSecurity,
        Publications,
        ConcurrentIndexes,
    }

    private readonly Dictionary<Phase, List<string>> _sql = new();

    private MigrationPlan Assemble()
    {
        var main = Enum.GetValues(typeof(Phase)).Cast<Phase>()
            .Where(p => p is not Phase.AddEnumValues and not Phase.ConcurrentIndexes)
            .SelectMany(Statements).ToList();
        // A value added to an enum cannot be used before its transaction commits: when the rest of
        // the migration uses one, the additions go first, in a migration of their own.
        var valuesFirst = _convertsIntoEnumWithAddedValues || _addedEnumLiterals.Any(literal => main.Any(sql => sql.Contains(literal)));
        var statements = new List<MigrationStatement>();
        statements.AddRange(Statements(Phase.AddEnumValues).Select(sql => new MigrationStatement(valuesFirst ? MigrationStage.EnumValues : MigrationStage.Main, sql)));
        statements.AddRange(main.Select(sql => new MigrationStatement(MigrationStage.Main, sql)));
        statements.AddRange(Statements(Phase.ConcurrentIndexes).Select(sql => new MigrationStatement(MigrationStage.Concurrent, sql)));
        // Statements of the enum-values stage sort first whatever their phase order.
        statements = statements.OrderBy(s => s.Stage).ToList();
        return new MigrationPlan(_changes, statements, _findings);
    }

    private IEnumerable<string> Statements(Phase phase) => _sql.TryGetValue(phase, out var list) ? list : Enumerable.Empty<string>();

    private void Emit(Phase phase, string sql)
    {
        if (!_sql.TryGetValue(phase, out var list))
            _sql.Add(phase, list = new List<string>());
        list.Add(sql);
    }
}
