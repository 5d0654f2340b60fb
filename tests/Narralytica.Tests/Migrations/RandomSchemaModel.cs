using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Narralytica.Schema.Sql;

namespace Narralytica.Tests.Migrations;

/// <summary>What a column holds: decides which defaults, checks and index predicates fit it.</summary>
internal enum TypeFamily
{
    Uuid,
    Text,
    Number,
    Boolean,

    /// <summary>timestamptz: kept apart from <see cref="Time"/> because a literal compared with it depends on the session's time zone.</summary>
    Instant,

    /// <summary>date and timestamp (without time zone).</summary>
    Time,
    Json,
    Bytes,
    Enum,
    Array,
}

/// <summary>A column type as schema.yaml writes it.</summary>
internal sealed record ColumnType(string Name, TypeFamily Family, int? Length = null)
{
    public string Written => Length is { } n ? $"{Name}({n})" : Name;

    /// <summary>Types used for keys, unique constraints and btree/hash index columns here (jsonb and arrays are left to gin).</summary>
    public bool IsKeyable => Family is not (TypeFamily.Json or TypeFamily.Array);

    public bool IsIntegral => Name is "smallint" or "integer" or "bigint";

    public static readonly ColumnType Uuid = new("uuid", TypeFamily.Uuid);
    public static readonly ColumnType Text = new("text", TypeFamily.Text);
    public static readonly ColumnType UnboundedVarchar = new("varchar", TypeFamily.Text);
    public static readonly ColumnType SmallInt = new("smallint", TypeFamily.Number);
    public static readonly ColumnType Integer = new("integer", TypeFamily.Number);
    public static readonly ColumnType BigInt = new("bigint", TypeFamily.Number);
    public static readonly ColumnType Boolean = new("boolean", TypeFamily.Boolean);
    public static readonly ColumnType Money = new("numeric(12,2)", TypeFamily.Number);
    public static readonly ColumnType Numeric = new("numeric", TypeFamily.Number);
    public static readonly ColumnType Real = new("real", TypeFamily.Number);
    public static readonly ColumnType Double = new("double precision", TypeFamily.Number);
    public static readonly ColumnType TimestampTz = new("timestamptz", TypeFamily.Instant);
    public static readonly ColumnType Timestamp = new("timestamp", TypeFamily.Time);
    public static readonly ColumnType Date = new("date", TypeFamily.Time);
    public static readonly ColumnType Jsonb = new("jsonb", TypeFamily.Json);
    public static readonly ColumnType Bytea = new("bytea", TypeFamily.Bytes);
    public static readonly ColumnType IntegerArray = new("integer[]", TypeFamily.Array);
    public static readonly ColumnType TextArray = new("text[]", TypeFamily.Array);

    public static ColumnType Varchar(int length) => new("varchar", TypeFamily.Text, length);

    public static ColumnType Char(int length) => new("char", TypeFamily.Text, length);

    public static ColumnType Enum(string name) => new(name, TypeFamily.Enum);
}

/// <summary>
/// A SQL boolean expression over columns of one table. It is kept as a template ({0}, {1}, … stand for
/// the columns) so that a column rename reaches it, and it knows the type family it was written for so
/// that a type change can tell whether it still fits.
/// </summary>
internal sealed record SqlExpr(string Template, IReadOnlyList<string> Columns, TypeFamily? Family)
{
    /// <summary>For an expression over an enum column: the enum and the labels it names.</summary>
    public string? Enum { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = Array.Empty<string>();

    public bool Uses(string column) => Columns.Contains(column);

    /// <summary>A null family is an expression valid for any type (<c>x IS NOT NULL</c>).</summary>
    public bool Fits(ColumnType type) => Family is null || Family == type.Family;

    public bool UsesLabel(string enumName, string label) => Enum == enumName && Labels.Contains(label);

    public SqlExpr WithColumnRenamed(string from, string to) => this with { Columns = Columns.Select(c => c == from ? to : c).ToList() };

    public string Sql => string.Format(CultureInfo.InvariantCulture, Template, Columns.Select(c => (object)SqlIdentifier.Quote(c)).ToArray());
}

internal sealed record ReferenceDraft(string Table, string? Column, string? OnDelete)
{
    public string Written => Column is null ? Table : $"{Table}.{Column}";

