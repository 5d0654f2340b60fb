using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql.Citus;

namespace Narralytica.Schema.Sql;

/// <summary>What a positional parameter ($1, $2, …) of a generated statement stands for.</summary>
public enum ParameterRole
{
    /// <summary>The scope's tenant.</summary>
    Tenant,

    /// <summary>A key column (find by key) or a <c>match</c> column, compared with <c>=</c>.</summary>
    Equal,

    /// <summary>The <c>many</c> column: an array of values.</summary>
    Many,

    /// <summary>The start of a window, [from, to).</summary>
    From,

    /// <summary>The end (exclusive) of a window.</summary>
    To,

    /// <summary>A feed's cursor: the last row id already read.</summary>
    After,

    /// <summary>A feed's page size.</summary>
    PageSize,
}

/// <summary>One parameter: its role and, for column parameters, the column it is compared with.</summary>
public sealed record StatementParameter(ParameterRole Role, string? Column);

/// <summary>A generated statement: SQL with positional parameters, and what each parameter is, in order.</summary>
public sealed record ReadPathStatement(string Sql, IReadOnlyList<StatementParameter> Parameters);

/// <summary>
/// The SQL of the generated helpers: find by key, named queries, feed pages and binary COPY. Positional
/// parameters and no literal lists, so each helper is one text PostgreSQL prepares once per connection.
/// Tenant-scoped statements always start with <c>tenant_id = $1</c>.
/// </summary>
public static class ReadPathSql
{
    private const string Tenant = "tenant_id";

    /// <summary>The table's columns in declared order, optionally qualified by <paramref name="alias"/>.</summary>
    public static string SelectList(Table table, string? alias = null)
        => string.Join(", ", table.Columns.Select(c => (alias is null ? "" : alias + ".") + SqlIdentifier.Quote(c.Name)));

    public static ReadPathStatement Find(Table table)
    {
        var where = new Conditions(table);
        foreach (var column in table.PrimaryKey.Columns.Where(c => !(table.IsTenantScoped && c == Tenant)))
            where.Equal(column);
        return new ReadPathStatement($"SELECT {SelectList(table)} FROM {SqlFragments.Name(table)} WHERE {where}", where.Parameters);
    }

    /// <summary>A named query's statement; on the Citus target, in the form Citus routes in a generic plan too.</summary>
    public static ReadPathStatement Query(Table table, NamedQuery query, DeploymentTarget target = DeploymentTarget.Postgres)
    {
        if (query.Latest && table.Versions is { } versions)
            return target == DeploymentTarget.Citus && query.Many is not null
                ? CitusReadPaths.LatestOfMany(table, query, versions)
                : Latest(table, query, versions);

        var where = new Conditions(table);
        foreach (var column in query.Match)
        {
            if (column == query.Many) where.Any(column);
            else where.Equal(column);
        }
        if (query.Overlaps is { } window)
            where.Overlapping(window);
        var order = query.OrderBy.Count == 0 ? "" : " ORDER BY " + string.Join(", ", query.OrderBy.Select(OrderTerm));
        return new ReadPathStatement($"SELECT {SelectList(table)} FROM {SqlFragments.Name(table)} WHERE {where}{order}", where.Parameters);
    }

    /// <summary>
    /// The latest version per group. With a set of values (<c>many</c>) it is a LATERAL lookup per value,
    /// in the order the values were given: each is one short backward index scan, so the cost follows
    /// the request, not the table.
    /// </summary>
    private static ReadPathStatement Latest(Table table, NamedQuery query, Versioning versions)
    {
        var rest = versions.Of.Where(c => !query.Match.Contains(c)).ToList();
        var where = new Conditions(table);
        int? manyPosition = null;
        foreach (var column in query.Match)
        {
            if (column == query.Many)
            {
                manyPosition = where.Reserve(ParameterRole.Many, column);
                where.Literal($"{SqlIdentifier.Quote(column)} = input.{SqlIdentifier.Quote(column)}");
            }
            else
                where.Equal(column);
        }
        var inner = LatestSelect(table, versions, rest, where.ToString());
        if (manyPosition is not { } position)
            return new ReadPathStatement(inner, where.Parameters);
        var outerOrder = "input.position" + string.Concat(rest.Select(c => ", l." + SqlIdentifier.Quote(c)));
        var many = SqlIdentifier.Quote(query.Many!);
        return new ReadPathStatement(
            $"SELECT {SelectList(table, "l")} FROM unnest(${position}) WITH ORDINALITY AS input({many}, position) " +
            $"CROSS JOIN LATERAL ({inner}) AS l ORDER BY {outerOrder}", where.Parameters);
    }

