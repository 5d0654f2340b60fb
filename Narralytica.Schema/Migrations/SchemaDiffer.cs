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
/// </summary>
public sealed partial class SchemaDiffer
{
    // The order statements run in. Drops come before renames (a rename may take a dropped name),
    // renames before creations (a creation may take a renamed-away name). Dropped tables go before
    // dropped keys: their foreign keys may depend on a key of a table that stays. Policies name
    // tenant_id and the audit table, so they are dropped before anything else is, and created once
    // every column is in place; the tenant context comes before the first policy and goes after the last.
    private enum Phase
    {
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

    private const string OldEnumSuffix = "__narralytica_old";

    private readonly SchemaModel _from;
    private readonly SchemaModel _to;
    private readonly RenameMap _renames;
    private readonly Dictionary<Phase, List<string>> _sql = new();
    private readonly List<SchemaChange> _changes = new();
    private readonly List<LintFinding> _findings = new();
    private readonly List<(MigrationRule Rule, string Name, string Message, SourceSpan Span)> _drops = new();
    private readonly HashSet<string> _createdNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _recreatedEnums = new(StringComparer.Ordinal);
    private readonly List<string> _addedEnumLiterals = new();
    private readonly HashSet<string> _enumsWithAddedValues = new(StringComparer.Ordinal);
    private bool _convertsIntoEnumWithAddedValues;
    private readonly HashSet<(string Table, string Column)> _retypedColumns = new();
    private readonly HashSet<(string Table, string Column)> _rewrittenColumns = new();
    private readonly HashSet<(string Table, string Columns)> _unstableKeys = new();

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
        DiffJustificationCheck();
        DiffStreams();
        foreach (var (rule, name, message, span) in _drops)
            if (!_createdNames.Contains(name))
                Find(rule, message, span);
        return Assemble();
    }

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

    private void Change(string description, SourceSpan span) => _changes.Add(new SchemaChange(description, span));

    private void Find(MigrationRule rule, string message, SourceSpan span) => _findings.Add(new LintFinding(rule, message, span));

    /// <summary>A dropped constraint or index is destructive unless the plan creates one of the same name again (a change, not a loss).</summary>
    private void Dropped(MigrationRule rule, string name, string message, SourceSpan span) => _drops.Add((rule, name, message, span));

    private static string Q(string name) => SqlIdentifier.Quote(name);

    // ───────────────────────────── roles and grants ─────────────────────────────

    /// <summary>
    /// The first migration that grants anything creates the roles where missing (GRANT needs them), and the first
    /// with the lanes creates their roles; each lane's USAGE on the schema follows schema.yaml like any other privilege.
    /// </summary>
    private void DiffRolesAndSchemaUsage()
    {
        if (!_from.GrantsToApp && _to.GrantsToApp)
        {
            foreach (var statement in DatabaseRoles.CreateIfMissing())
                Emit(Phase.Roles, statement);
            Change($"create roles {DatabaseRoles.Owner} and {DatabaseRoles.App} (if they do not exist)", new SourceSpan(1, 1));
        }
        if (!_from.Lanes && _to.Lanes)
        {
            foreach (var statement in DatabaseRoles.CreateLanesIfMissing())
                Emit(Phase.Roles, statement);
            Change($"create roles {DatabaseRoles.Control}, {DatabaseRoles.Worker} and {DatabaseRoles.Reader} (if they do not exist)", new SourceSpan(1, 1));
        }
        foreach (var role in DatabaseRoles.Lanes)
        {
            bool Usage(SchemaModel model) => model.AppSchemaUsage && (role == DatabaseRoles.App || model.Lanes);
            if (Usage(_from) == Usage(_to))
                continue;
            Emit(Phase.Roles, Usage(_to) ? DatabaseRoles.GrantSchemaUsage(role) : DatabaseRoles.RevokeSchemaUsage(role));
            Change($"{(Usage(_to) ? "grant" : "revoke")} USAGE on the schema {(Usage(_to) ? "to" : "from")} {role}", new SourceSpan(1, 1));
        }
    }

    /// <summary>Each lane's privileges on a table that stays: what schema.yaml adds is granted, what it removes revoked.</summary>
    private void DiffPrivileges(Table old, Table table)
    {
        // One finding per table that stops being append-only, for the first lane that may now rewrite its rows.
        var reported = false;
        foreach (var role in DatabaseRoles.Lanes)
            reported |= DiffPrivileges(old, table, role, reported);
    }