    /// <summary>Unwritten on_delete is no_action: two references differ only when their actions do.</summary>
    public string Action => OnDelete ?? "no_action";
}

internal sealed record ColumnDraft(string Name, ColumnType Type)
{
    public bool Nullable { get; init; }

    /// <summary>Nullability written as <c>nullable: true</c> instead of a trailing <c>?</c>.</summary>
    public bool NullableKey { get; init; }

    public string? Default { get; init; }
    public string? Doc { get; init; }
    public ReferenceDraft? References { get; init; }
    public bool Unique { get; init; }
    public SqlExpr? Check { get; init; }
    public bool Quote { get; init; }
    public string? RenamedFrom { get; init; }

    /// <summary>Written in the long form even when the short form would do.</summary>
    public bool LongForm { get; init; }
}

internal sealed record UniqueDraft(IReadOnlyList<string> Columns)
{
    /// <summary>Set: the long form with <c>name:</c>.</summary>
    public string? Name { get; init; }

    /// <summary>A single column written bare (<c>- code</c>) rather than as a list.</summary>
    public bool Bare { get; init; }
}

internal sealed record CheckDraft(string Name, SqlExpr Expression);

internal sealed record IndexColumnDraft(string Name, bool Descending = false, string? Nulls = null)
{
    public string Written => Name + (Descending ? " desc" : "") + (Nulls is null ? "" : " nulls " + Nulls);
}

internal sealed record IndexDraft(IReadOnlyList<IndexColumnDraft> Columns)
{
    public string? Name { get; init; }
    public bool Unique { get; init; }
    public SqlExpr? Where { get; init; }
    public IReadOnlyList<string> Include { get; init; } = Array.Empty<string>();
    public string Method { get; init; } = "btree";
    public bool LongForm { get; init; }

    public bool IsShortForm => !LongForm && Name is null && !Unique && Where is null && Include.Count == 0 && Method == "btree";

    /// <summary>What the default name <c>ix_&lt;table&gt;_&lt;columns&gt;</c> is made of; only unnamed indexes compete for it.</summary>
    public string? DefaultNameKey => Name is null ? string.Join("_", Columns.Select(c => c.Name)) : null;

    public bool Uses(string column) => Columns.Any(c => c.Name == column) || Include.Contains(column) || Where?.Uses(column) == true;

    public IndexDraft WithColumnRenamed(string from, string to) => this with
    {
        Columns = Columns.Select(c => c.Name == from ? c with { Name = to } : c).ToList(),
        Include = Include.Select(c => c == from ? to : c).ToList(),
        Where = Where?.WithColumnRenamed(from, to),
    };
}

internal sealed class EnumDraft
{
    public EnumDraft(string name) => Name = name;

    public string Name { get; }
    public List<string> Values { get; private init; } = new();
    public string? Doc { get; set; }

    /// <summary>Written as <c>{doc, values}</c>; a doc forces it.</summary>
    public bool LongForm { get; set; }

    /// <summary>Every label this enum has had, so an added label is never a removed one come back.</summary>
    public HashSet<string> UsedLabels { get; private init; } = new(StringComparer.Ordinal);

    public EnumDraft Clone() => new(Name)
    {
        Values = new List<string>(Values),
        Doc = Doc,
        LongForm = LongForm,
        UsedLabels = new HashSet<string>(UsedLabels, StringComparer.Ordinal),
    };
}

internal sealed class TableDraft
{
    public TableDraft(string name, bool tenant)
    {
        Name = name;
        Tenant = tenant;
    }

    public string Name { get; set; }
    public bool Tenant { get; }
    public string? RenamedFrom { get; set; }
    public string? Doc { get; set; }
    public bool Quote { get; init; }
    public bool AppendOnly { get; set; }

