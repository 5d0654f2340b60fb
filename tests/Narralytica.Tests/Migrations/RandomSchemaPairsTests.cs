using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Narralytica.Schema;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Yaml;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Migrations;

/// <summary>The random schema pairs are valid, reproducible, and cover the language and the edit kinds.</summary>
public sealed class RandomSchemaPairsTests
{
    private static readonly IReadOnlyList<SchemaPair> Pairs = Enumerable.Range(0, 500).Select(RandomSchemaPairs.Generate).ToList();

    [Fact]
    public void Both_schemas_of_seeds_0_to_499_compile_without_diagnostics_and_differ()
    {
        var failures = new List<string>();
        foreach (var pair in Pairs)
        {
            foreach (var (side, text) in new[] { ("before", pair.Before), ("after", pair.After) })
            {
                var compilation = SchemaCompiler.Compile(text);
                if (compilation.Model is null || compilation.Diagnostics.Count > 0)
                    failures.Add($"{pair} ({side}):\n{string.Join("\n", compilation.Diagnostics.Select(d => d.Format("schema.yaml")))}\n{text}");
            }
            if (pair.Before == pair.After)
                failures.Add($"{pair}: after is the same text as before");
            if (pair.Edits.Count is < 1 or > 4)
                failures.Add($"{pair}: {pair.Edits.Count} edits");
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(5)));
    }

    [Fact]
    public void Compiled_pairs_have_the_tenant_context_and_row_security_on_their_tenant_tables_and_some_seeds_flip_them()
    {
        var flips = new List<string>();
        foreach (var pair in Pairs.Take(200))
        {
            var (before, after) = (SchemaCompiler.Compile(pair.Before).Model!, SchemaCompiler.Compile(pair.After).Model!);
            foreach (var model in new[] { before, after })
            {
                Assert.True(model.TenantContext, pair.ToString());
                Assert.All(model.Tables, t => Assert.True(t.RowSecurity == t.IsTenantScoped, $"{pair}: {t.Name}"));
            }
            if (IsolationFlips.Apply(pair.Seed, before, after).Flip is { } flip)
                flips.Add(flip);
        }
        foreach (var kind in new[] { IsolationFlips.BeforeWithoutIsolation, IsolationFlips.AfterWithoutContext, IsolationFlips.BeforeRowSecurityOff, IsolationFlips.AfterRowSecurityOff })
            Assert.True(flips.Count(f => f.StartsWith(kind, StringComparison.Ordinal)) >= 5, $"'{kind}' drawn {flips.Count(f => f.StartsWith(kind, StringComparison.Ordinal))} times in 200 seeds");
    }

    [Fact]
    public void The_same_seed_gives_the_same_pair()
    {
        foreach (var seed in new[] { 0, 7, 123, 499 })
        {
            var again = RandomSchemaPairs.Generate(seed);
            Assert.Equal(Pairs[seed].Before, again.Before);
            Assert.Equal(Pairs[seed].After, again.After);
            Assert.Equal(Pairs[seed].Edits, again.Edits);
        }
    }

    [Fact]
    public void Seeds_0_to_199_use_every_edit_kind()
    {
        var counts = Pairs.Take(200).SelectMany(p => p.Edits).GroupBy(e => e.Substring(0, e.IndexOf(':'))).ToDictionary(g => g.Key, g => g.Count());
        var missing = Enum.GetValues<EditKind>().Select(SchemaEditor.Label).Where(k => !counts.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, $"edit kinds never drawn: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Seeds_0_to_199_change_column_types_under_checks_predicates_and_defaults()
    {
        var under = new Dictionary<string, int> { ["check"] = 0, ["predicate"] = 0, ["default"] = 0 };
        foreach (var pair in Pairs.Take(200))
        {
            var (before, after) = (SchemaCompiler.Compile(pair.Before).Model!, SchemaCompiler.Compile(pair.After).Model!);
            foreach (var table in after.Tables.Where(t => t.RenamedFrom is null && before.FindTable(t.Name) is not null))
            {
                var old = before.FindTable(table.Name)!;
                foreach (var column in table.Columns.Where(c => c.RenamedFrom is null && old.FindColumn(c.Name) is { } o && o.Type != c.Type))
                {
                    if (table.Checks.Any(k => SqlExpression.MentionsIdentifier(k.Expression, column.Name)))
                        under["check"]++;
                    if (table.Indexes.Any(i => i.Where is { } where && SqlExpression.MentionsIdentifier(where, column.Name)))
                        under["predicate"]++;
                    if (column.Default is not null)
                        under["default"]++;
                }
            }
        }
        Assert.True(under.Values.All(n => n >= 5), string.Join(", ", under.Select(u => $"under a {u.Key}: {u.Value}")));
    }

    [Fact]
    public void Renames_name_what_before_had_and_a_renamed_table_changes_in_nothing_else()
    {
        var failures = new List<string>();
        foreach (var pair in Pairs)
        {
            var before = SchemaCompiler.Compile(pair.Before).Model!;
            var after = SchemaCompiler.Compile(pair.After).Model!;
            string FormerTable(string table) => after.FindTable(table)?.RenamedFrom ?? table;
            string FormerColumn(string table, string column) => after.FindTable(table)?.FindColumn(column)?.RenamedFrom ?? column;
            foreach (var table in after.Tables)
            {
                var old = before.FindTable(FormerTable(table.Name));
                if (table.RenamedFrom is not null && (old is null || after.FindTable(table.RenamedFrom) is not null))
                    failures.Add($"{pair}: table {table.Name} is renamed from {table.RenamedFrom}, which before lacks or after still has");
                foreach (var column in table.Columns.Where(c => c.RenamedFrom is not null))
                {
                    if (old?.FindColumn(column.RenamedFrom!) is null || table.FindColumn(column.RenamedFrom!) is not null)
                        failures.Add($"{pair}: column {table.Name}.{column.Name} is renamed from {column.RenamedFrom}, which before lacks or after still has");
                }
                if (table.RenamedFrom is not null && old is not null && Shape(old, t => t, (_, c) => c) != Shape(table, FormerTable, FormerColumn))
                    failures.Add($"{pair}: renamed table {table.Name} changed in more than its name");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
    }

    /// <summary>
    /// A table's definition without its own name and the constraint names derived from it; the names
    /// it references are given in Before's terms by <paramref name="tableName"/> and <paramref name="columnName"/>.
    /// </summary>
    private static string Shape(Table table, Func<string, string> tableName, Func<string, string, string> columnName)
        => string.Join("\n", new[] { $"{table.Scope} {table.Doc} {table.AppendOnly} key ({string.Join(", ", table.PrimaryKey.Columns)})" }
            .Concat(table.Columns.Select(c => $"column {c.Name} {c.Type.Sql} {c.Nullable} {c.Default} {c.Doc}"))
            .Concat(table.Uniques.Select(u => $"unique ({string.Join(", ", u.Columns)})"))
            .Concat(table.Checks.Select(c => $"check {c.Expression}"))
            .Concat(table.ForeignKeys.Select(f => $"foreign key ({string.Join(", ", f.Columns)}) → {tableName(f.ReferencedTable)} "
                                                  + $"({string.Join(", ", f.ReferencedColumns.Select(c => columnName(f.ReferencedTable, c)))}) {f.OnDelete}"))
            .Concat(table.Indexes.Select(i => $"index ({string.Join(", ", i.Columns.Select(c => $"{c.Name} {c.Descending} {c.Nulls}"))}) "
                                              + $"{i.Unique} {i.Method} {i.Where} ({string.Join(", ", i.Include)})")));

    // Every construct of the language the Before schemas must use, as named by Constructs below.
    private static readonly string[] ExpectedConstructs =
    {
        "enum short form", "enum long form with doc",
        "scope tenant", "scope global", "append_only", "timestamps true", "timestamps created", "timestamps false", "table doc",
        "reserved table name quoted", "reserved column name quoted",
        "type uuid", "type text", "type varchar(n)", "type varchar", "type char(n)", "type smallint", "type integer", "type bigint",
        "type boolean", "type numeric(p,s)", "type numeric", "type real", "type double precision", "type timestamptz", "type timestamp",
        "type date", "type jsonb", "type bytea", "type enum", "type integer[]", "type text[]",
        "nullable ?", "nullable: true",
        "default number", "default boolean", "default text literal", "default jsonb", "default array literal", "default now()", "default CURRENT_TIMESTAMP",
        "default CURRENT_DATE", "default enum label",
        "column doc", "references table", "references table.column",
        "on_delete no_action", "on_delete restrict", "on_delete cascade", "on_delete set_null",
        "column unique", "column check", "composite primary_key",
        "unique list", "unique one column", "unique long form with name", "table checks",
        "index short form", "index desc", "index nulls first", "index nulls last", "index long form with name", "index unique",
        "index where IS NOT NULL", "index where > 0", "index where IN", "index include",
        "index using hash", "index using gin", "index using brin",
    };

    [Fact]
    public void Seeds_0_to_199_use_every_construct_in_before()
    {
        var seen = Pairs.Take(200).SelectMany(p => Constructs(p.Before)).ToHashSet();
        var missing = ExpectedConstructs.Where(c => !seen.Contains(c)).ToList();
        Assert.True(missing.Count == 0, $"constructs never used: {string.Join(", ", missing)}");
    }

    /// <summary>The constructs a schema.yaml text uses, read from its YAML structure (not from the generator's model).</summary>
    private static IEnumerable<string> Constructs(string yaml)
    {
        var root = (YamlMapping)YamlDocumentReader.Read(yaml, out _)!;
        if (Value(root, "enums") is YamlMapping enums)
        {
            foreach (var entry in enums.Entries)
            {
                if (entry.Value is YamlSequence)
                    yield return "enum short form";
                else if (entry.Value is YamlMapping longForm && Value(longForm, "doc") is not null)
                    yield return "enum long form with doc";
            }
        }
        var enumNames = (Value(root, "enums") as YamlMapping)?.Entries.Select(e => e.Key.Value).ToHashSet() ?? new HashSet<string>();
        foreach (var table in ((YamlMapping)Value(root, "tables")!).Entries)
        {
            foreach (var construct in TableConstructs(table.Key.Value, (YamlMapping)table.Value, enumNames))
                yield return construct;
        }
    }

    private static IEnumerable<string> TableConstructs(string name, YamlMapping table, ISet<string> enumNames)
    {
        yield return "scope " + Text(table, "scope");
        if (Text(table, "append_only") == "true")
            yield return "append_only";
        if (Text(table, "timestamps") is { } timestamps)
            yield return "timestamps " + timestamps;
        if (Value(table, "doc") is not null)
            yield return "table doc";
        if (Text(table, "quote") == "true" && SqlIdentifier.IsReserved(name))
            yield return "reserved table name quoted";
        if (Value(table, "primary_key") is YamlSequence { Items.Count: >= 2 })
            yield return "composite primary_key";
        foreach (var column in ((YamlMapping)Value(table, "columns")!).Entries)
        {
            foreach (var construct in ColumnConstructs(column.Key.Value, column.Value, enumNames))
                yield return construct;
        }
        foreach (var unique in (Value(table, "unique") as YamlSequence)?.Items ?? Array.Empty<YamlNode>())
        {
            yield return unique switch
            {
                YamlSequence => "unique list",
                YamlScalar => "unique one column",
                _ => Value((YamlMapping)unique, "name") is null ? "unique long form" : "unique long form with name",
            };
        }
        if (Value(table, "checks") is YamlMapping { Entries.Count: > 0 })
            yield return "table checks";
        foreach (var index in (Value(table, "indexes") as YamlSequence)?.Items ?? Array.Empty<YamlNode>())
        {
            foreach (var construct in IndexConstructs(index))
                yield return construct;
        }
    }

    private static IEnumerable<string> ColumnConstructs(string name, YamlNode column, ISet<string> enumNames)
    {
        var longForm = column as YamlMapping;
        var type = longForm is null ? ((YamlScalar)column).Value : Text(longForm, "type")!;
        if (type.EndsWith('?'))
        {
            yield return "nullable ?";
            type = type.TrimEnd('?');
        }
        var typeName = Regex.Replace(Regex.Replace(Regex.Replace(type, @"^numeric\(\d+,\d+\)$", "numeric(p,s)"), @"^char\(\d+\)$", "char(n)"), @"^varchar\(\d+\)$", "varchar(n)");
        var isEnum = enumNames.Contains(type);
        yield return "type " + (isEnum ? "enum" : typeName);
        if (longForm is null)
            yield break;
        if (Text(longForm, "nullable") == "true")
            yield return "nullable: true";
        if (Text(longForm, "quote") == "true" && SqlIdentifier.IsReserved(name))
            yield return "reserved column name quoted";
        if (Text(longForm, "default") is { } value)
        {
            yield return value switch
            {
                "now()" or "CURRENT_TIMESTAMP" => "default " + value,
                "true" or "false" => "default boolean",
                _ when Regex.IsMatch(value, @"^-?\d+(\.\d+)?$") => "default number",
                _ when value.EndsWith("::jsonb", StringComparison.Ordinal) => "default jsonb",
                "CURRENT_DATE" => "default CURRENT_DATE",
                "'{}'" when typeName.EndsWith("[]", StringComparison.Ordinal) => "default array literal",
                _ when value.StartsWith('\'') => isEnum ? "default enum label" : "default text literal",
                _ => "default other",
            };
        }
        if (Value(longForm, "doc") is not null)
            yield return "column doc";
        if (Text(longForm, "references") is { } references)
            yield return references.Contains('.') ? "references table.column" : "references table";
        if (Text(longForm, "on_delete") is { } onDelete)
            yield return "on_delete " + onDelete;
        if (Text(longForm, "unique") == "true")
            yield return "column unique";
        if (Value(longForm, "check") is not null)
            yield return "column check";
    }

    private static IEnumerable<string> IndexConstructs(YamlNode index)
    {
        var longForm = index as YamlMapping;
        var columns = (YamlSequence)(longForm is null ? index : Value(longForm, "columns")!);
        foreach (var column in columns.Items.Cast<YamlScalar>().Select(c => c.Value))
        {
            if (column.Contains(" desc"))
                yield return "index desc";
            if (column.EndsWith("nulls first", StringComparison.Ordinal))
                yield return "index nulls first";
            if (column.EndsWith("nulls last", StringComparison.Ordinal))
                yield return "index nulls last";
        }
        if (longForm is null)
        {
            yield return "index short form";
            yield break;
        }
        if (Value(longForm, "name") is not null)
            yield return "index long form with name";
        if (Text(longForm, "unique") == "true")
            yield return "index unique";
        if (Text(longForm, "where") is { } where)
            yield return where.Contains(" IN (") ? "index where IN" : where.EndsWith("IS NOT NULL", StringComparison.Ordinal) ? "index where IS NOT NULL" : where.EndsWith("> 0", StringComparison.Ordinal) ? "index where > 0" : "index where other";
        if (Value(longForm, "include") is not null)
            yield return "index include";
        if (Text(longForm, "using") is { } method)
            yield return "index using " + method;
    }

    private static YamlNode? Value(YamlMapping mapping, string key) => mapping.Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    private static string? Text(YamlMapping mapping, string key) => (Value(mapping, key) as YamlScalar)?.Value;
}

/// <summary>The DDL of both schemas of a pair runs on PostgreSQL: every default, check and predicate is valid there.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RandomSchemaPairsDatabaseTests
{
    private readonly PostgresFixture _postgres;

    public RandomSchemaPairsDatabaseTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task Both_schemas_of_seeds_0_to_39_create_on_an_empty_database()
    {
        var connectionString = await _postgres.CreateEmptyDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var failures = new List<string>();
        foreach (var pair in Enumerable.Range(0, 40).Select(RandomSchemaPairs.Generate))
        {
            foreach (var (side, text) in new[] { ("before", pair.Before), ("after", pair.After) })
            {
                var script = DdlEmitter.Script(SchemaCompiler.Compile(text).Model!);
                // Each script in a transaction rolled back: DDL is transactional, so the database is empty again for the next.
                await using var transaction = await connection.BeginTransactionAsync();
                try
                {
                    await new NpgsqlCommand(script, connection, transaction).ExecuteNonQueryAsync();
                }
                catch (PostgresException e)
                {
                    failures.Add($"{pair} ({side}): {e.SqlState} {e.MessageText}\n{script}");
                }
                await transaction.RollbackAsync();
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(3)));
    }
}
