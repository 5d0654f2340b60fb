using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Narralytica.Schema;
using Narralytica.Schema.Model;
using Narralytica.Schema.Naming;
using Narralytica.Schema.Sql;

namespace Narralytica.Tests.Migrations;

/// <summary>
/// Two schema.yaml texts for a migration test: <see cref="Before"/>, and <see cref="After"/> = Before
/// changed by <see cref="Edits"/>. The seed replays the pair exactly.
/// </summary>
public sealed record SchemaPair(int Seed, string Before, string After, IReadOnlyList<string> Edits)
{
    public override string ToString() => $"seed {Seed}: {string.Join("; ", Edits)}";
}

/// <summary>
/// Deterministic random pairs of schemas. Before uses the whole language across seeds; After applies
/// one to four edits of the kinds a migration differ must handle. Both always compile without
/// diagnostics, and every expression in them is valid PostgreSQL for its column types.
/// </summary>
public static class RandomSchemaPairs
{
    // Redraws are rare (a generated name colliding with another); the bound only stops a broken generator.
    private const int MaxAttempts = 50;

    public static SchemaPair Generate(int seed)
    {
        var random = new Random(seed);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var before = SchemaDrawer.Before(random);
            var beforeText = SchemaYaml.Render(before);
            if (!CompilesCleanly(beforeText))
                continue;
            for (var editAttempt = 0; editAttempt < MaxAttempts; editAttempt++)
            {
                var (after, edits) = SchemaEditor.Apply(random, before);
                var afterText = SchemaYaml.Render(after);
                if (afterText != beforeText && CompilesCleanly(afterText))
                    return new SchemaPair(seed, beforeText, afterText, edits);
            }
        }
        throw new InvalidOperationException($"seed {seed}: no schema pair that compiles after {MaxAttempts} attempts");
    }

    private static bool CompilesCleanly(string yaml)
    {
        var compilation = SchemaCompiler.Compile(yaml);
        return compilation.Model is not null && compilation.Diagnostics.Count == 0;
    }
}

/// <summary>Draws from a <see cref="Random"/>: every choice of the generator goes through the one seeded instance.</summary>
internal static class RandomChoices
{
    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static T OneOf<T>(this Random random, params T[] items) => items[random.Next(items.Length)];

    /// <summary><paramref name="count"/> distinct items, in random order.</summary>
    public static List<T> Sample<T>(this Random random, IReadOnlyList<T> items, int count)
    {
        var pool = items.ToList();
        var sample = new List<T>();
        while (sample.Count < count && pool.Count > 0)
        {
            var index = random.Next(pool.Count);
            sample.Add(pool[index]);
            pool.RemoveAt(index);
        }
        return sample;
    }
}

/// <summary>Draws the parts of a schema: the whole of Before, and whatever an edit adds to After.</summary>
internal sealed class SchemaDrawer
{
    private static readonly string[] TableNames =
    {
        "accounts", "projects", "documents", "invoices", "events", "notes", "tags", "files", "labels", "metrics",
        "sessions", "devices", "reports", "comments", "channels", "budgets", "contracts", "vendors", "shipments",
        "tickets", "teams", "votes", "badges", "alerts", "folders", "widgets", "recipes", "lessons",
    };

    // PostgreSQL reserved words: usable only with `quote: true`.
    private static readonly string[] ReservedTableNames = { "user", "order", "group" };
    private static readonly string[] ReservedColumnNames = { "order", "user", "group", "limit", "offset" };

    private static readonly string[] EnumNames = { "mood", "priority_level", "color", "visibility", "shape", "stage_kind", "tone", "weather" };

    private static readonly string[] Labels =
    {
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "omicron", "sigma", "omega",
    };

    // Prose with the characters YAML and SQL literals must carry through: quotes, colons, #.
    private static readonly string[] Docs =
    {
        "Who owns the row.",
        "Shown in lists; may be empty.",
        "Kept for audit: never rewritten.",
        "The customer's preferred value.",
        "Set by the importer, \"as delivered\".",
        "In milliseconds since the start.",
        "Filled in by job #2 every night.",
        "A short, human-readable label.",
    };

    private static readonly Dictionary<TypeFamily, string[]> ColumnNames = new()
    {
        [TypeFamily.Uuid] = new[] { "external_ref", "correlation_key", "trace_key", "batch_key" },
        [TypeFamily.Text] = new[] { "title", "code", "summary", "slug", "body", "caption", "handle", "locale", "country", "sku", "headline" },
        [TypeFamily.Number] = new[] { "score", "amount", "total", "quantity", "rank", "weight", "ratio", "position", "size_bytes", "duration_ms", "attempts", "price" },
        [TypeFamily.Boolean] = new[] { "active", "archived", "pinned", "visible", "verified", "featured" },
        [TypeFamily.Instant] = new[] { "starts_at", "ends_at", "seen_at", "logged_at", "expires_at", "published_at" },
        [TypeFamily.Time] = new[] { "due_on", "valid_from", "valid_until", "opened_on", "closed_on" },
        [TypeFamily.Json] = new[] { "payload", "settings", "attributes", "extra" },
        [TypeFamily.Bytes] = new[] { "digest", "blob_data", "thumbnail", "signature" },
        [TypeFamily.Enum] = new[] { "state", "kind", "category", "phase" },
        [TypeFamily.Array] = new[] { "keywords", "tag_ids", "aliases", "flags" },
    };

    private readonly Random _random;
    private readonly SchemaDraft _schema;

    public SchemaDrawer(Random random, SchemaDraft schema)
    {
        _random = random;
        _schema = schema;
    }

    /// <summary>
    /// A whole schema: one to three enums, the global <c>tenants</c> table and two to five other
    /// tables, each of which may reference the tables drawn before it (or itself).
    /// </summary>
    public static SchemaDraft Before(Random random)
    {
        var schema = new SchemaDraft();
        var draw = new SchemaDrawer(random, schema);
        for (var i = random.Next(1, 4); i > 0; i--)
            schema.Add(draw.Enum());
        schema.Add(draw.Table(SchemaDraft.TenantsTable, tenant: false));
        var count = random.Next(2, 6);
        var quotedAt = random.Chance(0.4) ? random.Next(count) : -1;
        for (var i = 0; i < count; i++)
        {
            var quoted = i == quotedAt;
            var name = quoted ? draw.FreshName(ReservedTableNames, "table") : draw.FreshTableName();
            schema.Add(draw.Table(name, tenant: random.Chance(0.65), quoted));
        }
        return schema;
    }

    public string FreshTableName() => FreshName(TableNames, "table");

    public string Doc() => _random.Pick(Docs);

    /// <summary>A doc different from <paramref name="old"/>: added, replaced or removed.</summary>
    public string? OtherDoc(string? old)
    {
        if (old is not null && _random.Chance(0.3))
            return null;
        return _random.Pick(Docs.Where(d => d != old).ToList());
    }

    public EnumDraft Enum()
    {
        var enumDraft = new EnumDraft(FreshName(EnumNames, "enum")) { LongForm = _random.Chance(0.5) };
        enumDraft.Doc = enumDraft.LongForm && _random.Chance(0.8) ? Doc() : null;
        foreach (var label in _random.Sample(Labels, _random.Next(2, 6)))
        {
            enumDraft.Values.Add(label);
            enumDraft.UsedLabels.Add(label);
        }
        return enumDraft;
    }

    public string FreshLabel(EnumDraft enumDraft)
    {
        var free = Labels.Where(l => !enumDraft.UsedLabels.Contains(l)).ToList();
        var label = free.Count > 0 ? _random.Pick(free) : _schema.NextName("label");
        enumDraft.UsedLabels.Add(label);
        return label;
    }