    /// <summary><c>true</c>, <c>created</c>, <c>false</c>, or null for the unwritten default.</summary>
    public string? Timestamps { get; init; }

    public List<ColumnDraft> Columns { get; private init; } = new();

    /// <summary>A declared composite key; null for the conventional <c>id</c>.</summary>
    public List<string>? PrimaryKey { get; set; }

    public List<UniqueDraft> Uniques { get; private init; } = new();
    public List<CheckDraft> Checks { get; private init; } = new();
    public List<IndexDraft> Indexes { get; private init; } = new();

    /// <summary>Every column name this table has had, so a new name never aliases an old one.</summary>
    public HashSet<string> UsedColumnNames { get; private init; } = new(StringComparer.Ordinal);

    public bool HasId => PrimaryKey is null;

    public ColumnDraft Column(string name) => Columns.First(c => c.Name == name);

    public int IndexOf(string column) => Columns.FindIndex(c => c.Name == column);

    public void Replace(ColumnDraft old, ColumnDraft updated) => Columns[Columns.IndexOf(old)] = updated;

    public void AddColumn(ColumnDraft column)
    {
        Columns.Add(column);
        UsedColumnNames.Add(column.Name);
    }

    /// <summary>The column sets already made unique, by a column's <c>unique: true</c>, a table unique or the key.</summary>
    public IEnumerable<string> UniqueSets()
        => Columns.Where(c => c.Unique).Select(c => c.Name)
            .Concat(Uniques.Select(u => string.Join(",", u.Columns)))
            .Concat(PrimaryKey is null ? Array.Empty<string>() : new[] { string.Join(",", PrimaryKey) });

    /// <summary>Every expression of the table: column checks, table checks and index predicates.</summary>
    public IEnumerable<SqlExpr> Expressions()
        => Columns.Select(c => c.Check).Concat(Checks.Select(c => c.Expression)).Concat(Indexes.Select(i => i.Where)).OfType<SqlExpr>();

    /// <summary>Renames a column everywhere the table names it: key, uniques, checks, indexes.</summary>
    public void RenameColumn(string from, string to)
    {
        var column = Column(from);
        Replace(column, column with { Name = to, RenamedFrom = from, Check = column.Check?.WithColumnRenamed(from, to) });
        UsedColumnNames.Add(to);
        PrimaryKey = PrimaryKey?.Select(c => c == from ? to : c).ToList();
        for (var i = 0; i < Uniques.Count; i++)
            Uniques[i] = Uniques[i] with { Columns = Uniques[i].Columns.Select(c => c == from ? to : c).ToList() };
        for (var i = 0; i < Checks.Count; i++)
            Checks[i] = Checks[i] with { Expression = Checks[i].Expression.WithColumnRenamed(from, to) };
        for (var i = 0; i < Indexes.Count; i++)
            Indexes[i] = Indexes[i].WithColumnRenamed(from, to);
    }

    public TableDraft Clone() => new(Name, Tenant)
    {
        RenamedFrom = RenamedFrom,
        Doc = Doc,
        Quote = Quote,
        AppendOnly = AppendOnly,
        Timestamps = Timestamps,
        Columns = new List<ColumnDraft>(Columns),
        PrimaryKey = PrimaryKey is null ? null : new List<string>(PrimaryKey),
        Uniques = new List<UniqueDraft>(Uniques),
        Checks = new List<CheckDraft>(Checks),
        Indexes = new List<IndexDraft>(Indexes),
        UsedColumnNames = new HashSet<string>(UsedColumnNames, StringComparer.Ordinal),
    };
}

internal sealed class SchemaDraft
{
    public const string TenantsTable = "tenants";

    public List<EnumDraft> Enums { get; private init; } = new();
    public List<TableDraft> Tables { get; private init; } = new();

