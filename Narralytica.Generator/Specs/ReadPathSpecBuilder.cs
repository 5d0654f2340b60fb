using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Naming;
using Narralytica.Schema.Sql;

namespace Narralytica.Generator.Specs;

/// <summary>
/// The generated read and write paths of one table: find by key, the named queries and feeds of
/// schema.yaml, binary COPY. The SQL comes from <see cref="ReadPathSql"/>; this adds the C# side.
/// </summary>
internal static class ReadPathSpecBuilder
{
    public static QuerySpec Find(Table table, IReadOnlyList<PropertySpec> properties, string entityName)
    {
        var statement = ReadPathSql.Find(table);
        var scope = table.IsTenantScoped ? " in this tenant" : "";
        return new QuerySpec($"Find{entityName}", "Find", $"The <c>{table.Name}</c> row with this key{scope}, or null.",
            statement.Sql, Parameters(statement, properties), SingleRow: true, table.PrimaryKey.Name);
    }

    /// <summary>
    /// The statements of a tenant table's BulkInsertAsync, through a temporary table (<c>pg_temp.narralytica_copy_segments</c>)
    /// that the copy creates and drops inside its transaction.
    /// </summary>
    public static StagedCopySpec StagedCopy(Table table)
    {
        var staging = "pg_temp." + SqlIdentifier.Quote(SqlIdentifier.Fit("narralytica_copy_" + table.Name));
        var columns = ReadPathSql.SelectList(table);
        return new StagedCopySpec(
            $"CREATE TEMP TABLE {staging} (LIKE {SqlFragments.Name(table)}) ON COMMIT DROP",
            $"COPY {staging} ({columns}) FROM STDIN (FORMAT BINARY)",
            $"INSERT INTO {SqlFragments.Name(table)} ({columns}) SELECT {columns} FROM {staging}",
            $"DROP TABLE {staging}");
    }

    public static EquatableArray<QuerySpec> Queries(Table table, IReadOnlyList<PropertySpec> properties)
        => table.Queries.Select(query =>
        {
            var statement = ReadPathSql.Query(table, query);
            var method = ClrNaming.Pascal(query.Name);
            return new QuerySpec(method, method, query.Doc ?? $"Query <c>{query.Name}</c> of <c>{table.Name}</c>.",
                statement.Sql, Parameters(statement, properties), query.SingleRow, query.BackingIndex ?? "");
        }).ToEquatableArray();

    public static EquatableArray<FeedSpec> Feeds(SchemaModel model, Table table, IReadOnlyDictionary<string, string> entityNames)
        => table.Feeds.Select(feed =>
        {
            var versioned = model.FindTable(feed.LatestOf)!;
            var method = ClrNaming.Pascal(feed.Name);
            return new FeedSpec(method, method, method + "Item", feed.Doc, ReadPathSql.FeedPage(table, feed, versioned).Sql,
                entityNames[versioned.Name], versioned.Name, "Latest" + ClrNaming.Collection(versioned.Name),
                LatestOffset: table.Columns.Count,
                LatestIdOrdinal: table.Columns.Count + IndexOfColumn(versioned, versioned.Versions!.By),
                table.PrimaryKey.Name);
        }).ToEquatableArray();

    /// <summary>
    /// How binary COPY names a column's type: an NpgsqlDbType; nothing for enums, whose CLR type the data source maps to
    /// the enum of the tables' schema (a bare type name is ambiguous when the database holds the schema twice).
    /// </summary>
    public static string CopyType(PgType type)
    {
        if (type.Kind == PgTypeKind.Enum)
            return "";
        var name = type.Kind switch
        {
            PgTypeKind.Uuid => "Uuid",
            PgTypeKind.Text => "Text",
            PgTypeKind.Varchar => "Varchar",
            PgTypeKind.Char => "Char",
            PgTypeKind.SmallInt => "Smallint",
            PgTypeKind.Integer => "Integer",
            PgTypeKind.BigInt => "Bigint",
            PgTypeKind.Boolean => "Boolean",
            PgTypeKind.Numeric => "Numeric",
            PgTypeKind.Real => "Real",
            PgTypeKind.Double => "Double",
            PgTypeKind.TimestampTz => "TimestampTz",
            PgTypeKind.Timestamp => "Timestamp",
            PgTypeKind.Date => "Date",
            PgTypeKind.Jsonb => "Jsonb",
            PgTypeKind.Bytea => "Bytea",
            _ => throw new System.ArgumentOutOfRangeException(nameof(type), type.Kind, null),
        };
        const string prefix = "global::NpgsqlTypes.NpgsqlDbType.";
        return type.IsArray ? $"{prefix}Array | {prefix}{name}" : prefix + name;
    }


    private static int IndexOfColumn(Table table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
            if (table.Columns[i].Name == column)
                return i;
        throw new System.ArgumentException($"no column {column} in {table.Name}");
    }

    private static EquatableArray<ParameterSpec> Parameters(ReadPathStatement statement, IReadOnlyList<PropertySpec> properties)
        => statement.Parameters.Select(parameter =>
        {
            var property = parameter.Column is null ? null : properties.First(p => p.ColumnName == parameter.Column);
            var name = property is null ? "" : Camel(property.Name);
            return parameter.Role switch
            {
                ParameterRole.Tenant => new ParameterSpec("tenant", "global::System.Guid", "TenantId", ""),
                ParameterRole.Equal => new ParameterSpec(name, property!.ValueType, name, $"The <c>{property.ColumnName}</c> to match."),
                ParameterRole.Many => new ParameterSpec(name + "s", property!.ValueType + "[]", name + "s",
                    $"The <c>{property.ColumnName}</c> values to look up; one array parameter, so the SQL text never changes."),
                ParameterRole.From => new ParameterSpec("from", property!.ValueType, "from", $"The window's start: rows whose [{property.ColumnName}, end) overlaps [from, to)."),
                ParameterRole.To => new ParameterSpec("to", property!.ValueType, "to", "The window's end, exclusive."),
                ParameterRole.After => new ParameterSpec("after", "global::System.Guid", "after", "The cursor."),
                _ => new ParameterSpec("pageSize", "int", "pageSize", "Rows per page."),
            };
        }).ToEquatableArray();

    public static string Camel(string pascal)
    {
        var name = char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
        return Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;
    }
}