    public TableDraft Table(string name, bool tenant, bool quote = false)
    {
        var table = new TableDraft(name, tenant)
        {
            Quote = quote,
            Doc = _random.Chance(0.5) ? Doc() : null,
            AppendOnly = _random.Chance(0.2),
            Timestamps = _random.OneOf<string?>(null, "true", "created", "false"),
        };
        for (var i = _random.Next(2, 7); i > 0; i--)
            table.AddColumn(Column(table));
        if (_random.Chance(0.25))
            table.AddColumn(Column(table, _random.OneOf(ColumnType.Integer, ColumnType.Text), FreshName(table, ReservedColumnNames)) with { Quote = true });
        // tenants keeps the conventional id: every tenant_id references it.
        if (name != SchemaDraft.TenantsTable && _random.Chance(0.25))
            CompositeKey(table);
        for (var i = _random.Next(0, 3); i > 0; i--)
        {
            if (ReferenceColumn(table) is { } reference)
                table.AddColumn(reference);
        }
        foreach (var form in new[] { UniqueForm.List, UniqueForm.Bare, UniqueForm.Named })
        {
            if (_random.Chance(0.25) && Unique(table, form) is { } unique)
                table.Uniques.Add(unique);
        }
        for (var i = _random.Next(0, 3); i > 0; i--)
        {
            if (_random.Chance(0.5))
                table.Checks.Add(new CheckDraft(_schema.NextName("rule"), TableCheck(table)));
        }
        for (var i = _random.Next(0, 4); i > 0; i--)
        {
            if (Index(table) is { } index)
                table.Indexes.Add(index);
        }
        return table;
    }

    public ColumnType Type()
    {
        // integer, smallint, text and varchar(n) weigh double: the type-change edits start from them.
        var choice = _random.Next(_schema.Enums.Count > 0 ? 26 : 24);
        return choice switch
        {
            0 => ColumnType.Uuid,
            1 or 2 => ColumnType.Text,
            3 or 4 => ColumnType.Varchar(_random.OneOf(16, 32, 64, 255)),
            5 => ColumnType.UnboundedVarchar,
            6 => ColumnType.Char(_random.OneOf(2, 3)),
            7 or 8 => ColumnType.SmallInt,
            9 or 10 => ColumnType.Integer,
            11 => ColumnType.BigInt,
            12 => ColumnType.Boolean,
            13 => ColumnType.Money,
            14 => ColumnType.Numeric,
            15 => ColumnType.Real,
            16 => ColumnType.Double,
            17 => ColumnType.TimestampTz,
            18 => ColumnType.Timestamp,
            19 => ColumnType.Date,
            20 => ColumnType.Jsonb,
            21 => ColumnType.Bytea,
            22 => ColumnType.IntegerArray,
            23 => ColumnType.TextArray,
            _ => ColumnType.Enum(_random.Pick(_schema.Enums).Name),
        };
    }

    public ColumnDraft Column(TableDraft table, ColumnType? type = null, string? name = null)
    {
        type ??= Type();
        var nullable = _random.Chance(0.3);
        var column = new ColumnDraft(name ?? FreshColumnName(table, type.Family), type)
        {
            Nullable = nullable,
            NullableKey = nullable && _random.Chance(0.35),
            Default = _random.Chance(0.35) ? Default(type) : null,
            Doc = _random.Chance(0.25) ? Doc() : null,
            Unique = type.IsKeyable && _random.Chance(0.12),
            LongForm = _random.Chance(0.1),
        };
        return _random.Chance(0.2) ? column with { Check = Check(column) } : column;
    }

    public string FreshColumnName(TableDraft table, TypeFamily family) => FreshName(table, ColumnNames[family]);

    public static bool HasDefault(ColumnType type) => type.Family is not (TypeFamily.Uuid or TypeFamily.Bytes);

    /// <summary>A default valid for the type; null for uuid and bytea, which get none here.</summary>
    public string? Default(ColumnType type) => type.Family switch
    {
        TypeFamily.Number => type.IsIntegral ? _random.OneOf("0", "1", "42", "-1") : _random.OneOf("0", "1.5", "100"),
        // Short literals: a default longer than a char(n) or varchar(n) is refused by PostgreSQL.
        TypeFamily.Text => type.Name == "char" ? "'x'" : _random.OneOf("''", "'x'", "'none'"),
        TypeFamily.Boolean => _random.OneOf("true", "false"),
        TypeFamily.Instant => _random.OneOf("now()", "CURRENT_TIMESTAMP"),
        TypeFamily.Time => type == ColumnType.Date ? "CURRENT_DATE" : _random.OneOf("now()", "CURRENT_TIMESTAMP"),
        TypeFamily.Json => _random.OneOf("'{}'::jsonb", "'[]'::jsonb"),
        TypeFamily.Array => "'{}'",
        TypeFamily.Enum => SqlIdentifier.Literal(_random.Pick(EnumOf(type).Values)),
        _ => null,
    };

    /// <summary>A check on one column, valid for its type.</summary>
    public SqlExpr Check(ColumnDraft column)
    {
        var columns = new[] { column.Name };
        var family = column.Type.Family;
        if (_random.Chance(0.15))
            return new SqlExpr("{0} IS NOT NULL", columns, null);
        return family switch
        {
            TypeFamily.Number => new SqlExpr(_random.OneOf("{0} >= 0", "{0} > 0", "{0} BETWEEN 0 AND 1000", "{0} <> 7"), columns, family),
            TypeFamily.Text => new SqlExpr(_random.OneOf("length({0}) > 0", "{0} <> ''", "{0} = lower({0})"), columns, family),
            TypeFamily.Enum => EnumPredicate(column),
            TypeFamily.Json => new SqlExpr("jsonb_typeof({0}) = 'object'", columns, family),
            TypeFamily.Array => new SqlExpr("cardinality({0}) <= 100", columns, family),
            TypeFamily.Time => new SqlExpr("{0} >= '2000-01-01'", columns, family),
            _ => new SqlExpr("{0} IS NOT NULL", columns, null),
        };
    }

    /// <summary>A table check: an order between two number columns, or a one-column check.</summary>
    public SqlExpr TableCheck(TableDraft table)
    {
        var numbers = table.Columns.Where(c => c.Type.Family == TypeFamily.Number).ToList();
        if (numbers.Count >= 2 && _random.Chance(0.6))
        {
            var pair = _random.Sample(numbers, 2).Select(c => c.Name).ToList();
            return new SqlExpr(_random.OneOf("{0} <= {1}", "{0} + {1} >= 0"), pair, TypeFamily.Number);
        }
        return Check(_random.Pick(table.Columns));
    }

    /// <summary>An index predicate. Index predicates must be immutable, so no literal depends on the session's time zone.</summary>
    public SqlExpr Where(TableDraft table)
    {
        var column = _random.Pick(table.Columns);
        var columns = new[] { column.Name };
        return column.Type.Family switch
        {
            TypeFamily.Number when _random.Chance(0.5) => new SqlExpr("{0} > 0", columns, TypeFamily.Number),
            TypeFamily.Enum when _random.Chance(0.7) => EnumPredicate(column),
            _ => new SqlExpr("{0} IS NOT NULL", columns, null),
        };
    }

