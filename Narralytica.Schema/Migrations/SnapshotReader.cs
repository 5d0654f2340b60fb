using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Parsing;
using Narralytica.Schema.Yaml;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// Reads a snapshot written by <see cref="SnapshotWriter"/> back into the schema model, strictly:
/// the snapshot is machine-written, so anything unexpected means it was edited by hand, and the
/// error says where and to restore it rather than guessing.
/// </summary>
public sealed class SnapshotReader
{
    private readonly string _file;

    private SnapshotReader(string file) => _file = file;

    public static (SchemaModel Model, SnapshotHeader Header) Read(string text, string file)
        => new SnapshotReader(file).ReadDocument(text);

    private (SchemaModel, SnapshotHeader) ReadDocument(string text)
    {
        var root = YamlDocumentReader.Read(text, out var failure);
        if (failure is not null)
            throw Fail(failure.Span, "is not valid YAML: " + failure.Message);
        var top = Mapping(root, "the snapshot");
        var header = new SnapshotHeader(Text(Get(top, "after")), Text(Get(top, "sum")));

        var enumNames = new HashSet<string>();
        var enums = new List<EnumType>();
        foreach (var entry in Mapping(Get(top, "enums"), "'enums'").Entries)
        {
            var fields = Mapping(entry.Value, $"enum '{entry.Key.Value}'");
            enums.Add(new EnumType(entry.Key.Value, Names(Get(fields, "values")), Optional(fields, "doc"), entry.Key.Span));
            enumNames.Add(entry.Key.Value);
        }

        var tables = new List<Table>();
        foreach (var entry in Mapping(Get(top, "tables"), "'tables'").Entries)
            tables.Add(ReadTable(entry.Key, Mapping(entry.Value, $"table '{entry.Key.Value}'"), enumNames));
        // A snapshot written before grants existed has no app_schema_usage: nothing was granted then; one
        // written before row-level security existed has no tenant_context (nor row_security on its tables), one
        // written before signed tenants no tenant_proof.
        var model = new SchemaModel(enums.ToEquatableArray(), tables.ToEquatableArray())
        {
            AppSchemaUsage = Flag(top, "app_schema_usage"),
            TenantContext = Flag(top, "tenant_context"),
            Lanes = Flag(top, "lanes"),
            Streams = ReadStreams(top),
            TenantProof = Flag(top, "tenant_proof"),
            CheckedJustification = Flag(top, "checked_justification"),
            GuardedSessions = Flag(top, "guarded_sessions"),
            SignatureFirstProof = Flag(top, "signature_first_proof"),
            GuardedLargeObjects = Flag(top, "guarded_large_objects"),
            GuardedSchemaCreate = Flag(top, "guarded_schema_create"),
            BoundedReaderAudit = Flag(top, "bounded_reader_audit"),
        };
        return (model, header);
    }

    private Table ReadTable(YamlScalar name, YamlMapping fields, HashSet<string> enumNames)
    {
        var scopeNode = Get(fields, "scope");
        var scope = Text(scopeNode) switch
        {
            "tenant" => TableScope.Tenant,
            "global" => TableScope.Global,
            var other => throw Fail(scopeNode.Span, $"scope '{other}' is neither tenant nor global"),
        };

        var columns = new List<Column>();
        foreach (var entry in Mapping(Get(fields, "columns"), "'columns'").Entries)
        {
            var column = Mapping(entry.Value, $"column '{entry.Key.Value}'");
            var typeNode = Get(column, "type");
            var type = TypeParser.Parse(Text(typeNode), enumNames, out var error)
                       ?? throw Fail(typeNode.Span, $"type '{Text(typeNode)}': {error}");
            columns.Add(new Column(entry.Key.Value, type, Flag(column, "nullable"), Optional(column, "default"), Optional(column, "doc"),
                ColumnOrigin.Declared, Flag(column, "quote"), entry.Key.Span));
        }

        var pk = Mapping(Get(fields, "primary_key"), "'primary_key'");
        var primaryKey = new PrimaryKey(Text(Get(pk, "name")), Names(Get(pk, "columns")), pk.Span);
        var uniques = Items(fields, "unique", u => new UniqueConstraint(Text(Get(u, "name")), Names(Get(u, "columns")), u.Span));
        var checks = Items(fields, "checks", c => new CheckConstraint(Text(Get(c, "name")), Text(Get(c, "expression")), c.Span));
        var foreignKeys = Items(fields, "foreign_keys", k =>
        {
            var onDeleteNode = Get(k, "on_delete");
            var onDelete = SnapshotVocabulary.ParseOnDelete(Text(onDeleteNode))
                           ?? throw Fail(onDeleteNode.Span, $"on_delete '{Text(onDeleteNode)}' is not one of no_action, restrict, cascade, set_null, set_default");
            return new ForeignKey(Text(Get(k, "name")), Names(Get(k, "columns")), Text(Get(k, "references")),
                Names(Get(k, "referenced_columns")), onDelete, k.Span);
        });
        var indexes = Items(fields, "indexes", ReadIndex);

        return new Table(name.Value, scope, Optional(fields, "doc"), null, Flag(fields, "append_only"), Flag(fields, "quote"),
            columns.ToEquatableArray(), primaryKey, uniques, checks, foreignKeys, indexes, name.Span)
        {
            AppPrivileges = ReadPrivileges(fields, "app_privileges"),
            ControlPrivileges = ReadPrivileges(fields, "control_privileges"),
            WorkerPrivileges = ReadPrivileges(fields, "worker_privileges"),
            // Missing in a snapshot written before column-level grants: the workers' UPDATE was the table's then.
            WorkerUpdateColumns = Find(fields, "worker_update_columns") is { } updatable ? Names(updatable) : EquatableArray<string>.Empty,
            ReaderPrivileges = ReadPrivileges(fields, "reader_privileges"),
            Queue = Flag(fields, "queue"),
            // Missing in a snapshot written before the queue's functions: its workers held policies of their own then.
            QueueFunctions = Optional(fields, "queue_functions") ?? "",
            QueueColumns = Find(fields, "queue_columns") is { } queue
                ? new QueueDeclaration(Mapping(queue, "'queue_columns'").Entries.Select(e => new QueueColumn(e.Key.Value, Text(e.Value), SourceSpan.None)).ToEquatableArray(), SourceSpan.None)
                : null,
            RowSecurity = Flag(fields, "row_security"),
        };
    }