    /// <summary>Every table and enum name the schema has had (they share PostgreSQL's type namespace).</summary>
    public HashSet<string> UsedNames { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Numbers the names written with <c>name:</c>, so they never collide.</summary>
    public int NameCounter { get; private set; }

    public string NextName(string prefix) => $"{prefix}_{++NameCounter}";

    public TableDraft? Table(string name) => Tables.FirstOrDefault(t => t.Name == name);

    public EnumDraft? Enum(string name) => Enums.FirstOrDefault(e => e.Name == name);

    public void Add(TableDraft table)
    {
        Tables.Add(table);
        UsedNames.Add(table.Name);
    }

    public void Add(EnumDraft enumDraft)
    {
        Enums.Add(enumDraft);
        UsedNames.Add(enumDraft.Name);
    }

    /// <summary>Renames a table, and every reference to it follows.</summary>
    public void RenameTable(TableDraft table, string name)
    {
        var old = table.Name;
        table.RenamedFrom = old;
        table.Name = name;
        UsedNames.Add(name);
        Repoint(old, null, r => r with { Table = name });
    }

    /// <summary>Renames a column, in its table and in every reference to it.</summary>
    public void RenameColumn(TableDraft table, string from, string to)
    {
        table.RenameColumn(from, to);
        Repoint(table.Name, from, r => r with { Column = to });
    }

    private void Repoint(string table, string? column, Func<ReferenceDraft, ReferenceDraft> change)
    {
        foreach (var (source, referencing) in ReferencesTo(table, column))
            source.Replace(referencing, referencing with { References = change(referencing.References!) });
    }

    /// <summary>The columns, in any table, whose reference targets <paramref name="table"/> (its key, or <paramref name="column"/> when given).</summary>
    public List<(TableDraft Table, ColumnDraft Column)> ReferencesTo(string table, string? column = null)
        => Tables.SelectMany(t => t.Columns.Where(c => c.References is { } r && r.Table == table && (column is null || r.Column == column)).Select(c => (t, c))).ToList();

    /// <summary>Whether an enum label is named by a default, check or index predicate.</summary>
    public bool LabelInUse(EnumDraft enumDraft, string label)
        => Tables.Any(t => t.Expressions().Any(e => e.UsesLabel(enumDraft.Name, label))
                           || t.Columns.Any(c => c.Type == ColumnType.Enum(enumDraft.Name) && c.Default == SqlIdentifier.Literal(label)));

    public SchemaDraft Clone() => new()
    {
        Enums = Enums.Select(e => e.Clone()).ToList(),
        Tables = Tables.Select(t => t.Clone()).ToList(),
        UsedNames = new HashSet<string>(UsedNames, StringComparer.Ordinal),
        NameCounter = NameCounter,
    };
}

/// <summary>Writes a <see cref="SchemaDraft"/> as schema.yaml text.</summary>
internal static class SchemaYaml
{
    public static string Render(SchemaDraft schema)
    {
        var yaml = new StringBuilder();
        if (schema.Enums.Count > 0)
        {
            yaml.Append("enums:\n");
            foreach (var enumDraft in schema.Enums)
                WriteEnum(yaml, enumDraft);
            yaml.Append('\n');
        }
        yaml.Append("tables:\n");
        foreach (var table in schema.Tables)
            WriteTable(yaml, table);
        return yaml.ToString();
    }

    private static void WriteEnum(StringBuilder yaml, EnumDraft enumDraft)
    {
        var values = FlowList(enumDraft.Values);
        if (!enumDraft.LongForm && enumDraft.Doc is null)
        {
            yaml.Append($"  {enumDraft.Name}: {values}\n");
            return;
        }
        yaml.Append($"  {enumDraft.Name}:\n");
        if (enumDraft.Doc is not null)
            yaml.Append($"    doc: {Quoted(enumDraft.Doc)}\n");
        yaml.Append($"    values: {values}\n");
    }