    /// <summary>One lane's grants and revokes; whether it reported the table's reopening (<see cref="MigrationRules.AppendOnlyReopened"/>).</summary>
    private bool DiffPrivileges(Table old, Table table, string role, bool reopeningReported)
    {
        var before = DatabaseRoles.PrivilegesOf(old, role);
        var after = DatabaseRoles.PrivilegesOf(table, role);
        var granted = after & ~before;
        var revoked = before & ~after;
        if (revoked != TablePrivileges.None)
        {
            Emit(Phase.Grants, DatabaseRoles.Revoke(table, revoked, role));
            Change($"revoke {Keywords(revoked)} on {table.Name} from {role}{(table.AppendOnly && !old.AppendOnly ? " (the table is append-only now)" : "")}", table.Span);
        }
        if (granted == TablePrivileges.None)
            return false;
        Emit(Phase.Grants, DatabaseRoles.Grant(table, granted, role));
        var reopened = old.AppendOnly && !table.AppendOnly;
        Change($"grant {Keywords(granted)} on {table.Name} to {role}{(reopened ? " (the table is no longer append-only)" : "")}", table.Span);
        const TablePrivileges rewrites = TablePrivileges.Update | TablePrivileges.Delete;
        if (!reopened || (granted & rewrites) == TablePrivileges.None || reopeningReported)
            return false;
        Find(MigrationRules.AppendOnlyReopened,
            $"table '{table.Name}' is no longer append-only: {role} gets {Keywords(granted & rewrites)} on it, so the application can change or remove rows " +
            "that were history until now. To correct a row, append a new version instead; if rows must really change, accept it with --allow tenancy", table.Span);
        return true;
    }

    private static string Keywords(TablePrivileges privileges) => string.Join(", ", TablePrivilegeNames.Keywords(privileges));

    // ───────────────────────────── row-level security ─────────────────────────────

    /// <summary>
    /// The objects every policy relies on: the audit table of cross-tenant reads and the procedures that set a
    /// transaction's tenant. Created before any policy names them; dropped after every policy that does, which
    /// destroys the record of cross-tenant reads. Without the lanes the audit table is granted to the application role
    /// with its creation when the model grants to the role at all; with them, it gets its expiry, the application loses
    /// its grant on it, and the readers' functions are created (<see cref="CallerLanes"/>).
    /// </summary>
    private void DiffTenantContext()
    {
        var objects = $"table {TenantIsolation.AuditTable}, procedures {TenantIsolation.SetTenantProcedure} and {TenantIsolation.SetAuditProcedure}";
        if (!_from.TenantContext && _to.TenantContext)
        {
            foreach (var statement in TenantIsolation.CreateContext(_to.GrantsToApp, _to.Lanes))
                Emit(Phase.CreateTenantContext, statement);
            Change($"create the tenant context: {objects}{(_to.Lanes ? $", functions {CallerLanes.OpenReadFunction} and {CallerLanes.ReadAllowedFunction}" : "")}", new SourceSpan(1, 1));
        }
        else if (_from.TenantContext && !_to.TenantContext)
        {
            foreach (var statement in TenantIsolation.DropContext(_from.Lanes))
                Emit(Phase.DropTenantContext, statement);
            Change($"drop the tenant context: {objects}", new SourceSpan(1, 1));
            Find(MigrationRules.DropTable,
                $"drops table '{TenantIsolation.AuditTable}', the record of every cross-tenant read (who read across tenants, when and why), " +
                "and the procedures the data layer sets a transaction's tenant with. Keep them; if the record must go, export it first", new SourceSpan(1, 1));
        }
        else if (_from.TenantContext && !_from.Lanes && _to.Lanes)
        {
            foreach (var statement in CallerLanes.AddExpiry())
                Emit(Phase.CreateTenantContext, statement);
            if (_from.GrantsToApp)
                Emit(Phase.CreateTenantContext, DatabaseRoles.Revoke(TenantIsolation.AuditTable, TablePrivileges.Select | TablePrivileges.Insert));
            foreach (var statement in CallerLanes.CreateFunctions())
                Emit(Phase.CreateTenantContext, statement);
            Change($"move cross-tenant reads to {DatabaseRoles.Reader}: {TenantIsolation.AuditTable} gets {CallerLanes.ExpiresColumn} and no grant to {DatabaseRoles.App}; " +
                   $"create functions {CallerLanes.OpenReadFunction} and {CallerLanes.ReadAllowedFunction}", new SourceSpan(1, 1));
        }
        else if (_from.TenantContext && _from.Lanes && !_to.Lanes)
        {
            foreach (var statement in CallerLanes.DropFunctions())
                Emit(Phase.DropTenantContext, statement);
            foreach (var statement in CallerLanes.DropExpiry())
                Emit(Phase.DropTenantContext, statement);
            if (_to.GrantsToApp)
                Emit(Phase.DropTenantContext, TenantIsolation.GrantAuditTable);
            Change($"give cross-tenant reads back to {DatabaseRoles.App}: drop functions {CallerLanes.OpenReadFunction} and {CallerLanes.ReadAllowedFunction}", new SourceSpan(1, 1));
        }
    }

