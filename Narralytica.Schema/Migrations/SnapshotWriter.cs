using System.Collections.Generic;
using System.Linq;
using System.Text;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// Writes the schema as the migrations leave it: every convention already applied, every name
/// explicit, one line per column and per constraint, so a reviewer can read the diff of the
/// snapshot in a pull request and <see cref="SnapshotReader"/> needs no conventions to read it back.
/// </summary>
public static class SnapshotWriter
{
    public static string Write(SchemaModel model, SnapshotHeader header)
    {
        var text = new StringBuilder();
        text.Append("# Narralytica schema snapshot: the schema as the migrations in this folder leave it.\n");
        text.Append("# Written by `narralytica migrations add`; `migrations check` compares it with schema.yaml. Do not edit.\n");
        text.Append("after: ").Append(Scalar(header.LastMigration)).Append('\n');
        text.Append("sum: ").Append(Scalar(header.Sum)).Append('\n');
        text.Append("app_schema_usage: ").Append(model.AppSchemaUsage ? "true" : "false").Append('\n');
        text.Append("tenant_context: ").Append(model.TenantContext ? "true" : "false").Append('\n');
        if (model.Lanes)
            text.Append("lanes: true\n");
        text.Append("tenant_proof: ").Append(model.TenantProof ? "true" : "false").Append('\n');
        if (model.CheckedJustification)
            text.Append("checked_justification: true\n");
        if (model.GuardedSessions)
            text.Append("guarded_sessions: true\n");
        if (model.SignatureFirstProof)
            text.Append("signature_first_proof: true\n");
        if (model.GuardedLargeObjects)
            text.Append("guarded_large_objects: true\n");
        if (model.GuardedSchemaCreate)
            text.Append("guarded_schema_create: true\n");
        if (model.BoundedReaderAudit)
            text.Append("bounded_reader_audit: true\n");

        text.Append("enums:").Append(model.Enums.Count == 0 ? " {}\n" : "\n");
        foreach (var enumType in model.Enums)
        {
            text.Append("  ").Append(Scalar(enumType.Name)).Append(":\n");
            text.Append("    values: ").Append(List(enumType.Values)).Append('\n');
            if (enumType.Doc is not null)
                text.Append("    doc: ").Append(Scalar(enumType.Doc)).Append('\n');
        }

        text.Append("tables:").Append(model.Tables.Count == 0 ? " {}\n" : "\n");
        foreach (var table in model.Tables)
            WriteTable(text, table, model.Lanes);

        // Written only when there are streams, so snapshots from before streams existed read back unchanged.
        if (model.Streams.Count > 0)
        {
            text.Append("streams:\n");
            foreach (var stream in model.Streams)
            {
                text.Append("  ").Append(Scalar(stream.Name)).Append(": {tables: ").Append(List(stream.Tables));
                if (stream.Doc is not null)
                    text.Append(", doc: ").Append(Scalar(stream.Doc));
                text.Append("}\n");
            }
        }
        return text.ToString();
    }