    private SqlExpr EnumPredicate(ColumnDraft column)
    {
        var enumDraft = EnumOf(column.Type);
        var labels = _random.Sample(enumDraft.Values, _random.Next(1, Math.Min(3, enumDraft.Values.Count) + 1));
        var literals = string.Join(", ", labels.Select(SqlIdentifier.Literal));
        var template = labels.Count == 1 && _random.Chance(0.5) ? $"{{0}} <> {literals}" : $"{{0}} IN ({literals})";
        return new SqlExpr(template, new[] { column.Name }, TypeFamily.Enum) { Enum = enumDraft.Name, Labels = labels };
    }

    public enum UniqueForm
    {
        Column,
        List,
        Bare,
        Named,
    }

    /// <summary>A new unique key of the given form over a column set not yet unique; null when there is none.</summary>
    public UniqueDraft? Unique(TableDraft table, UniqueForm form)
    {
        var keyable = table.Columns.Where(c => c.Type.IsKeyable).Select(c => c.Name).ToList();
        var size = form switch { UniqueForm.List => 2, UniqueForm.Named => _random.Next(1, 3), _ => 1 };
        if (keyable.Count < size)
            return null;
        var columns = _random.Sample(keyable, size);
        if (table.UniqueSets().Contains(string.Join(",", columns)))
            return null;
        return new UniqueDraft(columns)
        {
            Name = form == UniqueForm.Named ? _schema.NextName("uq_key") : null,
            Bare = form == UniqueForm.Bare,
        };
    }

    /// <summary>A btree, hash, gin or brin index, each with the options its method allows; null when the table has no column for it.</summary>
    public IndexDraft? Index(TableDraft table)
    {
        var choice = _random.Next(10);
        var index = choice switch
        {
            < 6 => Btree(table),
            < 8 => SingleColumn(table, "hash", t => t.IsKeyable),
            8 => SingleColumn(table, "gin", t => t.Family is TypeFamily.Json or TypeFamily.Array),
            _ => SingleColumn(table, "brin", t => t.Family == TypeFamily.Instant),
        };
        if (index is null)
            return null;
        // Two unnamed indexes on the same columns would get the same default name.
        if (index.Name is null && table.Indexes.Any(i => i.DefaultNameKey == index.DefaultNameKey))
            index = index with { Name = _schema.NextName("ix_custom") };
        return index;
    }

    private IndexDraft? Btree(TableDraft table)
    {
        var keyable = table.Columns.Where(c => c.Type.IsKeyable).Select(c => c.Name).ToList();
        if (keyable.Count == 0)
            return null;
        var columns = _random.Sample(keyable, _random.Next(1, Math.Min(3, keyable.Count) + 1));
        var spare = table.Columns.Select(c => c.Name).Except(columns).ToList();
        return new IndexDraft(columns.Select(IndexColumn).ToList())
        {
            Name = _random.Chance(0.35) ? _schema.NextName("ix_custom") : null,
            Unique = _random.Chance(0.2),
            Where = _random.Chance(0.3) ? Where(table) : null,
            Include = spare.Count > 0 && _random.Chance(0.25) ? new[] { _random.Pick(spare) } : Array.Empty<string>(),
            LongForm = _random.Chance(0.2),
        };
    }

    public IndexColumnDraft IndexColumn(string name)
        => new(name, _random.Chance(0.25), _random.Chance(0.25) ? _random.OneOf("first", "last") : null);

    private IndexDraft? SingleColumn(TableDraft table, string method, Func<ColumnType, bool> fits)
    {
        var candidates = table.Columns.Where(c => fits(c.Type)).Select(c => c.Name).ToList();
        // created_at (timestamptz) is there unless timestamps are off; a brin index on it is the typical one.
        if (method == "brin" && table.Timestamps != "false")
            candidates.Add("created_at");
        if (candidates.Count == 0)
            return null;
        return new IndexDraft(new[] { new IndexColumnDraft(_random.Pick(candidates)) })
        {
            Method = method,
            Name = _random.Chance(0.3) ? _schema.NextName("ix_custom") : null,
            Where = _random.Chance(0.2) ? Where(table) : null,
        };
    }

    /// <summary>The type of a column an index may name: a declared one, or a timestamps column.</summary>
    public static ColumnType TypeOf(TableDraft table, string column)
        => table.Columns.FirstOrDefault(c => c.Name == column)?.Type ?? ColumnType.TimestampTz;

    private void CompositeKey(TableDraft table)
    {
        var keyable = table.Columns.Where(c => c.Type.IsKeyable).ToList();
        if (keyable.Count < 2)
            return;
        var key = _random.Sample(keyable, _random.Next(2, Math.Min(3, keyable.Count) + 1));
        // A key column is NOT NULL in PostgreSQL whatever it is declared as; declare it so.
        foreach (var column in key)
            table.Replace(column, column with { Nullable = false, NullableKey = false });
        table.PrimaryKey = key.Select(c => c.Name).ToList();
    }

    /// <summary>
    /// What a column of <paramref name="type"/> (any type when null) in <paramref name="source"/> may
    /// reference: a table's id, or a column with <c>unique: true</c>. A global table never references a tenant table.
    /// </summary>
    private List<(TableDraft Table, ColumnDraft? Column)> Targets(TableDraft source, ColumnType? type, string? exceptColumn)
    {
        var tables = _schema.Tables.Contains(source) ? _schema.Tables : _schema.Tables.Append(source).ToList();
        var targets = new List<(TableDraft, ColumnDraft?)>();
        foreach (var target in tables.Where(t => source.Tenant || !t.Tenant))
        {
            if (target.HasId && (type is null || type == ColumnType.Uuid))
                targets.Add((target, null));
            foreach (var column in target.Columns.Where(c => c.Unique && (type is null || c.Type == type)))
            {
                if (!(target == source && column.Name == exceptColumn))
                    targets.Add((target, column));
            }
        }
        return targets;
    }

    public bool CanReference(TableDraft source, ColumnDraft column) => Targets(source, column.Type, column.Name).Count > 0;

    /// <summary>A reference for an existing column; null when no key has its type.</summary>
    public ReferenceDraft? Reference(TableDraft source, ColumnDraft column)
    {
        var targets = Targets(source, column.Type, column.Name);
        if (targets.Count == 0)
            return null;
        var (target, targetColumn) = _random.Pick(targets);
        return new ReferenceDraft(target.Name, targetColumn?.Name, OnDelete(target, column.Nullable));
    }

    /// <summary>A new column referencing some table's key, named after it (<c>project_id</c>, <c>user_code</c>).</summary>
    public ColumnDraft? ReferenceColumn(TableDraft source)
    {
        var targets = Targets(source, null, null);
        if (targets.Count == 0)
            return null;
        var (target, targetColumn) = _random.Pick(targets);
        var stem = $"{ClrNaming.Singular(target.Name)}_{targetColumn?.Name ?? "id"}";
        if (stem == "tenant_id")
            stem = "home_tenant_id"; // tenant_id is the convention's column
        var name = stem;
        // sessions.user gives session_user, a reserved word.
        for (var n = 2; source.UsedColumnNames.Contains(name) || SqlIdentifier.IsReserved(name); n++)
            name = $"{stem}_{n}";
        var nullable = _random.Chance(0.4);
        return new ColumnDraft(name, targetColumn?.Type ?? ColumnType.Uuid)
        {
            Nullable = nullable,
            NullableKey = nullable && _random.Chance(0.3),
            Doc = _random.Chance(0.2) ? Doc() : null,
            References = new ReferenceDraft(target.Name, targetColumn?.Name, OnDelete(target, nullable)),
        };
    }

    /// <summary>
    /// An on_delete action, sometimes left unwritten. SET NULL only where the key holds no tenant_id:
    /// towards a global table, from a nullable column.
    /// </summary>
    public string? OnDelete(TableDraft target, bool nullable)
    {
        var actions = new List<string?> { null, "no_action", "restrict", "cascade" };
        if (nullable && !target.Tenant)
            actions.AddRange(new[] { "set_null", "set_null" });
        return _random.Pick(actions);
    }

