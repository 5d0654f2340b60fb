using System;
using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The exact difference between two schema models as SQL: what the snapshot of the migrations
/// describes, and what schema.yaml declares now. Statements come out in an order PostgreSQL
/// accepts (types and referenced tables before what needs them, drops before renames before
/// creations), the same order every run, with the safety findings of each change.
/// <para>
/// One role per file. This file pairs the old and new tables and records what the comparisons find. Each
/// <c>SchemaDiffer.*.cs</c> file compares one kind of object (tables, columns, constraints, indexes, enums,
/// roles, row security, streams) and decides which changes there are. <see cref="MigrationSql"/> writes their
/// statements, <see cref="ChangeDescriptions"/> their human text, <see cref="SafetyFindings"/> their risks
/// (under the rules of <see cref="MigrationRules"/>), and <c>SchemaDiffer.Phases.cs</c> puts the statements
/// in the order they run and the stages (files) they go into.
/// </para>
/// </summary>
public sealed partial class SchemaDiffer
{
    private readonly SchemaModel _from;
    private readonly SchemaModel _to;
    private readonly RenameMap _renames;
    private readonly List<SchemaChange> _changes = new();
    private readonly List<LintFinding> _findings = new();
    private readonly List<(string Name, LintFinding Finding)> _drops = new();
    private readonly HashSet<string> _createdNames = new(StringComparer.Ordinal);

    private SchemaDiffer(SchemaModel from, SchemaModel to)
    {
        _from = from;
        _to = to;
        _renames = new RenameMap(from, to);
    }

    public static MigrationPlan Diff(SchemaModel from, SchemaModel to) => new SchemaDiffer(from, to).Build();

    /// <summary>The model of an empty database: the start of the first migration.</summary>
    public static SchemaModel Empty { get; } = new(EquatableArray<EnumType>.Empty, EquatableArray<Table>.Empty);

    private MigrationPlan Build()
    {
        DiffRolesAndSchemaUsage();
        DiffTenantContext();
        DiffTenantProof();
        DiffEnums();
        // A table that takes the name of one renamed away is new, not the renamed one.
        var fromTables = _from.TablesByName();
        var pairs = _to.Tables
            .Select(table => (Old: !_renames.IsRenamedAway(table.Name) && fromTables.TryGetValue(_renames.OldTableName(table.Name), out var old) ? old : null, New: table))
            .ToList();
        foreach (var (old, table) in pairs)
            if (old is not null)
                FindUnstableObjects(_renames.Translate(old), table);

        DropTables(pairs.Where(p => p.Old is not null).Select(p => p.Old!.Name));
        var created = new HashSet<string>(StringComparer.Ordinal);
        var oldOf = new Dictionary<string, Table?>(StringComparer.Ordinal);
        foreach (var (old, table) in pairs)
            if (!oldOf.ContainsKey(table.Name))
                oldOf.Add(table.Name, old);
        foreach (var table in DdlEmitter.DependencyOrder(_to))
        {
            var old = oldOf[table.Name];
            if (old is null)
                CreateTable(table, created);
            else
                DiffTable(old, _renames.Translate(old), table);
        }
        DiffColumnGrants();
        DiffQueueFunctions();
        DiffJustificationCheck();
        DiffReaderAudit();
        DiffSessionGuards();
        DiffProofVerifier();
        DiffLargeObjectGuards();
        DiffSchemaCreateGuards();
        DiffStreams();
        foreach (var (name, finding) in _drops)
            if (!_createdNames.Contains(name))
                Find(finding);
        return Assemble();
    }

    /// <summary>One line of the migration's summary, with where schema.yaml declares what changed.</summary>
    private void Change(string description, SourceSpan span) => _changes.Add(new SchemaChange(description, span));

    /// <summary>A risk of the migration, which <c>migrations add</c> refuses unless its category is accepted.</summary>
    private void Find(LintFinding finding) => _findings.Add(finding);

    private void Find(MigrationRule rule, string message, SourceSpan span) => Find(new LintFinding(rule, message, span));

    /// <summary>A dropped constraint or index is destructive unless the plan creates one of the same name again (a change, not a loss).</summary>
    private void Dropped(string name, LintFinding finding) => _drops.Add((name, finding));

    private static string Q(string name) => SqlIdentifier.Quote(name);
}