    /// <summary><c>streams:</c>, each <c>name: {tables: [...], doc: ...}</c>; missing in a snapshot written before streams existed.</summary>
    private EquatableArray<StreamPublication> ReadStreams(YamlMapping top)
    {
        if (Find(top, "streams") is not { } node)
            return EquatableArray<StreamPublication>.Empty;
        return Mapping(node, "'streams'").Entries
            .Select(entry =>
            {
                var fields = Mapping(entry.Value, $"stream '{entry.Key.Value}'");
                return new StreamPublication(entry.Key.Value, Optional(fields, "doc"), Names(Get(fields, "tables")), entry.Key.Span);
            })
            .ToEquatableArray();
    }

    /// <summary><c>app_privileges: [select, insert]</c>; missing in a snapshot written before grants (or that lane) existed, which means none.</summary>
    private TablePrivileges ReadPrivileges(YamlMapping fields, string key)
    {
        if (Find(fields, key) is not { } node)
            return TablePrivileges.None;
        var privileges = TablePrivileges.None;
        foreach (var word in Names(node))
            privileges |= TablePrivilegeNames.Parse(word) ?? throw Fail(node.Span, $"'{word}' is not a table privilege (select, insert, update, delete, truncate, references, trigger)");
        return privileges;
    }

    private Index ReadIndex(YamlMapping fields)
    {
        var columnsNode = Get(fields, "columns");
        var columns = Names(columnsNode).Select(text => SnapshotVocabulary.ParseIndexColumn(text)
                                                        ?? throw Fail(columnsNode.Span, $"index column '{text}' is not 'name [desc] [nulls first|last]'"));
        var methodNode = Optional(fields, "using") ?? "btree";
        if (!System.Enum.TryParse<IndexMethod>(methodNode, ignoreCase: true, out var method))
            throw Fail(fields.Span, $"index method '{methodNode}' is unknown");
        var include = Find(fields, "include") is { } includeNode ? Names(includeNode) : EquatableArray<string>.Empty;
        return new Index(Text(Get(fields, "name")), columns.ToEquatableArray(), Flag(fields, "unique"), method,
            Optional(fields, "where"), include, fields.Span);
    }

    private EquatableArray<T> Items<T>(YamlMapping fields, string key, System.Func<YamlMapping, T> read) where T : System.IEquatable<T>
    {
        if (Find(fields, key) is not { } node)
            return EquatableArray<T>.Empty;
        if (node is not YamlSequence sequence)
            throw Fail(node.Span, $"'{key}' should be a list");
        return sequence.Items.Select(item => read(Mapping(item, $"an entry of '{key}'"))).ToEquatableArray();
    }

    private static YamlNode? Find(YamlMapping mapping, string key)
        => mapping.Entries.Where(e => e.Key.Value == key).Select(e => e.Value).FirstOrDefault();

    private YamlNode Get(YamlMapping mapping, string key)
        => Find(mapping, key) ?? throw Fail(mapping.Span, $"'{key}' is missing");

    private string? Optional(YamlMapping mapping, string key) => Find(mapping, key) is { } node ? Text(node) : null;

    private bool Flag(YamlMapping mapping, string key) => Optional(mapping, key) == "true";

    private YamlMapping Mapping(YamlNode? node, string what)
    {
        if (node is YamlMapping mapping)
            return mapping;
        // The writer prints an empty section as {}; YamlDocumentReader gives that as an empty mapping.
        throw Fail(node?.Span ?? new SourceSpan(1, 1), $"{what} should be a mapping");
    }

    private string Text(YamlNode node)
        => node is YamlScalar scalar ? scalar.Value : throw Fail(node.Span, $"expected a single value, found {node.Describe()}");

    private EquatableArray<string> Names(YamlNode node)
        => node is YamlSequence sequence
            ? sequence.Items.Select(Text).ToEquatableArray()
            : throw Fail(node.Span, $"expected a list, found {node.Describe()}");

    private MigrationInputException Fail(SourceSpan span, string message)
        => new(_file, span, message + ". The snapshot is written by `narralytica migrations add`; restore it from version control (git checkout) rather than editing it.");
}
