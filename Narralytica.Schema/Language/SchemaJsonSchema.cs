using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using static Narralytica.Schema.Language.SchemaVocabulary;

namespace Narralytica.Schema.Language;

/// <summary>
/// The JSON Schema of schema.yaml, for editors (completion, hover, unknown keys underlined) through a
/// <c># yaml-language-server: $schema=…</c> comment. Every mapping's keys are <see cref="SchemaVocabulary"/>'s, the
/// lists the parser checks; each key's shape is described here, and a key without one (or a shape for a key the
/// parser does not know) stops the writer, so the JSON Schema cannot drift from the language.
/// </summary>
public static class SchemaJsonSchema
{
    /// <summary>Where the repository keeps it, relative to schema.yaml.</summary>
    public const string FileName = "docs/schema.yaml.schema.json";

    // Shapes: the JSON Schema of one value. Scalars YAML reads as numbers or booleans are text to the parser.
    private const string Text = "{\"type\": [\"string\", \"number\", \"boolean\"]}";
    private const string Bool = "{\"type\": \"boolean\"}";
    private const string PositiveInteger = "{\"type\": \"integer\", \"minimum\": 1, \"maximum\": 1073741823}";
    private const string Names = "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"array\", \"items\": {\"type\": \"string\"}}]}";

    private static string OneOf(IEnumerable<string> values) => "{\"enum\": [" + string.Join(", ", values.Select(Quote)) + "]}";
    private static string Ref(string definition) => "{\"$ref\": \"#/definitions/" + definition + "\"}";
    private static string MapOf(string value) => "{\"type\": \"object\", \"additionalProperties\": " + value + "}";
    private static string ListOf(string item) => "{\"type\": \"array\", \"items\": " + item + "}";
    private static string Either(string a, string b) => "{\"anyOf\": [" + a + ", " + b + "]}";

    private sealed record Key(string Shape, string Description);

    private sealed record Mapping(string Name, string Description, IReadOnlyList<string> Keys, string[] Required, Dictionary<string, Key> Shapes);

