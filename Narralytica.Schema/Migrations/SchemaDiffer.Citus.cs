using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Sql.Citus;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// New tables on the Citus target (schema.yaml's <c>target: citus</c>), in the order the distribution needs
/// (<see cref="CitusDistribution"/>): the table without foreign keys, its policies in the Citus forms, its Citus call,
/// and its foreign keys only once every new table is distributed. Every other change is written as on plain PostgreSQL.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void CreateTableOnCitus(Table table, HashSet<string> created)
    {
        Emit(Phase.CreateTables, DdlEmitter.CreateTable(table, Enumerable.Empty<ForeignKey>()));
        foreach (var statement in CitusTableCreation.AfterCreateTable(table, _to.TenantContext, _to.Lanes, _to.TenantProof))
            Emit(Phase.CreateTables, statement);
        // Without a tenant table that was there before, the database cannot be distributed yet: distribute does it all.
        if (ColocationAnchor() is { } anchor)
        {
            if (!Statements(Phase.CitusExecution).Any())
                Emit(Phase.CitusExecution, CitusTableCreation.SequentialExecution);
            Emit(Phase.CreateTables, CitusTableCreation.Distribute(table, anchor));
        }
        foreach (var key in table.ForeignKeys)
            Emit(Phase.AddForeignKeys, DdlEmitter.AddForeignKey(table, key));
        created.Add(table.Name);
        _createdNames.Add(table.PrimaryKey.Name);
        foreach (var name in table.Uniques.Select(u => u.Name).Concat(table.Checks.Select(c => c.Name)).Concat(table.ForeignKeys.Select(k => k.Name)).Concat(table.Indexes.Select(i => i.Name)))
            _createdNames.Add(name);
        Change(ChangeDescriptions.CreateTable(table), table.Span);
    }

    /// <summary>
    /// The tenant table a new tenant table is colocated with: the first, in dependency order, of those the database
    /// already has (under its name in schema.yaml, which any rename of this migration gives it before the Citus call).
    /// </summary>
    private string? ColocationAnchor()
        => DdlEmitter.DependencyOrder(_to)
            .Where(t => t.IsTenantScoped && !_renames.IsRenamedAway(t.Name) && _from.FindTable(_renames.OldTableName(t.Name)) is { IsTenantScoped: true })
            .Select(t => t.Name)
            .FirstOrDefault();
}
