using System;
using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Conventions;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Yaml;
using static Narralytica.Schema.Conventions.TableConventions;
using static Narralytica.Schema.Language.SchemaVocabulary;

namespace Narralytica.Schema.Parsing;

/// <summary>
/// Reads schema.yaml into tables and columns: the keys the language knows, their shapes, the column types.
/// What the conventions add or decide (tenant column, id, timestamps, tenant-leading keys, constraint names)
/// comes from <see cref="TableConventions"/>, and names are checked by <see cref="IdentifierRules"/>. Every shape
/// problem becomes a diagnostic with its position; cross-table checks are left to <see cref="Validation.SchemaValidator"/>.
/// SQL expressions (defaults, checks, index predicates) are kept in <see cref="SqlExpression"/>'s canonical form,
/// so equivalent spellings make equal models.
/// </summary>
internal sealed partial class SchemaParser
{
    private static TableScope? ReadScope(string scope) => scope switch
    {
        "tenant" => TableScope.Tenant,
        "global" => TableScope.Global,
        _ => null,
    };

    private readonly List<SchemaDiagnostic> _diagnostics;
    private readonly NodeReader _read;
    private readonly TableConventions _conventions;
    private readonly IdentifierRules _identifiers;
    private readonly HashSet<string> _enumNames = new(StringComparer.Ordinal);

    public SchemaParser(List<SchemaDiagnostic> diagnostics)
    {
        _diagnostics = diagnostics;
        _read = new NodeReader(diagnostics);
        _conventions = new TableConventions(diagnostics);
        _identifiers = new IdentifierRules(diagnostics);
    }

    public (List<EnumType> Enums, List<TableDraft> Tables) Parse(YamlNode? root)
    {
        var enums = new List<EnumType>();
        var tables = new List<TableDraft>();
        if (root is null)
        {
            _read.Report(DiagnosticCatalog.EmptySchema, new SourceSpan(1, 1), "schema.yaml is empty; declare at least one table under 'tables:'");
            return (enums, tables);
        }
        var mapping = _read.Mapping(root, "schema.yaml");
        if (mapping is null)
            return (enums, tables);

        YamlNode? enumsNode = null, tablesNode = null, streamsNode = null;
        var accounted = _read.Keys(mapping, "the top level of schema.yaml", RootKeys, (key, value, _) =>
        {
            if (key == "target") ReadTarget(value);
            else if (key == "enums") enumsNode = value;
            else if (key == "streams") streamsNode = value;
            else tablesNode = value;
        });

        // Enums first: column types refer to them wherever they are written.
        if (enumsNode is not null)
            ReadEnums(enumsNode, enums);
        if (tablesNode is null)
        {
            if (!accounted.Contains("tables"))
                _read.Report(DiagnosticCatalog.EmptySchema, mapping.Span, "schema.yaml declares no tables; add a 'tables:' mapping");
        }
        else
            ReadTables(tablesNode, tables);
        if (streamsNode is not null)
            ReadStreams(streamsNode);
        return (enums, tables);
    }

    /// <summary>Where the database runs (the top-level <c>target:</c>); postgres when not written.</summary>
    public DeploymentTarget Target { get; private set; }

    private void ReadTarget(YamlNode node)
    {
        var text = _read.Text(node, "'target'");
        if (text is null)
            return;
        if (DeploymentTargets.Parse(text) is { } target)
            Target = target;
        else
        {
            var closest = NodeReader.Closest(text, TargetValues);
            _read.Report(DiagnosticCatalog.UnknownTarget, node.Span, $"'target' is '{text}';{(closest is null ? "" : $" did you mean '{closest}'?")} write 'postgres' (one server, the default) or 'citus' (sharded by tenant_id)");
        }
    }

