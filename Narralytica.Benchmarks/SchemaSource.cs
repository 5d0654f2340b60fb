using System.IO;
using System.Text;

namespace Narralytica.Benchmarks;

/// <summary>The schemas the tooling benchmarks run on: the repository's schema.yaml, or a synthetic one of N tables.</summary>
public static class SchemaSource
{
    public static string Repository()
    {
        var dir = new DirectoryInfo(System.AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "schema.yaml")))
            dir = dir.Parent;
        return File.ReadAllText(Path.Combine(dir?.FullName ?? throw new FileNotFoundException("schema.yaml not found above the benchmark binaries"), "schema.yaml"));
    }

    /// <summary>
    /// A tenants table and <paramref name="tables"/> tenant tables shaped like the real ones: a few
    /// columns, a doc, a reference to the table before, a unique key, a check, an index and a named query each.
    /// </summary>
    public static string Synthetic(int tables)
    {
        var yaml = new StringBuilder("enums:\n  state: [draft, live, gone]\ntables:\n  tenants:\n    scope: global\n    columns:\n      slug: {type: text, unique: true}\n");
        for (var i = 1; i <= tables; i++)
        {
            yaml.Append($"  table_{i:D4}:\n    scope: tenant\n    doc: Synthetic table {i}.\n    columns:\n");
            yaml.Append("      title: text\n      position: {type: integer, check: position >= 0}\n      state: {type: state, default: \"'draft'\"}\n");
            yaml.Append("      payload: {type: jsonb, default: \"'{}'\"}\n      happened_at: timestamptz?\n");
            if (i > 1)
                yaml.Append($"      parent_id: {{type: uuid?, references: table_{i - 1:D4}}}\n");
            yaml.Append("    unique: [[title, position]]\n    indexes:\n      - [happened_at desc]\n      - columns: [position]\n        where: state = 'live'\n");
            yaml.Append($"    queries:\n      table_{i:D4}_titled:\n        match: title\n        order_by: position\n");
        }
        // A schema with errors generates nothing, which would measure nothing: refuse it here.
        var compiled = Narralytica.Schema.SchemaCompiler.Compile(yaml.ToString());
        if (compiled.HasErrors)
            throw new System.InvalidOperationException("The synthetic schema does not compile: " + compiled.Diagnostics[0].Message);
        return yaml.ToString();
    }
}
