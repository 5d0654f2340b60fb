using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Tests.Migrations;

/// <summary>
/// Fills a schema with a few rows per table before a migration runs, so the round trip migrates data, not empty
/// tables. Values are drawn from the seed for each column type (short and long strings, fractions, numeric text);
/// references point at rows already loaded, in the same tenant. A row that breaks a constraint of the schema is
/// left out (each insert under its own savepoint), so what is loaded is valid for the schema before the migration.
/// </summary>
public static class RowLoader
{
    private const int AttemptsPerTable = 8;

    public static async Task LoadAsync(NpgsqlConnection connection, SchemaModel model, int seed)
    {
        var random = new Random(seed);
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var table in DdlEmitter.DependencyOrder(model))
        {
            for (var attempt = 0; attempt < AttemptsPerTable; attempt++)
            {
                var sql = Insert(model, table, random, attempt);
                await transaction.SaveAsync("row");
                try
                {
                    await using var command = new NpgsqlCommand(sql, connection, transaction);
                    await command.ExecuteNonQueryAsync();
                    await transaction.ReleaseAsync("row");
                }
                catch (PostgresException)
                {
                    await transaction.RollbackAsync("row");
                }
            }
        }
        await transaction.CommitAsync();
    }

    /// <summary>
    /// What the rows hold, column by column: the row count and a hash of the column's values rendered by
    /// <c>Render</c>, in the order of <c>Key</c>. Equal before and after a migration means no value changed.
    /// </summary>
    public static async Task<Dictionary<string, string>> FingerprintAsync(NpgsqlConnection connection, IEnumerable<(string Table, string Column, string Key, string Render)> columns)
    {
        var prints = new Dictionary<string, string>();
        foreach (var (table, column, key, render) in columns)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT count(*)::text || ' ' || coalesce(md5(string_agg(coalesce({render}, '<null>'), '|' ORDER BY {key})), '') FROM {SqlIdentifier.Quote(table)}", connection);
            prints[$"{table}.{column}"] = (string)(await command.ExecuteScalarAsync())!;
        }
        return prints;
    }

    private static string Insert(SchemaModel model, Table table, Random random, int attempt)
    {
        var tenant = table.IsTenantScoped ? "(SELECT id FROM tenants ORDER BY id::text LIMIT 1)" : null;
        var names = new List<string>();
        var values = new List<string>();
        foreach (var column in table.Columns)
        {
            var value = column.Name == "tenant_id" && tenant is not null ? tenant
                : table.ForeignKeys.FirstOrDefault(k => k.Columns.Contains(column.Name)) is { } key ? Referenced(table, key, column.Name, attempt)
                : column.Nullable && random.Next(4) == 0 ? "NULL"
                : column.Default is not null && random.Next(3) == 0 ? null
                : Value(model, column.Type, random);
            if (value is null)
                continue;
            names.Add(SqlIdentifier.Quote(column.Name));
            values.Add(value);
        }
        return $"INSERT INTO {SqlFragments.Name(table)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", values)})";
    }

    /// <summary>A column of a reference: the value of a loaded row of the referenced table, in the row's tenant when the reference has one.</summary>
    private static string Referenced(Table table, ForeignKey key, string column, int attempt)
    {
        var target = key.ReferencedColumns[key.Columns.ToList().IndexOf(column)];
        var sameTenant = key.Columns.Contains("tenant_id") && column != "tenant_id"
            ? $" WHERE tenant_id = (SELECT id FROM tenants ORDER BY id::text LIMIT 1)" : "";
        return $"(SELECT {SqlIdentifier.Quote(target)} FROM {SqlIdentifier.Quote(key.ReferencedTable)}{sameTenant} ORDER BY {SqlIdentifier.Quote(target)}::text OFFSET {attempt % 3} LIMIT 1)";
    }

    private static string Value(SchemaModel model, PgType type, Random random)
    {
        if (type.IsArray)
            return type.Kind == PgTypeKind.Text ? "'{a,bb}'" : $"'{{{random.Next(100)},{random.Next(100)}}}'";
        return type.Kind switch
        {
            PgTypeKind.Uuid => $"'{Uuid(random)}'",
            PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char => SqlIdentifier.Literal(Text(random, type.Length)),
            PgTypeKind.SmallInt or PgTypeKind.Integer => random.Next(0, 200).ToString(CultureInfo.InvariantCulture),
            PgTypeKind.BigInt => random.Next(4) == 0 ? "5000000000" : random.Next(0, 200).ToString(CultureInfo.InvariantCulture),
            PgTypeKind.Numeric => type.Scale is > 0 ? (random.Next(0, 9999) / 100m).ToString("0.00", CultureInfo.InvariantCulture) : random.Next(0, 500).ToString(CultureInfo.InvariantCulture),
            PgTypeKind.Real or PgTypeKind.Double => (random.Next(0, 100) / 4.0).ToString(CultureInfo.InvariantCulture),
            PgTypeKind.Boolean => random.Next(2) == 0 ? "true" : "false",
            PgTypeKind.TimestampTz => "'2026-03-01 10:00:00+00'",
            PgTypeKind.Timestamp => "'2026-03-01 10:00:00'",
            PgTypeKind.Date => "'2026-03-01'",
            PgTypeKind.Jsonb => "'{\"k\": 1}'",
            PgTypeKind.Bytea => "'\\x0102'",
            PgTypeKind.Enum => SqlIdentifier.Literal(random.Pick(model.FindEnum(type.EnumName!)!.Values.ToList())),
            _ => "NULL",
        };
    }

    private static string Uuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString("D");
    }

    /// <summary>Short words, numeric text (which converts to a number) and longer strings (which a narrower varchar cannot hold).</summary>
    private static string Text(Random random, int? length)
    {
        var text = random.Next(4) switch
        {
            0 => random.Next(0, 100).ToString(CultureInfo.InvariantCulture),
            1 => "word",
            2 => "a longer piece of text " + random.Next(1000).ToString(CultureInfo.InvariantCulture),
            _ => "x" + random.Next(10).ToString(CultureInfo.InvariantCulture),
        };
        return length is { } n && text.Length > n ? text.Substring(0, n) : text;
    }
}