    private void ReadEnums(YamlNode node, List<EnumType> enums)
    {
        var mapping = _read.Mapping(node, "'enums'");
        if (mapping is null)
            return;
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Key.Value;
            if (!_identifiers.Check(name, entry.Key.Span, "enum", quoted: false))
                continue;
            if (!_enumNames.Add(name))
            {
                _read.Report(DiagnosticCatalog.BadEnum, entry.Key.Span, $"enum '{name}' is declared twice; keep one declaration");
                continue;
            }
            string? doc = null;
            YamlNode? valuesNode = entry.Value;
            if (entry.Value is YamlMapping enumMapping)
            {
                valuesNode = null;
                var accounted = _read.Keys(enumMapping, $"enum '{name}'", EnumKeys, (key, value, _) =>
                {
                    if (key == "doc") doc = _read.Text(value, $"'doc' of enum '{name}'");
                    else valuesNode = value;
                });
                if (valuesNode is null)
                {
                    if (!accounted.Contains("values"))
                        _read.Report(DiagnosticCatalog.MissingKey, entry.Key.Span, $"enum '{name}' has no 'values'; write values: [first, second]");
                    continue;
                }
            }
            var values = _read.Names(valuesNode, $"the values of enum '{name}'");
            if (values is null)
                continue;
            if (values.Count == 0)
            {
                _read.Report(DiagnosticCatalog.BadEnum, entry.Key.Span, $"enum '{name}' has no values; list at least one");
                continue;
            }
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            var ok = true;
            foreach (var (value, span) in values)
            {
                if (!distinct.Add(value))
                {
                    _read.Report(DiagnosticCatalog.BadEnum, span, $"value '{value}' appears twice in enum '{name}'; each value once");
                    ok = false;
                }
                else if (value.Length == 0 || !SqlIdentifier.FitsLength(value))
                {
                    _read.Report(DiagnosticCatalog.BadEnum, span, $"enum value '{value}' must be 1 to 63 bytes long");
                    ok = false;
                }
            }
            if (ok)
                enums.Add(new EnumType(name, values.Select(v => v.Name).ToEquatableArray(), doc, entry.Key.Span));
        }
    }

    private void ReadTables(YamlNode node, List<TableDraft> tables)
    {
        var mapping = _read.Mapping(node, "'tables'");
        if (mapping is null)
            return;
        if (mapping.Entries.Count == 0)
            _read.Report(DiagnosticCatalog.EmptySchema, mapping.Span, "'tables' is empty; declare at least one table");
        var seen = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Key.Value;
            if (seen.TryGetValue(name, out var first))
            {
                _read.Report(DiagnosticCatalog.DuplicateTable, entry.Key.Span,
                    $"table '{name}' is already declared at line {first.Line}; merge the two declarations or rename one");
                continue;
            }
            seen.Add(name, entry.Key.Span);
            var table = ReadTable(name, entry.Key, entry.Value);
            if (table is not null)
                tables.Add(table);
        }
    }

    private TableDraft? ReadTable(string name, YamlScalar key, YamlNode node)
    {
        var mapping = _read.Mapping(node, $"table '{name}'");
        if (mapping is null)
            return null;
        var table = new TableDraft(name, key.Span);
        YamlNode? columnsNode = null, primaryKeyNode = null, uniqueNode = null, checksNode = null, indexesNode = null, timestampsNode = null;
        YamlNode? versionsNode = null, queriesNode = null, feedsNode = null, queueNode = null, checkpointsNode = null;
        var where = $"table '{name}'";
        var accounted = _read.Keys(mapping, where, TableKeys, (k, value, _) =>
        {
            switch (k)
            {
                case "scope":
                    var scope = _read.Text(value, $"'scope' of {where}");
                    if (scope is null)
                        break;
                    table.ScopeWritten = true;
                    table.Scope = ReadScope(scope);
                    if (table.Scope is null)
                    {
                        // Read on as the scope the typo is closest to, so that the typo is the one error reported.
                        var closest = NodeReader.Closest(scope, ScopeValues);
                        _read.Report(DiagnosticCatalog.WrongShape, value.Span, $"'scope' of {where} is '{scope}';{(closest is null ? "" : $" did you mean '{closest}'?")} write 'tenant' (rows belong to one tenant) or 'global' (rows shared by all tenants)");
                        table.Scope = closest is null ? null : ReadScope(closest);
                    }
                    break;
                case "doc": table.Doc = _read.Text(value, $"'doc' of {where}"); break;
                case "entity": table.EntityName = _read.Text(value, $"'entity' of {where}"); break;
                case "append_only": table.AppendOnly = _read.Bool(value, $"'append_only' of {where}") ?? false; break;
                case "queue": queueNode = value; break;
                case "checkpoints": checkpointsNode = value; break;
                case "quote": table.Quoted = _read.Bool(value, $"'quote' of {where}") ?? false; break;
                case "timestamps": timestampsNode = value; break;
                case "columns": columnsNode = value; break;
                case "primary_key": primaryKeyNode = value; break;
                case "unique": uniqueNode = value; break;
                case "checks": checksNode = value; break;
                case "indexes": indexesNode = value; break;
                case "versions": versionsNode = value; break;
                case "queries": queriesNode = value; break;
                case "feeds": feedsNode = value; break;
                case "renamed_from":
                    table.RenamedFrom = _read.Text(value, $"'renamed_from' of {where}");
                    if (table.RenamedFrom is not null)
                        _identifiers.Check(table.RenamedFrom, value.Span, "table", quoted: true);
                    break;
            }
        });

        _identifiers.Check(name, key.Span, "table", table.Quoted);
        if (table.Scope is null && !table.ScopeWritten && !accounted.Contains("scope"))
            _read.Report(DiagnosticCatalog.MissingKey, key.Span,
                $"{where} has no 'scope'; write 'scope: tenant' when its rows belong to one tenant, or 'scope: global' when every tenant shares them");
        if (table.EntityName is not null)
            _identifiers.CheckEntityName(table.EntityName, mapping.Span);

        _conventions.AddLeadingColumns(table, primaryKeyDeclared: primaryKeyNode is not null, key.Span);

        if (columnsNode is null)
        {
            if (!accounted.Contains("columns"))
                _read.Report(DiagnosticCatalog.MissingKey, key.Span, $"{where} has no 'columns'; declare its columns under 'columns:'");
        }
        else
            ReadColumns(table, columnsNode);

        _conventions.AddTimestamps(table, ReadTimestamps(table, timestampsNode));
        ReadPrimaryKey(table, primaryKeyNode, key.Span);
        if (uniqueNode is not null) ReadUniques(table, uniqueNode);
        if (checksNode is not null) ReadChecks(table, checksNode);
        if (indexesNode is not null) ReadIndexes(table, indexesNode);
        if (versionsNode is not null) ReadVersions(table, versionsNode);
        if (queriesNode is not null) ReadQueries(table, queriesNode);
        if (feedsNode is not null) ReadFeeds(table, feedsNode);
        if (queueNode is not null) table.Queue = ReadQueue(table, queueNode);
        if (checkpointsNode is not null) table.Checkpoints = ReadCheckpoints(table, checkpointsNode);
        return table;
    }

    private TimestampsSetting ReadTimestamps(TableDraft table, YamlNode? node)
    {
        if (node is null)
            return TimestampsSetting.Default;
        var text = _read.Text(node, $"'timestamps' of table '{table.Name}'");
        switch (text)
        {
            case "true": return TimestampsSetting.Both;
            case "false": return TimestampsSetting.None;
            case "created": return TimestampsSetting.CreatedOnly;
            case null: return TimestampsSetting.Default;
            default:
                _read.Report(DiagnosticCatalog.WrongShape, node.Span, $"'timestamps' is '{text}'; write true (created_at and updated_at), created (created_at only) or false (neither)");
                return TimestampsSetting.Default;
        }
    }

    private void ReadColumns(TableDraft table, YamlNode node)
    {
        var mapping = _read.Mapping(node, $"'columns' of table '{table.Name}'");
        if (mapping is null)
            return;
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Key.Value;
            var span = entry.Key.Span;
            if (_conventions.ReportTaken(table, name, span))
                continue;
            var column = ReadColumn(table, name, entry.Key, entry.Value);
            if (column is not null)
                table.Columns.Add(column);
        }
    }

    private Column? ReadColumn(TableDraft table, string name, YamlScalar key, YamlNode node)
    {
        var where = $"column '{table.Name}.{name}'";
        string? typeText = null;
        SourceSpan typeSpan = node.Span;
        bool? nullable = null;
        var quoted = false;
        string? defaultSql = null, doc = null, check = null, renamedFrom = null;
        SourceSpan defaultSpan = node.Span, checkSpan = node.Span;
        YamlNode? referencesNode = null, onDeleteNode = null, maxBytesNode = null;
        var unique = false;

        if (node is YamlScalar shortForm && !shortForm.IsNull)
        {
            typeText = shortForm.Value;
        }
        else
        {
            var mapping = _read.Mapping(node, where);
            if (mapping is null)
                return null;
            var accounted = _read.Keys(mapping, where, ColumnKeys, (k, value, keyNode) =>
            {
                switch (k)
                {
                    case "type": typeText = _read.Text(value, $"'type' of {where}"); typeSpan = value.Span; break;
                    case "nullable": nullable = _read.Bool(value, $"'nullable' of {where}"); break;
                    case "default": defaultSql = _read.Text(value, $"'default' of {where}"); defaultSpan = value.Span; break;
                    case "doc": doc = _read.Text(value, $"'doc' of {where}"); break;
                    case "references": referencesNode = value; break;
                    case "on_delete": onDeleteNode = value; break;
                    case "unique": unique = _read.Bool(value, $"'unique' of {where}") ?? false; break;
                    case "check": check = _read.Text(value, $"'check' of {where}"); checkSpan = value.Span; break;
                    case "max_bytes": maxBytesNode = value; break;
                    case "quote": quoted = _read.Bool(value, $"'quote' of {where}") ?? false; break;
                    case "renamed_from":
                        renamedFrom = _read.Text(value, $"'renamed_from' of {where}");
                        if (renamedFrom is not null)
                            _identifiers.Check(renamedFrom, value.Span, "column", quoted: true);
                        break;
                }
            });
            if (typeText is null && !accounted.Contains("type"))
            {
                _read.Report(DiagnosticCatalog.MissingKey, key.Span, $"{where} has no 'type'; write for example 'type: text'");
                return null;
            }
        }

        _identifiers.Check(name, key.Span, "column", quoted);
        if (typeText is null)
            return null;

        // 'text?' is the short way to write a nullable column.
        var questionMark = typeText.EndsWith("?", StringComparison.Ordinal);
        if (questionMark)
        {
            typeText = typeText.Substring(0, typeText.Length - 1);
            if (nullable == false)
                _read.Report(DiagnosticCatalog.WrongShape, typeSpan, $"{where} says both '?' (nullable) and 'nullable: false'; keep one");
            nullable = true;
        }
        var type = TypeParser.Parse(typeText, _enumNames, out var typeError);
        if (type is null)
        {
            _read.Report(DiagnosticCatalog.UnknownType, typeSpan, $"{where}: {typeError}");
            return null;
        }

        _conventions.CheckKeyDefault(name, where, defaultSql, defaultSpan);
        if (defaultSql is not null)
        {
            CheckDefault(where, type, defaultSql, defaultSpan);
            defaultSql = SqlExpression.NormalizeDefault(defaultSql, type, _enumNames);
        }

        if (referencesNode is not null)
            ReadReference(table, name, where, referencesNode, onDeleteNode);
        else if (onDeleteNode is not null)
            _read.Report(DiagnosticCatalog.UnusedKey, onDeleteNode.Span, $"'on_delete' of {where} has no effect without 'references'; remove it or add 'references: <table>'");

        if (unique)
            table.Uniques.Add(new UniqueConstraint(TableConventions.UniqueName(table, new[] { name }),
                _conventions.TenantLeading(table, new[] { name }).ToEquatableArray(), key.Span));
        if (check is not null)
            table.Checks.Add(new CheckConstraint(TableConventions.CheckName(table, name), SqlExpression.Normalize(check, _enumNames), checkSpan));

        var column = new Column(name, type, nullable ?? false, defaultSql, doc, ColumnOrigin.Declared, quoted, key.Span) { RenamedFrom = renamedFrom };
        if (maxBytesNode is not null && ReadMaxBytes(where, column, maxBytesNode) is { } maxBytes)
        {
            column = column with { MaxBytes = maxBytes };
            table.Checks.Add(new CheckConstraint(TableConventions.MaxBytesCheckName(table, name),
                SqlExpression.Normalize(MaxBytesCheck.Expression(column, maxBytes), _enumNames), maxBytesNode.Span));
        }
        return column;
    }

    /// <summary><c>max_bytes:</c>, a whole number of bytes on a column whose size it can measure; null (reported) otherwise.</summary>
    private int? ReadMaxBytes(string where, Column column, YamlNode node)
    {
        var text = _read.Text(node, $"'max_bytes' of {where}");
        if (text is null)
            return null;
        if (!MaxBytesCheck.AppliesTo(column.Type))
        {
            _read.Report(DiagnosticCatalog.BadMaxBytes, node.Span,
                $"'max_bytes' of {where} applies to text, varchar and jsonb columns, not to {column.Type.Sql}; remove it" +
                (column.Type.IsArray ? ", or limit the array's elements with a 'check'" : column.Type.Kind == PgTypeKind.Bytea ? ", or write check: octet_length(" + SqlIdentifier.Quote(column.Name) + ") <= <bytes>" : ""));
            return null;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var maxBytes)
            || maxBytes < 1 || maxBytes > MaxBytesCheck.Largest)
        {
            _read.Report(DiagnosticCatalog.BadMaxBytes, node.Span,
                $"'max_bytes' of {where} is '{text}'; write a whole number of bytes from 1 to {MaxBytesCheck.Largest}, as in max_bytes: 65536");
            return null;
        }
        return maxBytes;
    }

    private void CheckDefault(string where, PgType type, string defaultSql, SourceSpan span)
    {
        if (defaultSql.Trim().Length == 0)
        {
            _read.Report(DiagnosticCatalog.InvalidDefault, span, $"'default' of {where} is empty; write a SQL expression or remove it");
            return;
        }
        // A bare word on a text or enum column is almost always a value meant as a string literal.
        var textual = type.Kind is PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char or PgTypeKind.Enum && !type.IsArray;
        var bareWord = System.Text.RegularExpressions.Regex.IsMatch(defaultSql, "^[A-Za-z_][A-Za-z0-9_]*$");
        if (textual && bareWord && defaultSql.ToLowerInvariant() is not ("null" or "current_user" or "session_user" or "current_role"))
            _read.Report(DiagnosticCatalog.InvalidDefault, span,
                $"'default' of {where} is a SQL expression, and '{defaultSql}' would be read as a column name; write the value as a SQL string: default: \"'{defaultSql}'\"");
    }

    private void ReadReference(TableDraft table, string column, string where, YamlNode node, YamlNode? onDeleteNode)
    {
        var target = _read.Text(node, $"'references' of {where}");
        if (target is null)
            return;
        var onDelete = OnDelete.NoAction;
        if (onDeleteNode is not null)
        {
            var text = _read.Text(onDeleteNode, $"'on_delete' of {where}");
            switch (text)
            {
                case "no_action": onDelete = OnDelete.NoAction; break;
                case "restrict": onDelete = OnDelete.Restrict; break;
                case "cascade": onDelete = OnDelete.Cascade; break;
                case "set_null": onDelete = OnDelete.SetNull; break;
                case "set_default": onDelete = OnDelete.SetDefault; break;
                case null: break;
                default:
                    _read.Report(DiagnosticCatalog.WrongShape, onDeleteNode.Span,
                        $"'on_delete' of {where} is '{text}'; write one of {string.Join(", ", OnDeleteValues)}");
                    break;
            }
        }
        var dot = target.IndexOf('.');
        var (targetTable, targetColumn) = dot < 0 ? (target, (string?)null) : (target.Substring(0, dot), target.Substring(dot + 1));
        table.References.Add(new ReferenceDraft(column, targetTable, targetColumn, onDelete, node.Span));
    }

    private void ReadPrimaryKey(TableDraft table, YamlNode? node, SourceSpan tableSpan)
    {
        List<(string Name, SourceSpan Span)>? written;
        SourceSpan span;
        if (node is null)
        {
            written = TableConventions.ConventionalKey(tableSpan);
            span = tableSpan;
        }
        else
        {
            written = _read.Names(node, $"'primary_key' of table '{table.Name}'");
            span = node.Span;
            if (written is null)
                return;
            if (written.Count == 0)
            {
                _read.Report(DiagnosticCatalog.MissingPrimaryKey, node.Span,
                    $"'primary_key' of table '{table.Name}' is empty; list its key columns, or remove 'primary_key' to get the 'id' convention");
                return;
            }
        }
        var columns = CheckColumns(table, written, "the primary key");
        if (columns is null)
            return;
        table.PrimaryKey = new PrimaryKey(TableConventions.PrimaryKeyName(table), _conventions.TenantLeading(table, columns, written, "the primary key").ToEquatableArray(), span);
    }

    private void ReadUniques(TableDraft table, YamlNode node)
    {
        var sequence = _read.Sequence(node, $"'unique' of table '{table.Name}' (a list of column lists)");
        if (sequence is null)
            return;
        foreach (var item in sequence.Items)
        {
            YamlNode? columnsNode = item;
            string? name = null;
            if (item is YamlMapping mapping)
            {
                columnsNode = null;
                _read.Keys(mapping, $"a unique constraint of table '{table.Name}'", UniqueKeys, (k, value, _) =>
                {
                    if (k == "name") name = _read.Text(value, "'name' of a unique constraint");
                    else columnsNode = value;
                });
                if (columnsNode is null)
                {
                    _read.Report(DiagnosticCatalog.MissingKey, item.Span, "a unique constraint needs 'columns: [a, b]'");
                    continue;
                }
            }
            var written = _read.Names(columnsNode, $"a unique constraint of table '{table.Name}'");
            if (written is null || written.Count == 0)
                continue;
            var columns = CheckColumns(table, written, "a unique constraint");
            if (columns is null)
                continue;
            var leading = _conventions.TenantLeading(table, columns, written, "a unique constraint");
            if (name is not null) _identifiers.Check(name, item.Span, "constraint", quoted: false);
            table.Uniques.Add(new UniqueConstraint(name ?? TableConventions.UniqueName(table, columns), leading.ToEquatableArray(), item.Span));
        }
    }

    private void ReadChecks(TableDraft table, YamlNode node)
    {
        var mapping = _read.Mapping(node, $"'checks' of table '{table.Name}' (a mapping of name to SQL expression)");
        if (mapping is null)
            return;
        foreach (var entry in mapping.Entries)
        {
            var expression = _read.Text(entry.Value, $"check '{entry.Key.Value}' of table '{table.Name}'");
            if (expression is null)
                continue;
            if (!_identifiers.Check(entry.Key.Value, entry.Key.Span, "check", quoted: false))
                continue;
            table.Checks.Add(new CheckConstraint(TableConventions.CheckName(table, entry.Key.Value), SqlExpression.Normalize(expression, _enumNames), entry.Value.Span));
        }
    }

    private void ReadIndexes(TableDraft table, YamlNode node)
    {
        var sequence = _read.Sequence(node, $"'indexes' of table '{table.Name}'");
        if (sequence is null)
            return;
        foreach (var item in sequence.Items)
        {
            var where = "an index";
            YamlNode? columnsNode = item, includeNode = null;
            string? name = null, predicate = null;
            var unique = false;
            var method = IndexMethod.Btree;
            if (item is YamlMapping mapping)
            {
                columnsNode = null;
                _read.Keys(mapping, $"an index of table '{table.Name}'", IndexKeys, (k, value, _) =>
                {
                    switch (k)
                    {
                        case "columns": columnsNode = value; break;
                        case "name": name = _read.Text(value, $"'name' of {where}"); break;
                        case "unique": unique = _read.Bool(value, $"'unique' of {where}") ?? false; break;
                        case "where":
                            predicate = _read.Text(value, $"'where' of {where}");
                            if (predicate is not null)
                                predicate = SqlExpression.Normalize(predicate, _enumNames);
                            break;
                        case "include": includeNode = value; break;
                        case "using":
                            var text = _read.Text(value, $"'using' of {where}");
                            if (text is not null && (!IndexMethods.Contains(text) || !Enum.TryParse(text, ignoreCase: true, out method)))
                                _read.Report(DiagnosticCatalog.WrongShape, value.Span, $"'using: {text}' is not an index method; write {string.Join(", ", IndexMethods)}");
                            break;
                    }
                });
                if (columnsNode is null)
                {
                    _read.Report(DiagnosticCatalog.MissingKey, item.Span, $"an index of table '{table.Name}' needs 'columns: [a, b]'");
                    continue;
                }
            }
            var entries = _read.Names(columnsNode, $"the columns of {where}");
            if (entries is null || entries.Count == 0)
                continue;
            var parsed = new List<IndexColumn>();
            var written = new List<(string, SourceSpan)>();
            foreach (var (text, span) in entries)
            {
                var column = ParseIndexColumn(text, span);
                if (column is null)
                    continue;
                parsed.Add(column);
                written.Add((column.Name, span));
            }
            if (parsed.Count != entries.Count || CheckColumns(table, written, where) is null)
                continue;
            var include = includeNode is null ? new List<(string Name, SourceSpan Span)>() : _read.Names(includeNode, $"'include' of {where}");
            if (include is null || CheckColumns(table, include, where) is null)
                continue;

            _conventions.LeadIndexWithTenant(table, method, parsed, written, where);
            if (name is not null) _identifiers.Check(name, item.Span, "index", quoted: false);
            table.Indexes.Add(new Index(name ?? TableConventions.IndexName(table, written.Select(c => c.Item1)), parsed.ToEquatableArray(), unique, method, predicate,
                include.Select(i => i.Name).ToEquatableArray(), item.Span));
        }
    }

    private IndexColumn? ParseIndexColumn(string text, SourceSpan span)
    {
        var words = text.Trim().Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        var descending = false;
        var nulls = NullsOrder.Default;
        var i = 1;
        if (i < words.Length && words[i].ToLowerInvariant() is "asc" or "desc")
            descending = words[i++].ToLowerInvariant() == "desc";
        if (i + 1 < words.Length && words[i].ToLowerInvariant() == "nulls" && words[i + 1].ToLowerInvariant() is "first" or "last")
        {
            nulls = words[i + 1].ToLowerInvariant() == "first" ? NullsOrder.First : NullsOrder.Last;
            i += 2;
        }
        if (words.Length == 0 || i != words.Length)
        {
            _read.Report(DiagnosticCatalog.WrongShape, span, $"index column '{text}' is not of the form 'name', 'name desc' or 'name desc nulls last'");
            return null;
        }
        return new IndexColumn(words[0], descending, nulls);
    }

    /// <summary>Column names checked against the table; null when any is missing.</summary>
    private List<string>? CheckColumns(TableDraft table, List<(string Name, SourceSpan Span)> written, string what)
    {
        var ok = true;
        foreach (var (name, span) in written)
        {
            if (table.Columns.Any(c => c.Name == name))
                continue;
            var closest = NodeReader.Closest(name, table.Columns.Select(c => c.Name));
            var hint = closest is null ? $"Columns of '{table.Name}': {string.Join(", ", table.Columns.Select(c => c.Name))}" : $"Did you mean '{closest}'?";
            _read.Report(DiagnosticCatalog.MissingColumn, span, $"{what} of table '{table.Name}' names column '{name}', which the table does not have. {hint}");
            ok = false;
        }
        return ok ? written.Select(w => w.Name).ToList() : null;
    }
}