    private EnumDraft EnumOf(ColumnType type) => _schema.Enum(type.Name) ?? throw new InvalidOperationException($"no enum {type.Name}");

    public string FreshName(IReadOnlyList<string> pool, string fallbackPrefix)
    {
        var free = pool.Where(n => !_schema.UsedNames.Contains(n)).ToList();
        return free.Count > 0 ? _random.Pick(free) : _schema.NextName(fallbackPrefix);
    }

    private string FreshName(TableDraft table, IReadOnlyList<string> pool)
    {
        var free = pool.Where(n => !table.UsedColumnNames.Contains(n)).ToList();
        return free.Count > 0 ? _random.Pick(free) : _schema.NextName("column");
    }
}

/// <summary>The changes After may make to Before; each is named in <see cref="SchemaPair.Edits"/> by its kebab-case label.</summary>
internal enum EditKind
{
    AddTable,
    DropTable,
    RenameTable,
    AddNullableColumn,
    AddColumnWithDefault,
    AddNotNullColumn,
    DropColumn,
    RenameColumn,
    IntegerToBigint,
    SmallintToInteger,
    WidenVarchar,
    VarcharToText,
    TextToVarchar,
    IntegerToText,
    TextToInteger,
    IntegerToNumeric,
    NarrowVarchar,
    BigintToInteger,
    MoneyToInteger,
    MakeNullable,
    MakeNotNull,
    SetDefault,
    DropDefault,
    ChangeDefault,
    ChangeTableDoc,
    FlipAppendOnly,
    ChangeColumnDoc,
    ChangeEnumDoc,
    AddUnique,
    DropUnique,
    AddCheck,
    DropCheck,
    ChangeCheck,
    AddReference,
    DropReference,
    ChangeOnDelete,
    AddIndex,
    DropIndex,
    ChangeIndexColumns,
    ChangeIndexOrder,
    ChangeIndexDirection,
    ChangeIndexWhere,
    ChangeIndexInclude,
    ChangeIndexMethod,
    ChangeIndexUnique,
    ChangePrimaryKey,
    AddEnumValueAtEnd,
    AddEnumValueInMiddle,
    RemoveEnumValue,
    AddEnum,
    DropEnum,
}

/// <summary>
/// Applies random edits to a copy of Before. Each edit keeps the schema valid: what a dropped or
/// renamed column is named by goes or follows, and expressions that no longer fit a type are dropped.
/// A renamed table changes in nothing else, and only tables and columns that Before had are renamed.
/// </summary>
internal sealed class SchemaEditor
{
    private static readonly EditKind[] Kinds = System.Enum.GetValues<EditKind>();

    private readonly Random _random;
    private readonly SchemaDraft _schema;
    private readonly SchemaDrawer _draw;
    private readonly List<string> _edits = new();
    private readonly HashSet<TableDraft> _touched = new();
    private readonly HashSet<TableDraft> _addedTables = new();
    private readonly HashSet<EnumDraft> _addedEnums = new();
    private readonly HashSet<(TableDraft, string)> _addedColumns = new();

    private SchemaEditor(Random random, SchemaDraft schema)
    {
        _random = random;
        _schema = schema;
        _draw = new SchemaDrawer(random, schema);
    }

    public static (SchemaDraft After, List<string> Edits) Apply(Random random, SchemaDraft before)
    {
        var editor = new SchemaEditor(random, before.Clone());
        var wanted = random.Next(1, 5);
        // A kind that does not apply to this schema (no smallint column to widen, …) is drawn again.
        for (var attempt = 0; editor._edits.Count < wanted && attempt < 1000; attempt++)
        {
            var kind = random.Pick(Kinds);
            if (editor.TryApply(kind) is { } description)
                editor._edits.Add($"{Label(kind)}: {description}");
        }
        return (editor._schema, editor._edits);
    }