    private static IReadOnlyList<Mapping> Mappings() => new[]
    {
        new Mapping("root", "schema.yaml: the one declaration of the database.", RootKeys, new[] { "tables" }, new()
        {
            ["target"] = new(OneOf(TargetValues), "Where the database runs: postgres (one server, the default) or citus (sharded by tenant_id; migrations and drift write SQL Citus accepts, see docs/citus.md)."),
            ["enums"] = new(MapOf(Either(ListOf(Text), Ref("enum"))), "PostgreSQL enum types, by name: a list of values, or a mapping with values and doc."),
            ["tables"] = new(MapOf(Ref("table")), "The tables, by name."),
            ["streams"] = new(MapOf(Either(Names, Ref("stream"))), "Change streams, by publication name: the tables whose changes logical replication publishes to derived systems (a list, or a mapping with tables and doc)."),
        }),
        new Mapping("stream", "A change stream: a PostgreSQL publication of the listed tables.", StreamKeys, new[] { "tables" }, new()
        {
            ["doc"] = new(Text, "What the stream feeds; it becomes the publication's comment in docs/schema.md."),
            ["tables"] = new(Names, "The published tables: their inserts, updates and deletes go to the stream."),
        }),
        new Mapping("enum", "A PostgreSQL enum type.", EnumKeys, new[] { "values" }, new()
        {
            ["values"] = new(ListOf(Text), "The labels, in the order PostgreSQL sorts them."),
            ["doc"] = new(Text, "What the type means; it becomes the C# enum's documentation."),
        }),
        new Mapping("table", "A table.", TableKeys, new[] { "scope", "columns" }, new()
        {
            ["scope"] = new(OneOf(ScopeValues), "tenant: rows belong to one tenant (tenant_id is added first, keys lead with it); global: rows shared by all tenants."),
            ["doc"] = new(Text, "What a row is; it becomes the table's comment and the entity's documentation."),
            ["entity"] = new(Text, "The C# entity name, when the singular of the table name is not the one wanted."),
            ["append_only"] = new(Bool, "Rows are never updated nor deleted (no updated_at; the database refuses UPDATE and DELETE)."),
            ["queue"] = new(Either(Bool, Ref("queue")), "A tenant table of work that workers (narralytica_worker) claim across tenants: they may read, lock and update every tenant's rows of it. true: its columns have the conventional names; a mapping names them (a role left out keeps its conventional name) and may add a unique_key."),
            ["checkpoints"] = new(Either(Bool, Ref("checkpoints")), "The tenant table the pipeline stages keep their checkpoints in (one per schema): the generated scope.Checkpoints reads and advances them. true: its columns have the conventional names; a mapping names them (a role left out keeps its conventional name)."),
            ["quote"] = new(Bool, "Quote the table name in SQL (to use a reserved word)."),
            ["timestamps"] = new(Either(Bool, OneOf(TimestampsValues)), "created_at and updated_at (true, the default), created_at only (created), or neither (false)."),
            ["columns"] = new(MapOf(Either(Text, Ref("column"))), "The columns, by name: a type (text, varchar(64)?, an enum name…), or a mapping."),
            ["primary_key"] = new(Names, "The primary key's columns; without it, an id uuid column (a client-generated UUIDv7) is the key."),
            ["unique"] = new(ListOf(Either(Names, Ref("unique"))), "Unique constraints: column lists, or mappings with columns and name."),
            ["checks"] = new(MapOf(Text), "Check constraints, by name: a SQL boolean expression."),
            ["indexes"] = new(ListOf(Either(Names, Ref("index"))), "Indexes: column lists, or mappings with columns, name, unique, where, include and using."),
            ["renamed_from"] = new(Text, "The table's former name: the migration renames it instead of dropping and creating."),
            ["versions"] = new(Ref("versions"), "Rows are versions of one thing: 'of' names what they are versions of, 'by' the version column."),
            ["queries"] = new(MapOf(Ref("query")), "Generated query helpers, by name."),
            ["feeds"] = new(MapOf(Ref("feed")), "Generated rebuild feeds, by name: every row in key order, resumable."),
        }),
        new Mapping("column", "A column.", ColumnKeys, new[] { "type" }, new()
        {
            ["type"] = new(Text, "The PostgreSQL type (text, varchar(64), numeric(10,2), timestamptz, jsonb, an enum name, text[]…); a trailing ? makes it nullable."),
            ["nullable"] = new(Bool, "The column accepts NULL."),
            ["default"] = new(Text, "A SQL default expression, such as 0, now() or 'draft'."),
            ["doc"] = new(Text, "What the column holds; it becomes the column's comment and the property's documentation."),
            ["references"] = new(Text, "The table this column references (its primary key), or table(column)."),
            ["on_delete"] = new(OneOf(OnDeleteValues), "What deleting the referenced row does."),
            ["unique"] = new(Bool, "The column is unique (within a tenant, for a tenant-scoped table)."),
            ["check"] = new(Text, "A SQL boolean expression the column's value must satisfy."),
            ["max_bytes"] = new(PositiveInteger, "The largest value the column accepts, in bytes of its text (octet_length; a jsonb value's text form): a check constraint on text, varchar and jsonb."),
            ["quote"] = new(Bool, "Quote the column name in SQL (to use a reserved word)."),
            ["renamed_from"] = new(Text, "The column's former name: the migration renames it instead of dropping and adding."),
        }),
        new Mapping("index", "An index.", IndexKeys, new[] { "columns" }, new()
        {
            ["columns"] = new(Names, "The indexed columns (or expressions), in order."),
            ["name"] = new(Text, "The index name, when the generated one is not wanted."),
            ["unique"] = new(Bool, "A unique index."),
            ["where"] = new(Text, "A SQL predicate: a partial index."),
            ["include"] = new(Names, "Columns carried in the index leaves (a covering index)."),
            ["using"] = new(OneOf(IndexMethods), "The index method."),
        }),
        new Mapping("unique", "A unique constraint.", UniqueKeys, new[] { "columns" }, new()
        {
            ["columns"] = new(Names, "The columns that are unique together."),
            ["name"] = new(Text, "The constraint name, when the generated one is not wanted."),
        }),
        new Mapping("versions", "The versions of a table's rows.", VersionsKeys, new[] { "of", "by" }, new()
        {
            ["of"] = new(Names, "The columns rows of one thing share (e.g. segment_id, kind)."),
            ["by"] = new(Names, "The version column."),
        }),
        new Mapping("queue", "The columns of a queue, by role; a role left out is the column of the role's name.", QueueKeys, Array.Empty<string>(), new()
        {
            ["kind"] = new(Text, "The handler's name (text or varchar)."),
            ["payload"] = new(Text, "The handler's input (jsonb)."),
            ["status"] = new(Text, "queued, running, succeeded, failed or cancelled (an enum with these labels, or text)."),
            ["priority"] = new(Text, "Higher runs first within a tenant (smallint or integer)."),
            ["run_after"] = new(Text, "Not claimed before this time (timestamptz)."),
            ["attempts"] = new(Text, "Attempts started so far (integer)."),
            ["max_attempts"] = new(Text, "Attempts the job gets before it fails for good (integer)."),
            ["lease_owner"] = new(Text, "The worker holding the job while it runs (text or varchar, nullable)."),
            ["lease_expires_at"] = new(Text, "When the running job's lease ends without a heartbeat (timestamptz, nullable)."),
            ["started_at"] = new(Text, "When the last attempt started (timestamptz, nullable)."),
            ["finished_at"] = new(Text, "When the job ended (timestamptz, nullable)."),
            ["last_error"] = new(Text, "The last attempt's error (text or varchar, nullable)."),
            ["unique_key"] = new(Text, "Optional: a column (text or varchar) no two queued or running jobs of a tenant share; an enqueue with a key already waiting or running adds nothing. Needs a unique index on it WHERE status IN ('queued', 'running')."),
        }),
        new Mapping("checkpoints", "The columns of the pipeline checkpoints, by role; a role left out is the column of the role's name.", CheckpointKeys, Array.Empty<string>(), new()
        {
            ["pipeline"] = new(Text, "The pipeline's name (text or varchar)."),
            ["stage"] = new(Text, "The stage's name within its pipeline (text or varchar); unique with tenant_id and the pipeline."),
            ["position"] = new(Text, "The stage's resume cursor, kept as text (text or varchar)."),
            ["state"] = new(Text, "What else the stage carries along (jsonb)."),
            ["updated_at"] = new(Text, "When the stage last advanced (timestamptz)."),
        }),
        new Mapping("query", "A generated query helper.", QueryKeys, Array.Empty<string>(), new()
        {
            ["doc"] = new(Text, "What the helper answers; it becomes its documentation."),
            ["match"] = new(Names, "The columns compared with the helper's parameters."),
            ["many"] = new(Text, "The one match column compared with a set of values."),
            ["overlaps"] = new(Names, "A start and an end column: rows overlapping the window given to the helper."),
            ["order_by"] = new(Names, "The order of the rows."),
            ["latest"] = new(Bool, "Only the latest version of each thing (the table declares versions)."),
        }),
        new Mapping("feed", "A generated rebuild feed.", FeedKeys, new[] { "latest_of" }, new()
        {
            ["doc"] = new(Text, "What the feed is for; it becomes its documentation."),
            ["latest_of"] = new(Text, "The versioned table whose latest rows come with each row of this one."),
        }),
    };

