using System.Linq;
using System.Text;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Language;

/// <summary>
/// docs/schema.md from schema.yaml: a Mermaid ER diagram (GitHub renders it), then per table its doc, columns, keys,
/// references, checks, indexes and row-level security policies. Deterministic: the same schema gives the same text.
/// </summary>
public static class SchemaDocsWriter
{
    /// <summary>Where the repository keeps it.</summary>
    public const string FileName = "docs/schema.md";

    public static string Write(SchemaModel model)
    {
        var md = new StringBuilder();
        md.Append("# The schema\n\n");
        md.Append("Written from `schema.yaml` by `narralytica schema docs`; do not edit by hand.\n");
        md.Append($"{model.Tables.Count} tables ({model.Tables.Count(t => t.IsTenantScoped)} tenant-scoped), {model.Enums.Count} enum types.\n\n");

        md.Append("```mermaid\nerDiagram\n");
        foreach (var table in model.Tables)
        {
            md.Append($"    {table.Name} {{\n");
            foreach (var column in table.Columns)
            {
                var key = table.PrimaryKey.Columns.Contains(column.Name) ? " PK" : table.ForeignKeys.Any(f => f.Columns.Contains(column.Name)) ? " FK" : "";
                md.Append($"        {MermaidType(column.Type.Sql)} {column.Name}{key}\n");
            }
            md.Append("    }\n");
        }
        foreach (var table in model.Tables)
            foreach (var foreignKey in table.ForeignKeys)
            {
                var optional = foreignKey.Columns.Any(c => table.FindColumn(c)?.Nullable == true);
                md.Append($"    {foreignKey.ReferencedTable} ||--o{{ {table.Name} : \"{string.Join(", ", foreignKey.Columns)}{(optional ? " (optional)" : "")}\"\n");
            }
        md.Append("```\n");

        if (model.Enums.Count > 0)
        {
            md.Append("\n## Enum types\n\n| type | values | doc |\n|---|---|---|\n");
            foreach (var e in model.Enums)
                md.Append($"| `{e.Name}` | {string.Join(", ", e.Values.Select(v => $"`{v}`"))} | {Cell(e.Doc)} |\n");
        }

        foreach (var table in model.Tables)
        {
            md.Append($"\n## {table.Name}\n\n");
            md.Append(table.IsTenantScoped ? "Tenant-scoped" : "Global");
            if (table.AppendOnly) md.Append(", append-only");
            md.Append(".");
            if (table.Doc is not null) md.Append(' ').Append(table.Doc);
            md.Append("\n\n| column | type | null | default | doc |\n|---|---|---|---|---|\n");
            foreach (var column in table.Columns)
                md.Append($"| `{column.Name}` | `{column.Type.Sql}` | {(column.Nullable ? "yes" : "")} | {(column.Default is null ? "" : $"`{Cell(column.Default)}`")} | {Cell(column.Doc)} |\n");
            md.Append($"\n- primary key `{table.PrimaryKey.Name}` ({string.Join(", ", table.PrimaryKey.Columns)})\n");
            foreach (var unique in table.Uniques)
                md.Append($"- unique `{unique.Name}` ({string.Join(", ", unique.Columns)})\n");
            foreach (var foreignKey in table.ForeignKeys)
                md.Append($"- foreign key `{foreignKey.Name}` ({string.Join(", ", foreignKey.Columns)}) → {foreignKey.ReferencedTable} ({string.Join(", ", foreignKey.ReferencedColumns)}), on delete {foreignKey.OnDelete}\n");
            foreach (var check in table.Checks)
                md.Append($"- check `{check.Name}`: `{Cell(check.Expression)}`\n");
            foreach (var index in table.Indexes)
            {
                md.Append($"- {(index.Unique ? "unique " : "")}index `{index.Name}` using {index.Method.ToString().ToLowerInvariant()} ({string.Join(", ", index.Columns.Select(c => c.Name + (c.Descending ? " DESC" : "")))})");
                if (index.Include.Count > 0) md.Append($" include ({string.Join(", ", index.Include)})");
                if (index.Where is not null) md.Append($" where `{Cell(index.Where)}`");
                md.Append('\n');
            }
            if (table.RowSecurity)
                foreach (var policy in TenantIsolation.Enable(table, model.TenantContext, model.Lanes, model.TenantProof).Where(s => s.StartsWith("CREATE POLICY", System.StringComparison.Ordinal)))
                    md.Append($"- policy: `{Cell(policy)}`\n");
        }
        if (model.Streams.Count > 0)
        {
            md.Append("\n## Change streams\n\nPublications for logical replication; `narralytica stream` creates the slots that read them.\n\n| publication | tables | doc |\n|---|---|---|\n");
            foreach (var stream in model.Streams)
                md.Append($"| `{stream.Name}` | {string.Join(", ", stream.Tables.Select(t => $"`{t}`"))} | {Cell(stream.Doc)} |\n");
        }
        return md.ToString();
    }

    // Mermaid attribute types are single words.
    private static string MermaidType(string sql) => new string(sql.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray()).TrimEnd('_');

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|").Replace("\n", " ");
}