    private static void WriteTable(StringBuilder text, Table table, bool lanes)
    {
        text.Append("  ").Append(Scalar(table.Name)).Append(":\n");
        text.Append("    scope: ").Append(table.IsTenantScoped ? "tenant" : "global").Append('\n');
        if (table.AppendOnly)
            text.Append("    append_only: true\n");
        if (table.Quoted)
            text.Append("    quote: true\n");
        if (table.Doc is not null)
            text.Append("    doc: ").Append(Scalar(table.Doc)).Append('\n');
        // Written even when empty: what the application role may do is part of the schema, never implied.
        text.Append("    app_privileges: ").Append(Privileges(table.AppPrivileges)).Append('\n');
        if (lanes)
        {
            text.Append("    control_privileges: ").Append(Privileges(table.ControlPrivileges)).Append('\n');
            text.Append("    worker_privileges: ").Append(Privileges(table.WorkerPrivileges)).Append('\n');
            if (table.WorkerUpdateColumns.Count > 0)
                text.Append("    worker_update_columns: ").Append(List(table.WorkerUpdateColumns)).Append('\n');
            text.Append("    reader_privileges: ").Append(Privileges(table.ReaderPrivileges)).Append('\n');
        }
        if (table.Queue)
            text.Append("    queue: true\n");
        if (table.QueueFunctions.Length > 0 && table.QueueColumns is { } queue)
        {
            // The queue's functions are built from its columns, so the snapshot keeps both: what they are, and what they name.
            text.Append("    queue_functions: ").Append(table.QueueFunctions).Append('\n');
            text.Append("    queue_columns:\n");
            foreach (var column in queue.Columns)
                text.Append("      ").Append(column.Role).Append(": ").Append(Scalar(column.Column)).Append('\n');
        }
        if (table.RowSecurity)
            text.Append("    row_security: true\n");

        text.Append("    columns:\n");
        foreach (var column in table.Columns)
        {
            var fields = new List<string> { "type: " + Scalar(column.Type.Sql) };
            if (column.Nullable) fields.Add("nullable: true");
            if (column.Default is not null) fields.Add("default: " + Scalar(column.Default));
            if (column.Quoted) fields.Add("quote: true");
            if (column.Doc is not null) fields.Add("doc: " + Scalar(column.Doc));
            text.Append("      ").Append(Scalar(column.Name)).Append(": {").Append(string.Join(", ", fields)).Append("}\n");
        }

        text.Append("    primary_key: {name: ").Append(Scalar(table.PrimaryKey.Name))
            .Append(", columns: ").Append(List(table.PrimaryKey.Columns)).Append("}\n");
        Section(text, "unique", table.Uniques, u => $"name: {Scalar(u.Name)}, columns: {List(u.Columns)}");
        Section(text, "checks", table.Checks, c => $"name: {Scalar(c.Name)}, expression: {Scalar(c.Expression)}");
        Section(text, "foreign_keys", table.ForeignKeys, k =>
            $"name: {Scalar(k.Name)}, columns: {List(k.Columns)}, references: {Scalar(k.ReferencedTable)}, " +
            $"referenced_columns: {List(k.ReferencedColumns)}, on_delete: {SnapshotVocabulary.OnDeleteName(k.OnDelete)}");
        Section(text, "indexes", table.Indexes, WriteIndex);
    }

    private static string Privileges(TablePrivileges privileges) => List(TablePrivilegeNames.Keywords(privileges).Select(p => p.ToLowerInvariant()));

    private static string WriteIndex(Index index)
    {
        var fields = new List<string>
        {
            "name: " + Scalar(index.Name),
            "columns: " + List(index.Columns.Select(SnapshotVocabulary.IndexColumnText)),
        };
        if (index.Unique) fields.Add("unique: true");
        if (index.Method != IndexMethod.Btree) fields.Add("using: " + index.Method.ToString().ToLowerInvariant());
        if (index.Include.Count > 0) fields.Add("include: " + List(index.Include));
        if (index.Where is not null) fields.Add("where: " + Scalar(index.Where));
        return string.Join(", ", fields);
    }

    private static void Section<T>(StringBuilder text, string key, EquatableArray<T> items, System.Func<T, string> line) where T : System.IEquatable<T>
    {
        if (items.Count == 0)
            return;
        text.Append("    ").Append(key).Append(":\n");
        foreach (var item in items)
            text.Append("      - {").Append(line(item)).Append("}\n");
    }

    private static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Scalar)) + "]";

    /// <summary>
    /// A plain identifier stays bare; anything else is double-quoted with YAML (JSON-compatible)
    /// escapes, so no value can be read back as another type or break the line structure.
    /// </summary>
    private static string Scalar(string value)
    {
        if (SqlIdentifier.IsValid(value) && value is not ("null" or "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n"))
            return value;
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    if (c < ' ') quoted.Append("\\x").Append(((int)c).ToString("x2"));
                    else quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}