    /// <summary>The latest row per group of <paramref name="rest"/> (one row when every group column is matched).</summary>
    private static string LatestSelect(Table table, Versioning versions, List<string> rest, string where)
    {
        var by = SqlIdentifier.Quote(versions.By) + " DESC";
        if (rest.Count == 0)
            return $"SELECT {SelectList(table)} FROM {SqlFragments.Name(table)} WHERE {where} ORDER BY {by} LIMIT 1";
        var group = string.Join(", ", rest.Select(SqlIdentifier.Quote));
        return $"SELECT DISTINCT ON ({group}) {SelectList(table)} FROM {SqlFragments.Name(table)} WHERE {where} ORDER BY {group}, {by}";
    }

    /// <summary>
    /// One page of a feed: the next rows after the cursor in key order, each joined with the latest
    /// versions of the rows of <paramref name="versioned"/> that reference it (none: one row of nulls).
    /// </summary>
    public static ReadPathStatement FeedPage(Table table, Feed feed, Table versioned)
    {
        var versions = versioned.Versions!;
        var column = feed.ReferencingColumn!;
        var rest = versions.Of.Where(c => c != column).ToList();
        // The tenant parameter, not s.tenant_id: the same rows, and on Citus a LATERAL correlated on the distribution
        // column is refused while one that names the tenant routes to a single shard.
        var inner = LatestSelect(versioned, versions, rest, $"{Tenant} = $1 AND {SqlIdentifier.Quote(column)} = s.id");
        var order = "s.id" + string.Concat(rest.Select(c => ", l." + SqlIdentifier.Quote(c)));
        var sql = $"SELECT {SelectList(table, "s")}, {SelectList(versioned, "l")} " +
                  $"FROM (SELECT {SelectList(table)} FROM {SqlFragments.Name(table)} WHERE {Tenant} = $1 AND id > $2 ORDER BY id LIMIT $3) AS s " +
                  $"LEFT JOIN LATERAL ({inner}) AS l ON true ORDER BY {order}";
        return new ReadPathStatement(sql, new[]
        {
            new StatementParameter(ParameterRole.Tenant, Tenant),
            new StatementParameter(ParameterRole.After, "id"),
            new StatementParameter(ParameterRole.PageSize, null),
        });
    }

    /// <summary>Binary COPY of every column, in declared order.</summary>
    public static string Copy(Table table) => $"COPY {SqlFragments.Name(table)} ({SelectList(table)}) FROM STDIN (FORMAT BINARY)";

    private static string OrderTerm(IndexColumn column)
        => SqlIdentifier.Quote(column.Name) + (column.Descending ? " DESC" : "")
           + (column.Nulls == NullsOrder.First ? " NULLS FIRST" : column.Nulls == NullsOrder.Last ? " NULLS LAST" : "");

    /// <summary>A WHERE clause being built, numbering its parameters as they are added.</summary>
    private sealed class Conditions
    {
        private readonly List<string> _terms = new();
        private readonly List<StatementParameter> _parameters = new();

        public Conditions(Table table)
        {
            if (table.IsTenantScoped)
                Equal(Tenant, ParameterRole.Tenant);
        }

        public IReadOnlyList<StatementParameter> Parameters => _parameters;

        public int Reserve(ParameterRole role, string? column)
        {
            _parameters.Add(new StatementParameter(role, column));
            return _parameters.Count;
        }

        public void Literal(string term) => _terms.Add(term);

        public void Equal(string column, ParameterRole role = ParameterRole.Equal)
            => _terms.Add($"{SqlIdentifier.Quote(column)} = ${Reserve(role, column)}");

        public void Any(string column) => _terms.Add($"{SqlIdentifier.Quote(column)} = ANY(${Reserve(ParameterRole.Many, column)})");

        /// <summary>[start, end) overlaps [from, to); the lower bound on start lets the index scan begin near from.</summary>
        public void Overlapping(WindowOverlap window)
        {
            var from = Reserve(ParameterRole.From, window.Start);
            var to = Reserve(ParameterRole.To, window.Start);
            var start = SqlIdentifier.Quote(window.Start);
            _terms.Add($"{start} >= ${from} - {window.MaxLength}");
            _terms.Add($"{start} < ${to}");
            _terms.Add($"{SqlIdentifier.Quote(window.End)} > ${from}");
        }

        public override string ToString() => string.Join(" AND ", _terms);
    }
}
