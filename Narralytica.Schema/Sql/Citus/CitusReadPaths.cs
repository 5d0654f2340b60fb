using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql.Citus;

/// <summary>
/// The read paths whose plain form Citus can route only with its parameters' values, written so that Citus routes
/// them to one shard in a generic plan too. Citus plans a prepared statement without its values only on its fast
/// path: one distributed table in FROM (no join, subquery, LATERAL, CTE or function in FROM) and
/// <c>tenant_id = $1</c> at the top of its WHERE. The plain forms (a LATERAL over <c>unnest</c>, a page joined with
/// its latest versions) stay those of the plain target, where they are faster.
/// </summary>
public static class CitusReadPaths
{
    private const string Tenant = "tenant_id";

    /// <summary>
    /// The latest version per value of a set (<c>many</c>), on the versioned table alone: <c>= ANY</c> of the
    /// array, one row per value and group by <c>DISTINCT ON</c>, in the order of the values given
    /// (<c>array_position</c>). A value given twice is answered once, at its first position.
    /// </summary>
    public static ReadPathStatement LatestOfMany(Table table, NamedQuery query, Versioning versions)
    {
        var parameters = new List<StatementParameter> { new(ParameterRole.Tenant, Tenant) };
        var terms = new List<string> { $"{Tenant} = $1" };
        var many = SqlIdentifier.Quote(query.Many!);
        var manyParameter = "";
        foreach (var column in query.Match)
        {
            parameters.Add(new StatementParameter(column == query.Many ? ParameterRole.Many : ParameterRole.Equal, column));
            var parameter = "$" + parameters.Count;
            if (column == query.Many)
            {
                manyParameter = parameter;
                terms.Add($"{many} = ANY({parameter})");
            }
            else
                terms.Add($"{SqlIdentifier.Quote(column)} = {parameter}");
        }
        var position = $"array_position({manyParameter}, {many})";
        var groups = new[] { position }.Concat(versions.Of.Where(c => !query.Match.Contains(c)).Select(SqlIdentifier.Quote)).ToList();
        var distinct = string.Join(", ", groups);
        return new ReadPathStatement(
            $"SELECT DISTINCT ON ({distinct}) {ReadPathSql.SelectList(table)} FROM {SqlFragments.Name(table)} " +
            $"WHERE {string.Join(" AND ", terms)} ORDER BY {distinct}, {SqlIdentifier.Quote(versions.By)} DESC", parameters);
    }

    /// <summary>A feed's page of rows, on the feed's table alone: the next rows after the cursor, in key order.</summary>
    public static ReadPathStatement FeedRows(Table table)
        => new($"SELECT {ReadPathSql.SelectList(table)} FROM {SqlFragments.Name(table)} WHERE {Tenant} = $1 AND id > $2 ORDER BY id LIMIT $3",
            new[]
            {
                new StatementParameter(ParameterRole.Tenant, Tenant),
                new StatementParameter(ParameterRole.After, "id"),
                new StatementParameter(ParameterRole.PageSize, null),
            });

    /// <summary>
    /// The latest versions of the rows of a feed's page (their ids as one array), on the versioned table alone:
    /// ordered by the row they reference, then by group, as the plain feed orders them.
    /// </summary>
    public static ReadPathStatement FeedLatest(Feed feed, Table versioned)
    {
        var versions = versioned.Versions!;
        var column = SqlIdentifier.Quote(feed.ReferencingColumn!);
        var groups = string.Join(", ", new[] { column }.Concat(versions.Of.Where(c => c != feed.ReferencingColumn).Select(SqlIdentifier.Quote)));
        return new ReadPathStatement(
            $"SELECT DISTINCT ON ({groups}) {ReadPathSql.SelectList(versioned)} FROM {SqlFragments.Name(versioned)} " +
            $"WHERE {Tenant} = $1 AND {column} = ANY($2) ORDER BY {groups}, {SqlIdentifier.Quote(versions.By)} DESC",
            new[]
            {
                new StatementParameter(ParameterRole.Tenant, Tenant),
                new StatementParameter(ParameterRole.Many, feed.ReferencingColumn),
            });
    }
}