    /// <summary>The kind's name as it leads an edit's description: <c>IntegerToBigint</c> → <c>integer-to-bigint</c>.</summary>
    public static string Label(EditKind kind)
    {
        var name = kind.ToString();
        var label = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && label.Length > 0)
                label.Append('-');
            label.Append(char.ToLowerInvariant(c));
        }
        return label.ToString();
    }

    private string? TryApply(EditKind kind) => kind switch
    {
        EditKind.AddTable => AddTable(),
        EditKind.DropTable => DropTable(),
        EditKind.RenameTable => RenameTable(),
        EditKind.AddNullableColumn or EditKind.AddColumnWithDefault or EditKind.AddNotNullColumn => AddColumn(kind),
        EditKind.DropColumn => DropColumn(),
        EditKind.RenameColumn => RenameColumn(),
        EditKind.IntegerToBigint or EditKind.SmallintToInteger or EditKind.WidenVarchar or EditKind.VarcharToText
            or EditKind.TextToVarchar or EditKind.IntegerToText or EditKind.TextToInteger
            or EditKind.IntegerToNumeric or EditKind.NarrowVarchar or EditKind.BigintToInteger or EditKind.MoneyToInteger => ChangeType(kind),
        EditKind.MakeNullable => MakeNullable(),
        EditKind.MakeNotNull => MakeNotNull(),
        EditKind.SetDefault => SetDefault(),
        EditKind.DropDefault => DropDefault(),
        EditKind.ChangeDefault => ChangeDefault(),
        EditKind.ChangeTableDoc => ChangeTableDoc(),
        EditKind.FlipAppendOnly => FlipAppendOnly(),
        EditKind.ChangeColumnDoc => ChangeColumnDoc(),
        EditKind.ChangeEnumDoc => ChangeEnumDoc(),
        EditKind.AddUnique => AddUnique(),
        EditKind.DropUnique => DropUnique(),
        EditKind.AddCheck => AddCheck(),
        EditKind.DropCheck => DropCheck(),
        EditKind.ChangeCheck => ChangeCheck(),
        EditKind.AddReference => AddReference(),
        EditKind.DropReference => DropReference(),
        EditKind.ChangeOnDelete => ChangeOnDelete(),
        EditKind.AddIndex => AddIndex(),
        EditKind.DropIndex => DropIndex(),
        EditKind.ChangeIndexColumns or EditKind.ChangeIndexOrder or EditKind.ChangeIndexDirection or EditKind.ChangeIndexWhere
            or EditKind.ChangeIndexInclude or EditKind.ChangeIndexMethod or EditKind.ChangeIndexUnique => ChangeIndex(kind),
        EditKind.ChangePrimaryKey => ChangePrimaryKey(),
        EditKind.AddEnumValueAtEnd or EditKind.AddEnumValueInMiddle => AddEnumValue(kind),
        EditKind.RemoveEnumValue => RemoveEnumValue(),
        EditKind.AddEnum => AddEnum(),
        EditKind.DropEnum => DropEnum(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    // ── Tables ──────────────────────────────────────────────────────────────

    /// <summary>A table renamed in After keeps everything else, so the rename is the only thing to find.</summary>
    private static bool Editable(TableDraft table) => table.RenamedFrom is null;

    private List<TableDraft> EditableTables() => _schema.Tables.Where(Editable).ToList();

    private List<(TableDraft Table, ColumnDraft Column)> EditableColumns(Func<TableDraft, ColumnDraft, bool> where)
        => _schema.Tables.Where(Editable).SelectMany(t => t.Columns.Where(c => where(t, c)).Select(c => (t, c))).ToList();

    private string AddTable()
    {
        var table = _draw.Table(_draw.FreshTableName(), tenant: _random.Chance(0.6));
        _schema.Add(table);
        _addedTables.Add(table);
        return $"add {(table.Tenant ? "tenant" : "global")} table {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))})";
    }

    private string? DropTable()
    {
        var candidates = _schema.Tables.Where(t => t.Name != SchemaDraft.TenantsTable && Editable(t) && !_addedTables.Contains(t)
                                                   && _schema.ReferencesTo(t.Name).All(r => r.Table == t || Editable(r.Table))).ToList();
        if (candidates.Count == 0)
            return null;
        var table = _random.Pick(candidates);
        var cut = _schema.ReferencesTo(table.Name).Where(r => r.Table != table).ToList();
        foreach (var (source, column) in cut)
        {
            source.Replace(column, column with { References = null });
            _touched.Add(source);
        }
        _schema.Tables.Remove(table);
        return $"drop table {table.Name}" + (cut.Count == 0 ? "" : $", and the references to it from {string.Join(", ", cut.Select(r => $"{r.Table.Name}.{r.Column.Name}"))}");
    }

    private string? RenameTable()
    {
        var candidates = _schema.Tables.Where(t => t.Name != SchemaDraft.TenantsTable && Editable(t)
                                                   && !_addedTables.Contains(t) && !_touched.Contains(t)).ToList();
        if (candidates.Count == 0)
            return null;
        var table = _random.Pick(candidates);
        var old = table.Name;
        _schema.RenameTable(table, _draw.FreshTableName());
        return $"rename table {old} to {table.Name} (renamed_from: {old})";
    }

    private string ChangeTableDoc()
    {
        var table = _random.Pick(EditableTables());
        var old = table.Doc;
        table.Doc = _draw.OtherDoc(old);
        _touched.Add(table);
        return $"table {table.Name} doc {Describe(old)} → {Describe(table.Doc)}";
    }

    /// <summary>Changes the application role's UPDATE and DELETE on the table (and, with timestamps unwritten, its updated_at).</summary>
    private string FlipAppendOnly()
    {
        var table = _random.Pick(EditableTables());
        table.AppendOnly = !table.AppendOnly;
        _touched.Add(table);
        return $"table {table.Name} append_only {(!table.AppendOnly).ToString().ToLowerInvariant()} → {table.AppendOnly.ToString().ToLowerInvariant()}";
    }

    private string? ChangePrimaryKey()
    {
        var tables = EditableTables().Where(t => t.PrimaryKey is not null).ToList();
        if (tables.Count == 0)
            return null;
        var table = _random.Pick(tables);
        var key = table.PrimaryKey!;
        var spare = table.Columns.Where(c => c.Type.IsKeyable && !c.Nullable && !key.Contains(c.Name)).Select(c => c.Name).ToList();
        var old = string.Join(", ", key);
        var change = _random.Next(3);
        if (change == 1 && spare.Count > 0)
        {
            table.PrimaryKey = key.Append(_random.Pick(spare)).ToList();
        }
        else if (change == 2 && key.Count > 2)
        {
            var removed = _random.Pick(key);
            table.PrimaryKey = key.Where(c => c != removed).ToList();
        }
        else
        {
            table.PrimaryKey = key.Skip(1).Append(key[0]).ToList();
        }
        _touched.Add(table);
        return $"primary key of {table.Name} ({old}) → ({string.Join(", ", table.PrimaryKey)})";
    }

    // ── Columns ─────────────────────────────────────────────────────────────

    private string AddColumn(EditKind kind)
    {
        var table = _random.Pick(EditableTables());
        var type = _draw.Type();
        string? value = null;
        if (kind == EditKind.AddColumnWithDefault)
        {
            while (!SchemaDrawer.HasDefault(type))
                type = _draw.Type();
            value = _draw.Default(type);
        }
        var nullable = kind == EditKind.AddNullableColumn;
        var column = new ColumnDraft(_draw.FreshColumnName(table, type.Family), type)
        {
            Nullable = nullable,
            NullableKey = nullable && _random.Chance(0.5),
            Default = value,
            Doc = _random.Chance(0.3) ? _draw.Doc() : null,
        };
        table.AddColumn(column);
        _addedColumns.Add((table, column.Name));
        _touched.Add(table);
        return $"add column {table.Name}.{Describe(column)}";
    }

    private string? DropColumn()
    {
        var candidates = EditableColumns((t, c) => t.Columns.Count >= 2 && t.PrimaryKey?.Contains(c.Name) != true
                                                   && _schema.ReferencesTo(t.Name, c.Name).All(r => Editable(r.Table)));
        if (candidates.Count == 0)
            return null;
        var (table, column) = _random.Pick(candidates);
        var gone = new List<string>();
        foreach (var (source, referencing) in _schema.ReferencesTo(table.Name, column.Name))
        {
            source.Replace(referencing, referencing with { References = null });
            _touched.Add(source);
            gone.Add($"the reference from {source.Name}.{referencing.Name}");
        }
        table.Columns.Remove(table.Column(column.Name));
        gone.AddRange(table.Uniques.Where(u => u.Columns.Contains(column.Name)).Select(u => $"unique ({string.Join(", ", u.Columns)})"));
        table.Uniques.RemoveAll(u => u.Columns.Contains(column.Name));
        gone.AddRange(table.Checks.Where(k => k.Expression.Uses(column.Name)).Select(k => $"check {k.Name}"));
        table.Checks.RemoveAll(k => k.Expression.Uses(column.Name));
        gone.AddRange(table.Indexes.Where(i => i.Uses(column.Name)).Select(i => $"index ({string.Join(", ", i.Columns.Select(c => c.Written))})"));
        table.Indexes.RemoveAll(i => i.Uses(column.Name));
        _touched.Add(table);
        return $"drop column {table.Name}.{column.Name}" + (gone.Count == 0 ? "" : $", with {string.Join(", ", gone)}");
    }

    private string? RenameColumn()
    {
        var candidates = EditableColumns((t, c) => !_addedTables.Contains(t) && !_addedColumns.Contains((t, c.Name)) && c.RenamedFrom is null);
        if (candidates.Count == 0)
            return null;
        var (table, column) = _random.Pick(candidates);
        var name = _draw.FreshColumnName(table, column.Type.Family);
        _schema.RenameColumn(table, column.Name, name);
        _touched.Add(table);
        return $"rename column {table.Name}.{column.Name} to {name} (renamed_from: {column.Name})";
    }

    private static bool Converts(EditKind kind, ColumnType type) => kind switch
    {
        EditKind.IntegerToBigint or EditKind.IntegerToText or EditKind.IntegerToNumeric => type == ColumnType.Integer,
        EditKind.SmallintToInteger => type == ColumnType.SmallInt,
        EditKind.BigintToInteger => type == ColumnType.BigInt,
        EditKind.MoneyToInteger => type == ColumnType.Money,
        EditKind.WidenVarchar or EditKind.VarcharToText => type.Name == "varchar" && type.Length is not null,
        EditKind.NarrowVarchar => type.Name == "varchar" && type.Length is >= 2,
        EditKind.TextToVarchar or EditKind.TextToInteger => type == ColumnType.Text,
        _ => false,
    };

    private ColumnType Converted(EditKind kind, ColumnType type) => kind switch
    {
        EditKind.IntegerToBigint => ColumnType.BigInt,
        EditKind.SmallintToInteger or EditKind.TextToInteger or EditKind.BigintToInteger or EditKind.MoneyToInteger => ColumnType.Integer,
        EditKind.IntegerToNumeric => ColumnType.Numeric,
        EditKind.NarrowVarchar => ColumnType.Varchar(type.Length!.Value / 2),
        EditKind.WidenVarchar => ColumnType.Varchar(type.Length!.Value * _random.OneOf(2, 4)),
        EditKind.VarcharToText or EditKind.IntegerToText => ColumnType.Text,
        EditKind.TextToVarchar => ColumnType.Varchar(_random.OneOf(16, 64, 255)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// Changes a column's type. A column in a reference keeps its type (both ends must stay equal);
    /// text becomes integer only when no default, check or predicate reads it as text. Expressions
    /// that no longer fit are dropped, and a number default becomes a string for a text column.
    /// </summary>
    private string? ChangeType(EditKind kind)
    {
        var candidates = EditableColumns((t, c) => Converts(kind, c.Type) && c.References is null && _schema.ReferencesTo(t.Name, c.Name).Count == 0
                                                   && (kind != EditKind.TextToInteger || c.Default is null && !t.Expressions().Any(e => e.Uses(c.Name))));
        if (candidates.Count == 0)
            return null;
        var (table, column) = _random.Pick(candidates);
        var type = Converted(kind, column.Type);
        var gone = new List<string>();
        var changed = column with { Type = type };
        if (changed.Check is { } check && !check.Fits(type))
        {
            changed = changed with { Check = null };
            gone.Add("its check");
        }
        if (changed.Default is { } value && type.Family != column.Type.Family)
            changed = changed with { Default = type.Family == TypeFamily.Text ? SqlIdentifier.Literal(value) : null };
        table.Replace(column, changed);
        gone.AddRange(table.Checks.Where(k => k.Expression.Uses(column.Name) && !k.Expression.Fits(type)).Select(k => $"check {k.Name}"));
        table.Checks.RemoveAll(k => k.Expression.Uses(column.Name) && !k.Expression.Fits(type));
        for (var i = 0; i < table.Indexes.Count; i++)
        {
            if (table.Indexes[i].Where is { } where && where.Uses(column.Name) && !where.Fits(type))
            {
                gone.Add($"the predicate of index ({string.Join(", ", table.Indexes[i].Columns.Select(c => c.Written))})");
                table.Indexes[i] = table.Indexes[i] with { Where = null };
            }
        }
        _touched.Add(table);
        return $"type of {table.Name}.{column.Name} {column.Type.Written} → {type.Written}" + (gone.Count == 0 ? "" : $", dropping {string.Join(", ", gone)}");
    }

    private string? MakeNullable()
    {
        var candidates = EditableColumns((t, c) => !c.Nullable && t.PrimaryKey?.Contains(c.Name) != true);
        if (candidates.Count == 0)
            return null;
        var (table, column) = _random.Pick(candidates);
        table.Replace(column, column with { Nullable = true, NullableKey = _random.Chance(0.5) });
        _touched.Add(table);
        return $"{table.Name}.{column.Name} becomes nullable";
    }

    private string? MakeNotNull()
    {
        var candidates = EditableColumns((_, c) => c.Nullable);
        if (candidates.Count == 0)
            return null;
        var (table, column) = _random.Pick(candidates);
        table.Replace(column, column with { Nullable = false });
        _touched.Add(table);
        return $"{table.Name}.{column.Name} becomes NOT NULL";
    }

    private string? SetDefault()
    {
        var candidates = EditableColumns((_, c) => c.Default is null && c.References is null && SchemaDrawer.HasDefault(c.Type));
        if (candidates.Count == 0)
            return null;
        var (table, column) = _random.Pick(candidates);
        var value = _draw.Default(column.Type);
        table.Replace(column, column with { Default = value });
        _touched.Add(table);
        return $"{table.Name}.{column.Name} gets DEFAULT {value}";
    }

    private string? DropDefault()
    {
        var candidates = EditableColumns((_, c) => c.Default is not null);
        if (candidates.Count == 0)
            return null;
        var (table, column) = _random.Pick(candidates);
        table.Replace(column, column with { Default = null });
        _touched.Add(table);
        return $"{table.Name}.{column.Name} loses DEFAULT {column.Default}";
    }

    private string? ChangeDefault()
    {
        var candidates = EditableColumns((_, c) => c.Default is not null && c.References is null);
        if (candidates.Count == 0)
            return null;
        var (table, column) = _random.Pick(candidates);
        // Some types have few defaults (an array has one): give up when no other is drawn.
        var value = Enumerable.Range(0, 10).Select(_ => _draw.Default(column.Type)).FirstOrDefault(v => v != column.Default);
        if (value is null)
            return null;
        table.Replace(column, column with { Default = value });
        _touched.Add(table);
        return $"{table.Name}.{column.Name} DEFAULT {column.Default} → {value}";
    }

    private string ChangeColumnDoc()
    {
        var candidates = EditableColumns((_, _) => true);
        var (table, column) = _random.Pick(candidates);
        var doc = _draw.OtherDoc(column.Doc);
        table.Replace(column, column with { Doc = doc });
        _touched.Add(table);
        return $"{table.Name}.{column.Name} doc {Describe(column.Doc)} → {Describe(doc)}";
    }

    // ── Constraints ─────────────────────────────────────────────────────────

    private string? AddUnique()
    {
        var table = _random.Pick(EditableTables());
        var form = _random.Pick(System.Enum.GetValues<SchemaDrawer.UniqueForm>());
        var unique = _draw.Unique(table, form);
        if (unique is null)
            return null;
        if (form == SchemaDrawer.UniqueForm.Column)
        {
            var column = table.Column(unique.Columns[0]);
            table.Replace(column, column with { Unique = true });
            _touched.Add(table);
            return $"{table.Name}.{column.Name} becomes unique: true";
        }
        table.Uniques.Add(unique);
        _touched.Add(table);
        return $"add unique ({string.Join(", ", unique.Columns)}) to {table.Name}" + (unique.Name is null ? "" : $" named {unique.Name}");
    }

    private string? DropUnique()
    {
        var options = new List<(TableDraft Table, Func<string?> Apply)>();
        foreach (var table in EditableTables())
        {
            // unique: true on a column another references is what makes it a key: it stays.
            foreach (var column in table.Columns.Where(c => c.Unique && _schema.ReferencesTo(table.Name, c.Name).Count == 0))
            {
                options.Add((table, () =>
                {
                    table.Replace(column, column with { Unique = false });
                    return $"{table.Name}.{column.Name} loses unique: true";
                }));
            }
            foreach (var unique in table.Uniques)
            {
                options.Add((table, () =>
                {
                    table.Uniques.Remove(unique);
                    return $"drop unique ({string.Join(", ", unique.Columns)}) of {table.Name}";
                }));
            }
        }
        return ApplyOne(options);
    }

    private string AddCheck()
    {
        var table = _random.Pick(EditableTables());
        var columns = table.Columns.Where(c => c.Check is null).ToList();
        if (columns.Count > 0 && _random.Chance(0.5))
        {
            var column = _random.Pick(columns);
            var check = _draw.Check(column);
            table.Replace(column, column with { Check = check });
            _touched.Add(table);
            return $"{table.Name}.{column.Name} gets check {check.Sql}";
        }
        var added = new CheckDraft(_schema.NextName("rule"), _draw.TableCheck(table));
        table.Checks.Add(added);
        _touched.Add(table);
        return $"add check {added.Name} ({added.Expression.Sql}) to {table.Name}";
    }

    private string? DropCheck()
    {
        var options = new List<(TableDraft Table, Func<string?> Apply)>();
        foreach (var table in EditableTables())
        {
            foreach (var column in table.Columns.Where(c => c.Check is not null))
            {
                options.Add((table, () =>
                {
                    table.Replace(column, column with { Check = null });
                    return $"{table.Name}.{column.Name} loses check {column.Check!.Sql}";
                }));
            }
            foreach (var check in table.Checks)
            {
                options.Add((table, () =>
                {
                    table.Checks.Remove(check);
                    return $"drop check {check.Name} of {table.Name}";
                }));
            }
        }
        return ApplyOne(options);
    }

    private string? ChangeCheck()
    {
        var options = new List<(TableDraft Table, Func<string?> Apply)>();
        foreach (var table in EditableTables())
        {
            foreach (var column in table.Columns.Where(c => c.Check is not null))
            {
                options.Add((table, () =>
                {
                    var check = Different(column.Check!, () => _draw.Check(column));
                    if (check.Sql == column.Check!.Sql)
                        return null;
                    table.Replace(column, column with { Check = check });
                    return $"{table.Name}.{column.Name} check {column.Check.Sql} → {check.Sql}";
                }));
            }
            foreach (var check in table.Checks.ToList())
            {
                options.Add((table, () =>
                {
                    var expression = Different(check.Expression, () => _draw.TableCheck(table));
                    if (expression.Sql == check.Expression.Sql)
                        return null;
                    table.Checks[table.Checks.IndexOf(check)] = check with { Expression = expression };
                    return $"check {check.Name} of {table.Name} {check.Expression.Sql} → {expression.Sql}";
                }));
            }
        }
        return ApplyOne(options);
    }

    /// <summary>A freshly drawn expression, different from <paramref name="old"/> when ten draws can find one.</summary>
    private static SqlExpr Different(SqlExpr old, Func<SqlExpr> draw)
    {
        var next = draw();
        for (var i = 0; i < 10 && next.Sql == old.Sql; i++)
            next = draw();
        return next;
    }

    private string? AddReference()
    {
        var existing = EditableColumns((t, c) => c.References is null && _draw.CanReference(t, c));
        if (existing.Count > 0 && _random.Chance(0.5))
        {
            var (table, column) = _random.Pick(existing);
            var reference = _draw.Reference(table, column)!;
            table.Replace(column, column with { References = reference });
            _touched.Add(table);
            return $"{table.Name}.{column.Name} references {reference.Written}" + (reference.OnDelete is null ? "" : $" on_delete {reference.OnDelete}");
        }
        var source = _random.Pick(EditableTables());
        if (_draw.ReferenceColumn(source) is not { } added)
            return null;
        source.AddColumn(added);
        _addedColumns.Add((source, added.Name));
        _touched.Add(source);
        return $"add column {source.Name}.{Describe(added)}";
    }

    private string? DropReference()
    {
        var candidates = EditableColumns((_, c) => c.References is not null);
        if (candidates.Count == 0)
            return null;
        var (table, column) = _random.Pick(candidates);
        table.Replace(column, column with { References = null });
        _touched.Add(table);
        return $"{table.Name}.{column.Name} no longer references {column.References!.Written}";
    }

    private string? ChangeOnDelete()
    {
        var candidates = EditableColumns((_, c) => c.References is not null);
        if (candidates.Count == 0)
            return null;
        var (table, column) = _random.Pick(candidates);
        var reference = column.References!;
        var target = _schema.Table(reference.Table)!;
        var onDelete = Enumerable.Range(0, 10).Select(_ => _draw.OnDelete(target, column.Nullable))
            .Select(a => reference with { OnDelete = a }).FirstOrDefault(r => r.Action != reference.Action);
        if (onDelete is null)
            return null;
        table.Replace(column, column with { References = onDelete });
        _touched.Add(table);
        return $"on_delete of {table.Name}.{column.Name} {reference.Action} → {onDelete.Action}";
    }

    // ── Indexes ─────────────────────────────────────────────────────────────

    private string? AddIndex()
    {
        var table = _random.Pick(EditableTables());
        if (_draw.Index(table) is not { } index)
            return null;
        table.Indexes.Add(index);
        _touched.Add(table);
        return $"add index {Describe(index)} to {table.Name}";
    }

    private string? DropIndex()
    {
        var tables = EditableTables().Where(t => t.Indexes.Count > 0).ToList();
        if (tables.Count == 0)
            return null;
        var table = _random.Pick(tables);
        var index = _random.Pick(table.Indexes);
        table.Indexes.Remove(index);
        _touched.Add(table);
        return $"drop index {Describe(index)} of {table.Name}";
    }

    private static bool CanChange(EditKind kind, TableDraft table, IndexDraft index) => kind switch
    {
        EditKind.ChangeIndexWhere => true,
        EditKind.ChangeIndexMethod => OtherMethods(table, index).Count > 0,
        EditKind.ChangeIndexOrder => index.Method == "btree" && index.Columns.Count >= 2,
        EditKind.ChangeIndexInclude => index.Method == "btree" && (index.Include.Count > 0 || SpareColumns(table, index).Count > 0),
        EditKind.ChangeIndexColumns => index.Method == "btree" && (index.Columns.Count >= 2 || SpareKeyColumns(table, index).Count > 0),
        _ => index.Method == "btree",
    };

    /// <summary>Declared columns neither in the index's key nor in its INCLUDE list.</summary>
    private static List<string> SpareColumns(TableDraft table, IndexDraft index)
        => table.Columns.Select(c => c.Name).Where(n => index.Columns.All(k => k.Name != n) && !index.Include.Contains(n)).ToList();

    private static List<string> SpareKeyColumns(TableDraft table, IndexDraft index)
        => SpareColumns(table, index).Where(n => table.Column(n).Type.IsKeyable).ToList();

    /// <summary>The methods the index could switch to: btree fits every column here, hash a key type, brin a timestamptz, gin jsonb or an array.</summary>
    private static List<string> OtherMethods(TableDraft table, IndexDraft index)
    {
        var methods = new List<string> { "btree" };
        if (index.Columns.Count == 1)
        {
            var type = SchemaDrawer.TypeOf(table, index.Columns[0].Name);
            if (type.IsKeyable)
                methods.Add("hash");
            if (type.Family == TypeFamily.Instant)
                methods.Add("brin");
            if (type.Family is TypeFamily.Json or TypeFamily.Array)
                methods.Add("gin");
        }
        methods.Remove(index.Method);
        return methods;
    }

    private string? ChangeIndex(EditKind kind)
    {
        var candidates = EditableTables().SelectMany(t => t.Indexes.Select((index, position) => (Table: t, Index: index, Position: position)))
            .Where(c => CanChange(kind, c.Table, c.Index)).ToList();
        if (candidates.Count == 0)
            return null;
        var (table, index, position) = _random.Pick(candidates);
        var changed = Changed(kind, table, index);
        if (Describe(changed) == Describe(index))
            return null; // the redraw found nothing different (a table with one column to filter on, …)
        // A new default name must not be another unnamed index's.
        if (changed.Name is null && table.Indexes.Where((_, i) => i != position).Any(i => i.DefaultNameKey == changed.DefaultNameKey))
            return null;
        table.Indexes[position] = changed;
        _touched.Add(table);
        return $"index {Describe(index)} of {table.Name} → {Describe(changed)}";
    }

    private IndexDraft Changed(EditKind kind, TableDraft table, IndexDraft index)
    {
        var key = index.Columns.ToList();
        switch (kind)
        {
            case EditKind.ChangeIndexColumns:
                var spare = SpareKeyColumns(table, index);
                if (key.Count >= 2 && (spare.Count == 0 || _random.Chance(0.4)))
                    key.RemoveAt(_random.Next(key.Count));
                else if (_random.Chance(0.5))
                    key.Add(_draw.IndexColumn(_random.Pick(spare)));
                else
                    key[_random.Next(key.Count)] = _draw.IndexColumn(_random.Pick(spare));
                return index with { Columns = key };
            case EditKind.ChangeIndexOrder:
                return index with { Columns = key.Skip(1).Append(key[0]).ToList() };
            case EditKind.ChangeIndexDirection:
                var at = _random.Next(key.Count);
                key[at] = _random.Chance(0.5)
                    ? key[at] with { Descending = !key[at].Descending }
                    : key[at] with { Nulls = _random.Pick(new[] { null, "first", "last" }.Where(n => n != key[at].Nulls).ToList()) };
                return index with { Columns = key };
            case EditKind.ChangeIndexWhere:
                if (index.Where is not null && _random.Chance(0.4))
                    return index with { Where = null };
                return index with { Where = index.Where is null ? _draw.Where(table) : Different(index.Where, () => _draw.Where(table)) };
            case EditKind.ChangeIndexInclude:
                var include = SpareColumns(table, index);
                if (include.Count > 0 && (index.Include.Count == 0 || _random.Chance(0.5)))
                    return index with { Include = index.Include.Append(_random.Pick(include)).ToList() };
                var dropped = _random.Pick(index.Include);
                return index with { Include = index.Include.Where(c => c != dropped).ToList() };
            case EditKind.ChangeIndexMethod:
                var method = _random.Pick(OtherMethods(table, index));
                // Only btree keeps direction, uniqueness and INCLUDE.
                return method == "btree"
                    ? index with { Method = method }
                    : index with { Method = method, Unique = false, Include = Array.Empty<string>(), Columns = key.Select(c => new IndexColumnDraft(c.Name)).ToList() };
            case EditKind.ChangeIndexUnique:
                return index with { Unique = !index.Unique };
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    // ── Enums ───────────────────────────────────────────────────────────────

    private List<EnumDraft> FormerEnums() => _schema.Enums.Where(e => !_addedEnums.Contains(e)).ToList();

    private string? AddEnumValue(EditKind kind)
    {
        var enums = FormerEnums();
        if (enums.Count == 0)
            return null;
        var enumDraft = _random.Pick(enums);
        var label = _draw.FreshLabel(enumDraft);
        if (kind == EditKind.AddEnumValueAtEnd)
        {
            enumDraft.Values.Add(label);
            return $"enum {enumDraft.Name} gets '{label}' at the end";
        }
        // Anywhere before the last value.
        var position = _random.Next(enumDraft.Values.Count);
        enumDraft.Values.Insert(position, label);
        return $"enum {enumDraft.Name} gets '{label}' at position {position + 1}";
    }

    private string? RemoveEnumValue()
    {
        var options = FormerEnums().Where(e => e.Values.Count >= 2)
            .SelectMany(e => e.Values.Where(v => !_schema.LabelInUse(e, v)).Select(v => (Enum: e, Label: v))).ToList();
        if (options.Count == 0)
            return null;
        var (enumDraft, label) = _random.Pick(options);
        enumDraft.Values.Remove(label);
        return $"enum {enumDraft.Name} loses '{label}'";
    }

    private string AddEnum()
    {
        var enumDraft = _draw.Enum();
        _schema.Add(enumDraft);
        _addedEnums.Add(enumDraft);
        return $"add enum {enumDraft.Name} [{string.Join(", ", enumDraft.Values)}]";
    }

    private string? DropEnum()
    {
        var unused = FormerEnums().Where(e => !_schema.Tables.Any(t => t.Columns.Any(c => c.Type == ColumnType.Enum(e.Name)))).ToList();
        if (unused.Count == 0)
            return null;
        var enumDraft = _random.Pick(unused);
        _schema.Enums.Remove(enumDraft);
        return $"drop enum {enumDraft.Name}";
    }

    private string? ChangeEnumDoc()
    {
        var enums = FormerEnums();
        if (enums.Count == 0)
            return null;
        var enumDraft = _random.Pick(enums);
        var old = enumDraft.Doc;
        enumDraft.Doc = _draw.OtherDoc(old);
        enumDraft.LongForm |= enumDraft.Doc is not null;
        return $"enum {enumDraft.Name} doc {Describe(old)} → {Describe(enumDraft.Doc)}";
    }

    // ── Helpers ─────────────────────────────────────────────────────────────

    /// <summary>Applies one of the options, marking its table changed; null when there is none or it changed nothing.</summary>
    private string? ApplyOne(List<(TableDraft Table, Func<string?> Apply)> options)
    {
        if (options.Count == 0)
            return null;
        var (table, apply) = _random.Pick(options);
        var description = apply();
        if (description is not null)
            _touched.Add(table);
        return description;
    }

    private static string Describe(string? doc) => doc is null ? "(none)" : $"\"{doc}\"";

    private static string Describe(ColumnDraft column)
        => $"{column.Name} {column.Type.Written}{(column.Nullable ? "" : " NOT NULL")}"
           + (column.Default is null ? "" : $" DEFAULT {column.Default}")
           + (column.References is null ? "" : $" references {column.References.Written}");

    private static string Describe(IndexDraft index)
        => $"({string.Join(", ", index.Columns.Select(c => c.Written))})"
           + (index.Name is null ? "" : $" {index.Name}")
           + (index.Unique ? " unique" : "")
           + (index.Method == "btree" ? "" : $" using {index.Method}")
           + (index.Include.Count == 0 ? "" : $" include ({string.Join(", ", index.Include)})")
           + (index.Where is null ? "" : $" where {index.Where.Sql}");
}

/// <summary>
/// Row-level security as schema.yaml never writes it: schema.yaml always has the tenant context and row security
/// on every tenant table, but a snapshot written before row security existed has neither, and a hand-made model
/// may lack either. For some seeds one side of the pair is changed so, and the differ flips them both ways. The
/// choice uses a generator of its own, so a seed still replays the same schema texts.
/// </summary>
public static class IsolationFlips
{
    public const string BeforeWithoutIsolation = "A predates row-level security";
    public const string AfterWithoutContext = "B has no tenant context";
    public const string BeforeRowSecurityOff = "A has row security off on";
    public const string AfterRowSecurityOff = "B has row security off on";

    public static (SchemaModel Before, SchemaModel After, string? Flip) Apply(int seed, SchemaModel before, SchemaModel after)
    {
        var random = new Random(seed * 7919 + 17);
        var draw = random.NextDouble();
        if (draw < 0.08)
            return (before with { TenantContext = false, Tables = before.Tables.Select(t => t with { RowSecurity = false }).ToEquatableArray() }, after, BeforeWithoutIsolation);
        if (draw < 0.15)
            return (before, after with { TenantContext = false }, AfterWithoutContext);
        if (draw < 0.23 && Off(random, before) is { } beforeOff)
            return (beforeOff.Model, after, $"{BeforeRowSecurityOff} {beforeOff.Table}");
        if (draw < 0.30 && Off(random, after) is { } afterOff)
            return (before, afterOff.Model, $"{AfterRowSecurityOff} {afterOff.Table}");
        return (before, after, null);
    }

    private static (SchemaModel Model, string Table)? Off(Random random, SchemaModel model)
    {
        var tenantTables = model.Tables.Where(t => t.RowSecurity).Select(t => t.Name).ToList();
        if (tenantTables.Count == 0)
            return null;
        var table = random.Pick(tenantTables);
        return (model with { Tables = model.Tables.Select(t => t.Name == table ? t with { RowSecurity = false } : t).ToEquatableArray() }, table);
    }
}