    /// <summary>
    /// The signed tenant (<see cref="TenantProof"/>): the key table, the procedure that sets a proof and the function
    /// that verifies it, created with the tenant context (before any policy names them) and dropped with it (after
    /// the policies stop naming them, see <see cref="DiffRowSecurity"/>). Dropping them also drops the installed keys
    /// and lets any SQL name any tenant again, so it is reported.
    /// </summary>
    private void DiffTenantProof()
    {
        var objects = $"table {TenantProof.KeyTable}, function {TenantProof.VerifyFunction}, procedure {TenantProof.SetProofProcedure} (extension {TenantProof.Extension})";
        if (!_from.TenantProof && _to.TenantProof)
        {
            foreach (var statement in TenantProof.Create())
                Emit(Phase.CreateTenantContext, statement);
            Change($"create the signed tenant: {objects}", new SourceSpan(1, 1));
        }
        else if (_from.TenantProof && !_to.TenantProof)
        {
            foreach (var statement in TenantProof.Drop())
                Emit(Phase.DropTenantContext, statement);
            Change($"drop the signed tenant: {objects}", new SourceSpan(1, 1));
            Find(MigrationRules.DropTable,
                $"drops table '{TenantProof.KeyTable}' and the function that verifies tenant proofs: the policies go back to trusting a setting any SQL of the " +
                "application may change. Keep them", new SourceSpan(1, 1));
        }
    }

    /// <summary>
    /// Row-level security of a table that stays. Turning it off drops the policies first (on the table's old
    /// name, before anything they name goes), then NO FORCE and DISABLE, which weakens tenant isolation
    /// (NARR3032, unless the table stops being tenant-scoped, which NARR3030 reports). Turning it on comes
    /// last, once tenant_id exists. Otherwise the policies follow the tenant context, the lanes and <c>queue:</c>
    /// (<see cref="TenantIsolation.Policies"/>): those that go are dropped first, those that come created last.
    /// </summary>
    private void DiffRowSecurity(Table original, Table old, Table table)
    {
        if (old.RowSecurity && !table.RowSecurity)
        {
            foreach (var statement in TenantIsolation.Disable(original, _from.TenantContext, _from.Lanes))
                Emit(Phase.DropPolicies, statement);
            Change($"disable row-level security on {table.Name} (drop its policies)", table.Span);
            if (original.Scope == table.Scope)
                Find(MigrationRules.RowSecurityDisabled,
                    $"row-level security is turned off on '{table.Name}': PostgreSQL no longer keeps its rows to the transaction's tenant, so SQL that forgets " +
                    "tenant_id reads and changes every tenant's rows. Keep it on; if the table must really go without it, accept it with --allow tenancy", table.Span);
        }
        else if (!old.RowSecurity && table.RowSecurity)
        {
            foreach (var statement in TenantIsolation.Enable(table, _to.TenantContext, _to.Lanes, _to.TenantProof))
                Emit(Phase.RowSecurity, statement);
            Change($"enable row-level security on {table.Name} (policies {string.Join(", ", TenantIsolation.Policies(table, _to.TenantContext, _to.Lanes))})", table.Span);
        }
        else if (old.RowSecurity && table.RowSecurity)
        {
            var before = TenantIsolation.Policies(old, _from.TenantContext, _from.Lanes);
            var after = TenantIsolation.Policies(table, _to.TenantContext, _to.Lanes);
            foreach (var policy in before.Except(after))
            {
                Emit(Phase.DropPolicies, TenantIsolation.DropPolicy(original, policy));
                Change($"drop policy {policy} on {table.Name}", table.Span);
            }
            foreach (var policy in after.Except(before))
            {
                Emit(Phase.RowSecurity, TenantIsolation.CreatePolicy(table, policy, _to.TenantProof)!);
                Change($"create policy {policy} on {table.Name}", table.Span);
            }
        }
        // A tenant policy kept across the move to (or from) signed tenants is dropped with the other policies (before
        // the function can go) and created again with the new condition (after the function exists): a drop and a
        // create of a tenant policy, which the migration lint knows cannot widen access, unlike an ALTER POLICY.
        if (old.RowSecurity && table.RowSecurity && _from.TenantProof != _to.TenantProof)
        {
            Emit(Phase.DropPolicies, TenantIsolation.DropPolicy(original, TenantIsolation.TenantPolicy));
            Emit(Phase.RowSecurity, TenantIsolation.CreateTenantPolicy(table, _to.TenantProof));
            Change($"policy {TenantIsolation.TenantPolicy} on {table.Name}: {(_to.TenantProof ? "the tenant of a verified proof" : "the tenant of the plain setting")}", table.Span);
        }
    }

    // ───────────────────────────── enums ─────────────────────────────

