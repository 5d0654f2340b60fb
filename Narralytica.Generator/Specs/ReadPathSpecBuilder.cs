using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Naming;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Sql.Citus;

namespace Narralytica.Generator.Specs;

/// <summary>
/// The generated read and write paths of one table: find by key, the named queries and feeds of
/// schema.yaml. The SQL comes from <see cref="ReadPathSql"/>; this adds the C# side.
/// </summary>
internal static class ReadPathSpecBuilder
{
    public static QuerySpec Find(Table table, IReadOnlyList<PropertySpec> properties, string entityName)
    {
        var statement = ReadPathSql.Find(table);
        return new QuerySpec($"Find{entityName}", "Find", QueryName: null, Doc: null,
            statement.Sql, Parameters(statement, properties), SingleRow: true, table.PrimaryKey.Name);
    }

    public static EquatableArray<QuerySpec> Queries(Table table, IReadOnlyList<PropertySpec> properties, DeploymentTarget target)
        => table.Queries.Select(query =>
        {
            var statement = ReadPathSql.Query(table, query, target);
            var method = ClrNaming.Pascal(query.Name);
            return new QuerySpec(method, method, query.Name, query.Doc,
                statement.Sql, Parameters(statement, properties), query.SingleRow, query.BackingIndex ?? "");
        }).ToEquatableArray();

    public static EquatableArray<FeedSpec> Feeds(SchemaModel model, Table table, IReadOnlyList<PropertySpec> properties, IReadOnlyDictionary<string, string> entityNames)
        => table.Feeds.Select(feed =>
        {
            var versioned = model.FindTable(feed.LatestOf)!;
            var method = ClrNaming.Pascal(feed.Name);
            var citus = model.Target == DeploymentTarget.Citus;
            var statement = citus ? CitusReadPaths.FeedRows(table) : ReadPathSql.FeedPage(table, feed, versioned);
            // The page is ordered by the feed row's id, which is also the cursor the next page starts after.
            var id = properties[IndexOfColumn(table, "id")];
            return new FeedSpec(method, method, method + "Item", feed.Doc, statement.Sql, Parameters(statement, properties),
                id.Name, id.Type, RowIdOrdinal: IndexOfColumn(table, "id"),
                entityNames[versioned.Name], versioned.Name, "Latest" + ClrNaming.Collection(versioned.Name),
                LatestOffset: citus ? 0 : table.Columns.Count,
                LatestIdOrdinal: (citus ? 0 : table.Columns.Count) + IndexOfColumn(versioned, versioned.Versions!.By),
                table.PrimaryKey.Name,
                citus ? CitusLatest(feed, versioned, method, properties, id.Type) : null);
        }).ToEquatableArray();

    /// <summary>The Citus target's second statement of a feed page: the latest versions of the page's row ids.</summary>
    private static CitusFeedLatestSpec CitusLatest(Feed feed, Table versioned, string method, IReadOnlyList<PropertySpec> properties, TypeSpec idType)
    {
        var statement = CitusReadPaths.FeedLatest(feed, versioned);
        var tenant = properties.First(p => p.ColumnName == "tenant_id");
        var parameters = new[]
        {
            new ParameterSpec(ParameterRole.Tenant, "tenant_id", "tenant", tenant.Type),
            new ParameterSpec(ParameterRole.Many, feed.ReferencingColumn, "ids", idType),
        };
        return new CitusFeedLatestSpec(method + "Latest", statement.Sql, parameters.ToEquatableArray(),
            IndexOfColumn(versioned, feed.ReferencingColumn!));
    }

    /// <summary>A column's type as data; enums carry their C# name.</summary>
    public static TypeSpec Type(PgType type)
        => new(type.Kind, type.IsArray, type.EnumName, type.EnumName is { } name ? ClrNaming.Pascal(name) : null);

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
            if (parameter.Column is null)
                return new ParameterSpec(parameter.Role, null, "pageSize", PageSize);
            var property = properties.First(p => p.ColumnName == parameter.Column);
            var name = parameter.Role switch
            {
                ParameterRole.Tenant => "tenant",
                ParameterRole.Many => Camel(property.Name) + "s",
                ParameterRole.From => "from",
                ParameterRole.To => "to",
                ParameterRole.After => "after",
                _ => Camel(property.Name),
            };
            return new ParameterSpec(parameter.Role, parameter.Column, name, property.Type);
        }).ToEquatableArray();

    private static readonly TypeSpec PageSize = new(PgTypeKind.Integer, false, null, null);

    private static string Camel(string pascal) => char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
}