    /// <summary>The JSON Schema text, deterministic, ending with a newline.</summary>
    public static string Write()
    {
        var mappings = Mappings();
        var json = new StringBuilder();
        json.Append("{\n");
        json.Append("  \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n");
        json.Append("  \"title\": ").Append(Quote("Narralytica schema.yaml")).Append(",\n");
        json.Append("  \"$comment\": ").Append(Quote("Written from the schema language's own vocabulary (Narralytica.Schema.Language.SchemaJsonSchema); do not edit: NARRALYTICA_WRITE_DOCS=1 dotnet test rewrites it.")).Append(",\n");
        var root = mappings.Single(m => m.Name == "root");
        WriteObject(json, root, "  ");
        json.Append(",\n  \"definitions\": {\n");
        var first = true;
        foreach (var mapping in mappings.Where(m => m != root))
        {
            if (!first) json.Append(",\n");
            first = false;
            json.Append("    ").Append(Quote(mapping.Name)).Append(": {\n");
            WriteObject(json, mapping, "      ");
            json.Append("\n    }");
        }
        json.Append("\n  }\n}\n");
        return json.ToString();
    }

    private static void WriteObject(StringBuilder json, Mapping mapping, string indent)
    {
        var missing = mapping.Keys.Where(k => !mapping.Shapes.ContainsKey(k)).ToList();
        var unknown = mapping.Shapes.Keys.Concat(mapping.Required).Where(k => !mapping.Keys.Contains(k)).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
            throw new InvalidOperationException(
                $"The JSON Schema of '{mapping.Name}' does not match the parser's keys: no shape for [{string.Join(", ", missing)}], shapes for unknown [{string.Join(", ", unknown)}].");
        json.Append(indent).Append("\"description\": ").Append(Quote(mapping.Description)).Append(",\n");
        json.Append(indent).Append("\"type\": \"object\",\n");
        if (mapping.Required.Length > 0)
            json.Append(indent).Append("\"required\": [").Append(string.Join(", ", mapping.Required.Select(Quote))).Append("],\n");
        json.Append(indent).Append("\"additionalProperties\": false,\n");
        json.Append(indent).Append("\"properties\": {\n");
        for (var i = 0; i < mapping.Keys.Count; i++)
        {
            var key = mapping.Keys[i];
            var shape = mapping.Shapes[key];
            // The description joins the shape's own keywords, so editors show it on hover.
            var body = shape.Shape.Substring(1, shape.Shape.Length - 2);
            json.Append(indent).Append("  ").Append(Quote(key)).Append(": {\"description\": ").Append(Quote(shape.Description)).Append(", ").Append(body).Append('}');
            json.Append(i + 1 < mapping.Keys.Count ? ",\n" : "\n");
        }
        json.Append(indent).Append('}');
    }

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                default:
                    if (c < ' ') quoted.Append("\\u").Append(((int)c).ToString("x4"));
                    else quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}