    private void DiffEnums()
    {
        foreach (var enumType in _to.Enums)
        {
            var old = _from.FindEnum(enumType.Name);
            if (old is null)
            {
                Emit(Phase.CreateEnums, SqlFragments.CreateEnum(enumType));
                if (enumType.Doc is not null)
                    Emit(Phase.CreateEnums, SqlFragments.CommentOnType(enumType));
                Change($"create enum {enumType.Name}", enumType.Span);
                continue;
            }
            if (!old.Values.SequenceEqual(enumType.Values))
                DiffEnumValues(old, enumType);
            if (old.Doc != enumType.Doc && !_recreatedEnums.Contains(enumType.Name))
            {
                Emit(Phase.Comments, SqlFragments.CommentOnType(enumType));
                Change($"change the doc of enum {enumType.Name}", enumType.Span);
            }
        }
        foreach (var old in _from.Enums.Where(e => _to.FindEnum(e.Name) is null))
        {
            Emit(Phase.DropEnums, $"DROP TYPE {Q(old.Name)};");
            Change($"drop enum {old.Name}", new SourceSpan(1, 1));
            Find(MigrationRules.DropEnumValue, $"drops enum type '{old.Name}' (no longer in schema.yaml). Drop it in a later release, once no code writes it", new SourceSpan(1, 1));
        }
    }

    private void DiffEnumValues(EnumType old, EnumType enumType)
    {
        var kept = enumType.Values.Where(old.Values.Contains).ToList();
        if (kept.Count == old.Values.Count && kept.SequenceEqual(old.Values))
        {
            // Only additions: ALTER TYPE … ADD VALUE keeps every stored value and needs no rewrite.
            for (var i = 0; i < enumType.Values.Count; i++)
            {
                var value = enumType.Values[i];
                if (old.Values.Contains(value))
                    continue;
                var next = enumType.Values.Skip(i + 1).FirstOrDefault(old.Values.Contains);
                var position = next is null ? "" : " BEFORE " + SqlIdentifier.Literal(next);
                Emit(Phase.AddEnumValues, $"ALTER TYPE {Q(enumType.Name)} ADD VALUE {SqlIdentifier.Literal(value)}{position};");
                _addedEnumLiterals.Add(SqlIdentifier.Literal(value));
                _enumsWithAddedValues.Add(enumType.Name);
                Change($"add value '{value}' to enum {enumType.Name}{(next is null ? "" : $" before '{next}'")}", enumType.Span);
            }
            return;
        }

        // Values removed or reordered: PostgreSQL cannot do either in place. Recreate the type and
        // convert every column through text, which fails (and rolls back) if a row holds a removed value.
        _recreatedEnums.Add(enumType.Name);
        var oldName = SqlIdentifier.Fit(enumType.Name + OldEnumSuffix);
        Emit(Phase.CreateEnums, $"ALTER TYPE {Q(enumType.Name)} RENAME TO {Q(oldName)};");
        Emit(Phase.CreateEnums, SqlFragments.CreateEnum(enumType));
        if (enumType.Doc is not null)
            Emit(Phase.CreateEnums, SqlFragments.CommentOnType(enumType));
        Emit(Phase.DropEnums, $"DROP TYPE {Q(oldName)};");
        var removed = old.Values.Where(v => !enumType.Values.Contains(v)).ToList();
        var what = removed.Count > 0
            ? $"removes value{(removed.Count > 1 ? "s" : "")} {string.Join(", ", removed.Select(v => $"'{v}'"))} from enum '{enumType.Name}'"
            : $"reorders the values of enum '{enumType.Name}'";
        Change($"recreate enum {enumType.Name} ({string.Join(", ", enumType.Values)})", enumType.Span);
        Find(MigrationRules.DropEnumValue,
            $"{what}: PostgreSQL cannot do this in place, so the type is recreated and every column of it converted, which fails if a row still holds a removed value. " +
            "Safer: stop writing the value, update the rows that hold it, and only then remove it", enumType.Span);
    }

    private bool IsRecreatedEnum(PgType type) => type.Kind == PgTypeKind.Enum && _recreatedEnums.Contains(type.EnumName!);

    // ───────────────────────────── tables ─────────────────────────────