    private static void WriteTable(StringBuilder yaml, TableDraft table)
    {
        yaml.Append($"  {table.Name}:\n");
        if (table.RenamedFrom is not null)
            yaml.Append($"    renamed_from: {table.RenamedFrom}\n");
        yaml.Append($"    scope: {(table.Tenant ? "tenant" : "global")}\n");
        if (table.Doc is not null)
            yaml.Append($"    doc: {Quoted(table.Doc)}\n");
        if (table.Quote)
            yaml.Append("    quote: true\n");
        if (table.AppendOnly)
            yaml.Append("    append_only: true\n");
        if (table.Timestamps is not null)
            yaml.Append($"    timestamps: {table.Timestamps}\n");
        if (table.PrimaryKey is not null)
            yaml.Append($"    primary_key: {FlowList(table.PrimaryKey)}\n");
        yaml.Append("    columns:\n");
        foreach (var column in table.Columns)
            WriteColumn(yaml, column);
        if (table.Uniques.Count > 0)
        {
            yaml.Append("    unique:\n");
            foreach (var unique in table.Uniques)
            {
                if (unique.Name is not null)
                    yaml.Append($"      - columns: {FlowList(unique.Columns)}\n        name: {unique.Name}\n");
                else if (unique.Bare && unique.Columns.Count == 1)
                    yaml.Append($"      - {unique.Columns[0]}\n");
                else
                    yaml.Append($"      - {FlowList(unique.Columns)}\n");
            }
        }
        if (table.Checks.Count > 0)
        {
            yaml.Append("    checks:\n");
            foreach (var check in table.Checks)
                yaml.Append($"      {check.Name}: {Quoted(check.Expression.Sql)}\n");
        }
        if (table.Indexes.Count > 0)
        {
            yaml.Append("    indexes:\n");
            foreach (var index in table.Indexes)
                WriteIndex(yaml, index);
        }
        yaml.Append('\n');
    }

    private static void WriteColumn(StringBuilder yaml, ColumnDraft column)
    {
        var type = column.Type.Written + (column.Nullable && !column.NullableKey ? "?" : "");
        var shortForm = !column.LongForm && !(column.Nullable && column.NullableKey) && column.Default is null && column.Doc is null && column.References is null
                        && !column.Unique && column.Check is null && !column.Quote && column.RenamedFrom is null;
        if (shortForm)
        {
            yaml.Append($"      {column.Name}: {type}\n");
            return;
        }
        yaml.Append($"      {column.Name}:\n");
        yaml.Append($"        type: {type}\n");
        if (column.Nullable && column.NullableKey)
            yaml.Append("        nullable: true\n");
        if (column.RenamedFrom is not null)
            yaml.Append($"        renamed_from: {column.RenamedFrom}\n");
        if (column.Quote)
            yaml.Append("        quote: true\n");
        if (column.Default is not null)
            yaml.Append($"        default: {Quoted(column.Default)}\n");
        if (column.Doc is not null)
            yaml.Append($"        doc: {Quoted(column.Doc)}\n");
        if (column.References is { } reference)
        {
            yaml.Append($"        references: {reference.Written}\n");
            if (reference.OnDelete is not null)
                yaml.Append($"        on_delete: {reference.OnDelete}\n");
        }
        if (column.Unique)
            yaml.Append("        unique: true\n");
        if (column.Check is not null)
            yaml.Append($"        check: {Quoted(column.Check.Sql)}\n");
    }

    private static void WriteIndex(StringBuilder yaml, IndexDraft index)
    {
        var columns = FlowList(index.Columns.Select(c => c.Written));
        if (index.IsShortForm)
        {
            yaml.Append($"      - {columns}\n");
            return;
        }
        yaml.Append($"      - columns: {columns}\n");
        if (index.Name is not null)
            yaml.Append($"        name: {index.Name}\n");
        if (index.Unique)
            yaml.Append("        unique: true\n");
        if (index.Where is not null)
            yaml.Append($"        where: {Quoted(index.Where.Sql)}\n");
        if (index.Include.Count > 0)
            yaml.Append($"        include: {FlowList(index.Include)}\n");
        if (index.Method != "btree")
            yaml.Append($"        using: {index.Method}\n");
    }

    private static string FlowList(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";

    /// <summary>A double-quoted YAML scalar: SQL and prose hold quotes, colons and #, which plain scalars would misread.</summary>
    private static string Quoted(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