    private void DropTables(IEnumerable<string> survivingOldNames)
    {
        var surviving = new HashSet<string>(survivingOldNames, StringComparer.Ordinal);
        var dropped = DdlEmitter.DependencyOrder(_from).Where(t => !surviving.Contains(t.Name)).Reverse().ToList();
        var referencing = dropped.SelectMany(other => other.ForeignKeys.Select(key => (Other: other, Key: key))).ToLookup(r => r.Key.ReferencedTable);
        var gone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in dropped)
        {
            // A foreign key closing a cycle between dropped tables would block the drop: remove it first.
            foreach (var (other, key) in referencing[table.Name].Where(r => r.Other != table && !gone.Contains(r.Other.Name)))
                Emit(Phase.DropTables, $"ALTER TABLE {SqlFragments.Name(other)} DROP CONSTRAINT {Q(key.Name)};");
            Emit(Phase.DropTables, $"DROP TABLE {SqlFragments.Name(table)};");
            gone.Add(table.Name);
            Change($"drop table {table.Name}", new SourceSpan(1, 1));
            Find(MigrationRules.DropTable,
                $"drops table '{table.Name}' and every row in it. If it was renamed, write 'renamed_from: {table.Name}' on the new table; " +
                "otherwise stop using it in one release and drop it in the next", new SourceSpan(1, 1));
        }
    }

    private void CreateTable(Table table, HashSet<string> created)
    {
        var inline = table.ForeignKeys.Where(k => k.ReferencedTable == table.Name || created.Contains(k.ReferencedTable)).ToList();
        Emit(Phase.CreateTables, DdlEmitter.CreateTable(table, inline));
        foreach (var statement in DdlEmitter.AfterCreateTable(table, _to.TenantContext, _to.Lanes, _to.TenantProof))
            Emit(Phase.CreateTables, statement);
        // References to tables that already exist (or come later) are added once every column is in place.
        foreach (var key in table.ForeignKeys.Except(inline))
            Emit(Phase.AddForeignKeys, DdlEmitter.AddForeignKey(table, key));
        created.Add(table.Name);
        _createdNames.Add(table.PrimaryKey.Name);
        foreach (var name in table.Uniques.Select(u => u.Name).Concat(table.Checks.Select(c => c.Name)).Concat(table.ForeignKeys.Select(k => k.Name)).Concat(table.Indexes.Select(i => i.Name)))
            _createdNames.Add(name);
        Change($"create table {table.Name}", table.Span);
    }

    /// <summary>
    /// Before any table is diffed: which columns change type and which keys are rebuilt, since a
    /// foreign key on either must be dropped before and added after, whatever table it is on.
    /// </summary>
    private void FindUnstableObjects(Table old, Table table)
    {
        foreach (var column in table.Columns)
        {
            if (old.FindColumn(column.Name) is not { } before || !NeedsRetype(before, column))
                continue;
            _retypedColumns.Add((table.Name, column.Name));
            var enumInvolved = before.Type.Kind == PgTypeKind.Enum || column.Type.Kind == PgTypeKind.Enum;
            if (enumInvolved || TypeChange.Classify(before.Type, column.Type) != TypeChangeKind.InPlace)
                _rewrittenColumns.Add((table.Name, column.Name));
        }
        if (!old.PrimaryKey.Columns.SequenceEqual(table.PrimaryKey.Columns))
            _unstableKeys.Add((table.Name, Key(old.PrimaryKey.Columns)));
        foreach (var unique in old.Uniques.Where(u => !table.Uniques.Any(n => n.Name == u.Name && n.Columns.SequenceEqual(u.Columns))))
            _unstableKeys.Add((table.Name, Key(unique.Columns)));
        foreach (var index in old.Indexes.Where(i => i.Unique && !table.Indexes.Any(n => n.Name == i.Name && SameIndex(n, i))))
            _unstableKeys.Add((table.Name, Key(index.Columns.Select(c => c.Name))));
    }

    private static string Key(IEnumerable<string> columns) => string.Join(",", columns);

    private bool NeedsRetype(Column before, Column after)
        => before.Type != after.Type || IsRecreatedEnum(after.Type);

    /// <summary>A column whose values are converted (not a binary-compatible change).</summary>
    private bool IsConverted(string table, string column)
        => _retypedColumns.Contains((table, column));

    private void DiffTable(Table original, Table old, Table table)
    {
        if (original.Scope != table.Scope)
        {
            Change($"change the scope of table {table.Name} from {Scope(original)} to {Scope(table)}", table.Span);
            Find(MigrationRules.TenancyChange,
                $"table '{table.Name}' changes from {Scope(original)} to {Scope(table)}: tenant_id, its key and every reference to the table change with it, " +
                "and existing rows have no tenant to take. Create a new table with the new scope, copy the rows with their tenant, then drop the old one", table.Span);
        }
        if (original.Name != table.Name)
        {
            Emit(Phase.Renames, $"ALTER TABLE {Q(original.Name)} RENAME TO {SqlFragments.Name(table)};");
            Change($"rename table {original.Name} to {table.Name}", table.Span);
        }
        foreach (var pair in _renames.ColumnRenames(table.Name))
        {
            Emit(Phase.Renames, $"ALTER TABLE {SqlFragments.Name(table)} RENAME COLUMN {Q(pair.Key)} TO {Q(pair.Value)};");
            Change($"rename column {table.Name}.{pair.Key} to {pair.Value}", table.FindColumn(pair.Value)!.Span);
        }

        foreach (var column in old.Columns.Where(c => table.FindColumn(c.Name) is null))
        {
            Emit(Phase.DropColumns, $"ALTER TABLE {Q(original.Name)} DROP COLUMN {Q(column.Name)};");
            Change($"drop column {table.Name}.{column.Name}", table.Span);
            Find(MigrationRules.DropColumn,
                $"drops column '{table.Name}.{column.Name}' and its data. If it was renamed, write 'renamed_from: {column.Name}' on the new column; " +
                "otherwise stop reading and writing it in one release and drop it in the next", table.Span);
        }
        foreach (var column in table.Columns)
        {
            if (old.FindColumn(column.Name) is { } before)
                DiffColumn(table, before, column);
            else
                AddColumn(table, column);
        }

        DiffPrimaryKey(original, old, table);
        DiffUniques(original, old, table);
        DiffChecks(original, old, table);
        DiffForeignKeys(original, old, table);
        DiffIndexes(original, old, table);

        if (old.Doc != table.Doc)
        {
            Emit(Phase.Comments, SqlFragments.CommentOnTable(table));
            Change($"change the doc of table {table.Name}", table.Span);
        }
        DiffPrivileges(old, table);
        DiffRowSecurity(original, old, table);
    }

    private static string Scope(Table table) => table.IsTenantScoped ? "tenant-scoped" : "global";

    // ───────────────────────────── columns ─────────────────────────────

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

    // ───────────────────────────── keys, checks, indexes ─────────────────────────────

    private void DiffPrimaryKey(Table original, Table old, Table table)
    {
        var before = old.PrimaryKey;
        var key = table.PrimaryKey;
        if (!before.Columns.SequenceEqual(key.Columns))
        {
            DropConstraint(original, before.Name, $"primary key {before.Name}", table.Span);
            Emit(Phase.AddKeys, $"ALTER TABLE {SqlFragments.Name(table)} ADD {SqlFragments.PrimaryKey(table, key)};");
            _createdNames.Add(key.Name);
            Change($"change the primary key of {table.Name} to ({string.Join(", ", key.Columns)})", key.Span);
            NewUniqueKey(table, $"primary key ({string.Join(", ", key.Columns)})", key.Span);
        }
        else if (before.Name != key.Name)
            RenameConstraint(table, before.Name, key.Name, key.Span);
    }

    private void DiffUniques(Table original, Table old, Table table)
    {
        var match = ObjectMatch.Of(old.Uniques, table.Uniques, u => u.Name, (a, b) => a.Columns.SequenceEqual(b.Columns));
        RenameAndDrop(original, table, match, u => u.Name, u => u.Span, "unique constraint");
        foreach (var unique in match.Added.Concat(match.Changed.Select(c => c.New)))
        {
            Emit(Phase.AddKeys, $"ALTER TABLE {SqlFragments.Name(table)} ADD {SqlFragments.Unique(table, unique)};");
            _createdNames.Add(unique.Name);
            Change($"add unique constraint {unique.Name} on {table.Name} ({string.Join(", ", unique.Columns)})", unique.Span);
            NewUniqueKey(table, $"unique constraint '{unique.Name}'", unique.Span);
        }
    }

    private void NewUniqueKey(Table table, string what, SourceSpan span)
        => Find(MigrationRules.NewUniqueKey,
            $"adding {what} to existing table '{table.Name}' fails if rows already repeat its columns, and builds its index under a lock that blocks writes. " +
            "Remove duplicates first; on a large table build a unique index CONCURRENTLY, then add the constraint USING INDEX", span);

    private void DiffChecks(Table original, Table old, Table table)
    {
        // A check over a column whose type changes is added again: PostgreSQL keeps the text it stored for the old
        // type (its casts, an enum's labels), so only a rebuild leaves what a fresh database has.
        var match = ObjectMatch.Of(old.Checks, table.Checks, c => c.Name,
            (a, b) => a.Expression == b.Expression && !MentionsRetyped(table, a.Expression));
        RenameAndDrop(original, table, match, c => c.Name, c => c.Span, "check constraint");
        foreach (var check in match.Added.Concat(match.Changed.Select(c => c.New)))
        {
            // NOT VALID takes a short lock; VALIDATE then scans without blocking writes.
            Emit(Phase.AddKeys, $"ALTER TABLE {SqlFragments.Name(table)} ADD {SqlFragments.Check(check)} NOT VALID;");
            Emit(Phase.AddKeys, $"ALTER TABLE {SqlFragments.Name(table)} VALIDATE CONSTRAINT {Q(check.Name)};");
            _createdNames.Add(check.Name);
            Change($"add check {check.Name} on {table.Name}: {check.Expression}", check.Span);
            if (HoldsOnNewNullColumns(old, table, check.Expression))
                continue;
            Find(MigrationRules.NewCheck,
                $"check '{check.Name}' on existing table '{table.Name}' fails to validate if any row breaks it ({check.Expression}). " +
                "Fix those rows first; the migration adds it NOT VALID and validates it separately, so writes are not blocked meanwhile", check.Span);
        }
    }

    /// <summary>
    /// Whether a check names only columns this change adds, nullable and without a default: every existing row
    /// holds NULL in them, so a condition that is NULL whenever its columns are (a comparison, a function of them,
    /// AND, OR, NOT) passes on every row, whatever the data. IS [NOT] NULL, IS DISTINCT FROM, COALESCE and CASE
    /// are not NULL on NULL, so a check using one keeps its finding.
    /// </summary>
    private static bool HoldsOnNewNullColumns(Table old, Table table, string expression)
    {
        var named = table.Columns.Where(c => SqlExpression.MentionsIdentifier(expression, c.Name)).ToList();
        return named.Count > 0
               && named.All(c => old.FindColumn(c.Name) is null && c.Nullable && c.Default is null)
               && !System.Text.RegularExpressions.Regex.IsMatch(expression, @"\b(is|coalesce|case|concat|concat_ws|num_nulls|num_nonnulls)\b",
                   System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    }

    /// <summary>
    /// Whether a check or index predicate names a column whose type changes: PostgreSQL keeps the expression it
    /// parsed for the old type (casts such as (x)::numeric, an enum's literals 'x'::status), which a fresh build of
    /// the new type does not have, and which may not even parse for the new type.
    /// </summary>
    private bool MentionsRetyped(Table table, string? expression) => Mentions(table, expression, _retypedColumns);

    /// <summary>Whether an expression names a column whose values are rewritten to another type.</summary>
    private bool MentionsRewritten(Table table, string? expression) => Mentions(table, expression, _rewrittenColumns);

    private static bool Mentions(Table table, string? expression, HashSet<(string Table, string Column)> columns)
        => expression is not null && table.Columns.Any(c => columns.Contains((table.Name, c.Name)) && SqlExpression.MentionsIdentifier(expression, c.Name));

    private void DiffForeignKeys(Table original, Table old, Table table)
    {
        var match = ObjectMatch.Of(old.ForeignKeys, table.ForeignKeys, k => k.Name, (a, b) => SameForeignKey(a, b) && !MustRebuild(table, b));
        foreach (var (before, after) in match.Renamed)
            RenameConstraint(table, before.Name, after.Name, after.Span);
        foreach (var before in match.Dropped.Concat(match.Changed.Select(c => c.Old)))
        {
            Emit(Phase.DropForeignKeys, $"ALTER TABLE {Q(original.Name)} DROP CONSTRAINT {Q(before.Name)};");
            Dropped(MigrationRules.DropConstraint, before.Name, $"drops foreign key '{before.Name}' of '{table.Name}': nothing stops rows from pointing at missing rows any more", table.Span);
            if (match.Dropped.Contains(before))
                Change($"drop foreign key {before.Name} of {table.Name}", table.Span);
        }
        foreach (var (before, key) in match.Added.Select(k => ((ForeignKey?)null, k)).Concat(match.Changed.Select(c => ((ForeignKey?)c.Old, c.New))))
        {
            Emit(Phase.AddForeignKeys, $"ALTER TABLE {SqlFragments.Name(table)} ADD {SqlFragments.ForeignKey(table, key)} NOT VALID;");
            Emit(Phase.AddForeignKeys, $"ALTER TABLE {SqlFragments.Name(table)} VALIDATE CONSTRAINT {Q(key.Name)};");
            _createdNames.Add(key.Name);
            if (before is null || !SameForeignKey(before, key))
                Change($"add foreign key {key.Name}: {table.Name} ({string.Join(", ", key.Columns)}) → {key.ReferencedTable}", key.Span);
            var overExistingColumns = key.Columns.All(c => old.FindColumn(c) is not null);
            var sameAsBefore = before is not null && before.Columns.SequenceEqual(key.Columns) && before.ReferencedTable == key.ReferencedTable
                               && before.ReferencedColumns.SequenceEqual(key.ReferencedColumns);
            if (overExistingColumns && !sameAsBefore)
                Find(MigrationRules.NewForeignKey,
                    $"foreign key '{key.Name}' covers columns that already hold data; VALIDATE fails if a row points at a missing '{key.ReferencedTable}' row. " +
                    "Fix or delete those rows first (the key is added NOT VALID and validated separately, so writes go on meanwhile)", key.Span);
        }
    }

    private static bool SameForeignKey(ForeignKey a, ForeignKey b)
        => a.Columns.SequenceEqual(b.Columns) && a.ReferencedTable == b.ReferencedTable
           && a.ReferencedColumns.SequenceEqual(b.ReferencedColumns) && a.OnDelete == b.OnDelete;

    /// <summary>A foreign key over a converted column, or onto a key that is rebuilt, is dropped and added again around the change.</summary>
    private bool MustRebuild(Table table, ForeignKey key)
        => key.Columns.Any(c => IsConverted(table.Name, c))
           || key.ReferencedColumns.Any(c => IsConverted(key.ReferencedTable, c))
           || _unstableKeys.Contains((key.ReferencedTable, Key(key.ReferencedColumns)));

    private void DiffIndexes(Table original, Table old, Table table)
    {
        var match = ObjectMatch.Of(old.Indexes, table.Indexes, i => i.Name, (a, b) => SameIndex(a, b) && !MentionsRetyped(table, a.Where));
        foreach (var (before, after) in match.Renamed)
        {
            Emit(Phase.Renames, $"ALTER INDEX {Q(before.Name)} RENAME TO {Q(after.Name)};");
            Change($"rename index {before.Name} to {after.Name}", after.Span);
        }
        foreach (var before in match.Dropped)
        {
            Emit(Phase.DropKeysAndIndexes, $"DROP INDEX {Q(before.Name)};");
            if (match.Added.Any(added => SameIndex(added, before)))
                continue; // rebuilt under its new name (a renamed table's index over a converted column)
            Dropped(MigrationRules.DropIndex, before.Name, $"drops index '{before.Name}' of '{table.Name}': queries that use it get slower. Check no hot query relies on it", table.Span);
            Change($"drop index {before.Name}", table.Span);
        }
        foreach (var (before, index) in match.Added.Select(i => ((Index?)null, i)).Concat(match.Changed.Select(c => ((Index?)c.Old, c.New))))
        {
            _createdNames.Add(index.Name);
            Change(before is null ? $"create index {index.Name} on {table.Name}" : $"rebuild index {index.Name} on {table.Name}", index.Span);
            if (index.Unique)
                NewUniqueKey(table, $"unique index '{index.Name}'", index.Span);
            // An old predicate naming a column whose type changes may not parse for the new type: it goes
            // before the conversion, and as the table is rewritten under lock anyway, the new index is built with it.
            var rebuiltWithTable = before is not null && MentionsRewritten(table, before.Where);
            var neededByNewKey = index.Unique && index.Where is null && _to.Tables.Any(t => t.ForeignKeys.Any(k =>
                k.ReferencedTable == table.Name && Key(k.ReferencedColumns) == Key(index.Columns.Select(c => c.Name))));
            if (rebuiltWithTable || neededByNewKey)
            {
                if (before is not null)
                    Emit(Phase.DropKeysAndIndexes, $"DROP INDEX {Q(before.Name)};");
                Emit(Phase.AddIndexes, SqlFragments.CreateIndex(table, index));
                if (neededByNewKey && !rebuiltWithTable)
                    Find(MigrationRules.BlockingIndex,
                        $"unique index '{index.Name}' is the target of a foreign key added in the same migration, so it is built inside the transaction, blocking writes to '{table.Name}'. " +
                        "On a large table, add the index in one migration and the reference in the next", index.Span);
                continue;
            }
            // Replaced next to its rebuild, both without blocking writes; IF EXISTS: a dropped column may have taken it already.
            if (before is not null)
                Emit(Phase.ConcurrentIndexes, $"DROP INDEX CONCURRENTLY IF EXISTS {Q(before.Name)};");
            Emit(Phase.ConcurrentIndexes, SqlFragments.CreateIndex(table, index, concurrently: true));
        }
    }

    private static bool SameIndex(Index a, Index b)
        => a.Columns.SequenceEqual(b.Columns) && a.Unique == b.Unique && a.Method == b.Method && a.Where == b.Where && a.Include.SequenceEqual(b.Include);

    /// <summary>Renames the constraints matched by definition; drops the ones gone or changed (a changed one is added again by the caller).</summary>
    private void RenameAndDrop<T>(Table original, Table table, ObjectMatch<T> match, Func<T, string> name, Func<T, SourceSpan> span, string kind)
    {
        foreach (var (before, after) in match.Renamed)
            RenameConstraint(table, name(before), name(after), span(after));
        foreach (var before in match.Dropped.Concat(match.Changed.Select(c => c.Old)))
            DropConstraint(original, name(before), $"{kind} {name(before)}", table.Span);
    }

    private void DropConstraint(Table original, string name, string what, SourceSpan span)
    {
        Emit(Phase.DropKeysAndIndexes, $"ALTER TABLE {Q(original.Name)} DROP CONSTRAINT {Q(name)};");
        Dropped(MigrationRules.DropConstraint, name, $"drops {what} of '{original.Name}': the rule it enforced no longer holds for new rows", span);
    }

    private void RenameConstraint(Table table, string from, string to, SourceSpan span)
    {
        Emit(Phase.Renames, $"ALTER TABLE {SqlFragments.Name(table)} RENAME CONSTRAINT {Q(from)} TO {Q(to)};");
        Change($"rename constraint {from} to {to}", span);
    }
}
