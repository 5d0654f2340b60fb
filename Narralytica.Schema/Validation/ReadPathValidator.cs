using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Conventions;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Naming;
using Narralytica.Schema.Parsing;

namespace Narralytica.Schema.Validation;

/// <summary>
/// Checks the read paths against the whole schema: every query and feed must be answered by an index
/// (named on the query, so the generated helper says which), versions need a unique key, a feed's
/// versioned table must reference the fed table, and helper names may not collide.
/// </summary>
internal sealed class ReadPathValidator
{
    private readonly List<SchemaDiagnostic> _diagnostics;

    public ReadPathValidator(List<SchemaDiagnostic> diagnostics) => _diagnostics = diagnostics;

    private void Report(DiagnosticRule rule, SourceSpan span, string message) => _diagnostics.Add(rule.At(span, message));

    public List<Table> Validate(List<Table> tables)
    {
        var byName = tables.ToDictionary(t => t.Name);
        var helperNames = ReservedHelperNames(tables);
        var result = new List<Table>(tables.Count);
        foreach (var table in tables)
        {
            if (table.Versions is { } versions)
                CheckVersionsKey(table, versions);
            var queries = table.Queries.Select(q => CheckQuery(table, q, helperNames)).ToEquatableArray();
            var feeds = table.Feeds.Select(f => CheckFeed(table, f, byName, helperNames)).ToEquatableArray();
            result.Add(table with { Queries = queries, Feeds = feeds });
        }
        return result;
    }

    /// <summary>Members the generator writes on the scope and the database, which a query may not shadow.</summary>
    private static Dictionary<string, string> ReservedHelperNames(List<Table> tables)
    {
        var names = new Dictionary<string, string>(System.StringComparer.Ordinal)
        {
            ["InsertAsync"] = "the generated insert", ["UpdateAsync"] = "the generated update", ["DeleteAsync"] = "the generated delete",
            ["BulkInsertAsync"] = "the generated bulk insert", ["InTransactionAsync"] = "the scope's transaction helper",
        };
        foreach (var table in tables)
            names[$"Find{table.EntityName ?? ClrNaming.Entity(table.Name)}Async"] = $"the find-by-key helper of '{table.Name}'";
        return names;
    }

    private void ClaimName(string name, SourceSpan span, Dictionary<string, string> taken, string what)
    {
        var method = ClrNaming.Pascal(name) + "Async";
        if (taken.TryGetValue(method, out var owner))
            Report(DiagnosticCatalog.BadReadPath, span, $"{what} would generate {method}, which is already {owner}; rename it");
        else
            taken[method] = what;
    }

    private void CheckVersionsKey(Table table, Versioning versions)
    {
        var wanted = new HashSet<string>(versions.Of.Concat(new[] { versions.By }));
        if (table.IsTenantScoped)
            wanted.Add(TableConventions.TenantColumn);
        if (UniqueKeys(table).Any(key => new HashSet<string>(key).SetEquals(wanted)))
            return;
        Report(DiagnosticCatalog.BadReadPath, versions.Span,
            $"'versions' of table '{table.Name}' needs a unique key on its 'of' and 'by' columns, so no two rows are the same version and the latest is found by index; " +
            $"add unique: [[{string.Join(", ", versions.Of.Concat(new[] { versions.By }))}]]");
    }

    private NamedQuery CheckQuery(Table table, NamedQuery query, Dictionary<string, string> helperNames)
    {
        var what = $"query '{query.Name}' of table '{table.Name}'";
        ClaimName(query.Name, query.Span, helperNames, what);
        var equal = Equalities(table, query.Match);
        var rest = query.Latest && table.Versions is { } v ? v.Of.Where(c => !query.Match.Contains(c)).ToList() : new List<string>();

        // What must follow the equality columns in the index for the scan to be bounded and ordered.
        var tail = new List<IndexColumn>();
        var orderFree = query.Many is not null && !query.Latest; // = ANY on a later column: PostgreSQL sorts the matches
        if (query.Overlaps is { } window)
            tail.Add(new IndexColumn(window.Start, false, NullsOrder.Default));
        else if (query.Latest && table.Versions is { } versions)
            tail.AddRange(rest.Select(c => new IndexColumn(c, false, NullsOrder.Default)).Concat(new[] { new IndexColumn(versions.By, true, NullsOrder.Default) }));
        else if (!orderFree)
            tail.AddRange(query.OrderBy.Where(c => !equal.Contains(c.Name)));

        var index = FindBackingIndex(table, equal, tail, restCount: rest.Count, match: query.Match);
        if (index is null)
        {
            ReportNoIndex(table, query.Span, what, equal, tail);
            return query;
        }
        var single = query.Many is null && query.Overlaps is null && (query.Latest
            ? rest.Count == 0
            : UniqueKeys(table).Any(key => key.All(equal.Contains)));
        return query with { BackingIndex = index, SingleRow = single };
    }

    private Feed CheckFeed(Table table, Feed feed, Dictionary<string, Table> byName, Dictionary<string, string> helperNames)
    {
        var what = $"feed '{feed.Name}' of table '{table.Name}'";
        ClaimName(feed.Name, feed.Span, helperNames, what);
        if (!table.IsTenantScoped || table.PrimaryKey.Columns.Count != 2 || table.PrimaryKey.Columns[1] != TableConventions.IdColumn)
        {
            Report(DiagnosticCatalog.BadReadPath, feed.Span, $"{what}: a feed reads one tenant's rows in key order, so its table must be tenant-scoped with the conventional (tenant_id, id) key");
            return feed;
        }
        if (!byName.TryGetValue(feed.LatestOf, out var versioned))
        {
            var closest = NodeReader.Closest(feed.LatestOf, byName.Keys);
            Report(DiagnosticCatalog.BadReadPath, feed.Span, $"{what} takes the latest rows of '{feed.LatestOf}', which is not a table.{(closest is null ? "" : $" Did you mean '{closest}'?")}");
            return feed;
        }
        if (versioned.Versions is not { } versions)
        {
            Report(DiagnosticCatalog.BadReadPath, feed.Span, $"{what} takes the latest rows of '{versioned.Name}', which declares no 'versions'; add versions: {{of: [...], by: ...}} to it");
            return feed;
        }
        var reference = versioned.ForeignKeys.FirstOrDefault(k => k.ReferencedTable == table.Name
            && k.Columns.Count == 2 && k.Columns[0] == TableConventions.TenantColumn && versions.Of.Contains(k.Columns[1]));
        if (reference is null)
        {
            Report(DiagnosticCatalog.BadReadPath, feed.Span,
                $"{what}: no column of '{versioned.Name}' among its versions' 'of' ({string.Join(", ", versions.Of)}) references '{table.Name}'; a feed brings each row the versions that belong to it");
            return feed;
        }
        var column = reference.Columns[1];
        var rest = versions.Of.Where(c => c != column).Select(c => new IndexColumn(c, false, NullsOrder.Default)).ToList();
        var equal = new HashSet<string> { TableConventions.TenantColumn, column };
        var tail = rest.Concat(new[] { new IndexColumn(versions.By, true, NullsOrder.Default) }).ToList();
        if (FindBackingIndex(versioned, equal, tail, rest.Count, EquatableArray.Of(column)) is null)
            ReportNoIndex(versioned, feed.Span, what, equal, tail);
        return feed with { ReferencingColumn = column };
    }

    private static HashSet<string> Equalities(Table table, EquatableArray<string> match)
    {
        var equal = new HashSet<string>(match);
        if (table.IsTenantScoped)
            equal.Add(TableConventions.TenantColumn);
        return equal;
    }

    /// <summary>
    /// The first btree index, key or unique constraint whose leading columns are exactly the equality
    /// columns (in any order) followed by <paramref name="tail"/>: the first <paramref name="restCount"/>
    /// tail columns in any order and direction, the others in order, all in the index's direction or
    /// all against it (a backward scan). A partial index counts when its predicate is
    /// <c>column IS NOT NULL</c> on a matched column, which every match implies.
    /// </summary>
    private static string? FindBackingIndex(Table table, HashSet<string> equal, List<IndexColumn> tail, int restCount, EquatableArray<string> match)
    {
        foreach (var (name, columns) in Candidates(table, match))
        {
            var lead = 0;
            while (lead < columns.Count && equal.Contains(columns[lead].Name))
                lead++;
            if (columns.Take(lead).Select(c => c.Name).Distinct().Count() != equal.Count || columns.Count - lead < tail.Count)
                continue;
            var rest = new HashSet<string>(tail.Take(restCount).Select(c => c.Name));
            if (!columns.Skip(lead).Take(restCount).All(c => rest.Contains(c.Name)))
                continue;
            var ordered = tail.Skip(restCount).ToList();
            var indexed = columns.Skip(lead + restCount).Take(ordered.Count).ToList();
            if (ordered.Count == 0 || indexed.Select(c => c.Name).SequenceEqual(ordered.Select(c => c.Name))
                && (indexed.Zip(ordered, (a, b) => a.Descending == b.Descending).All(same => same) || indexed.Zip(ordered, (a, b) => a.Descending != b.Descending).All(flip => flip)))
                return name;
        }
        return null;
    }

    private static IEnumerable<(string Name, List<IndexColumn> Columns)> Candidates(Table table, EquatableArray<string> match)
    {
        static List<IndexColumn> Ascending(IEnumerable<string> names) => names.Select(n => new IndexColumn(n, false, NullsOrder.Default)).ToList();
        yield return (table.PrimaryKey.Name, Ascending(table.PrimaryKey.Columns));
        foreach (var unique in table.Uniques)
            yield return (unique.Name, Ascending(unique.Columns));
        foreach (var index in table.Indexes)
        {
            if (index.Method != IndexMethod.Btree)
                continue;
            if (index.Where is null || match.Any(c => index.Where == $"{c} IS NOT NULL"))
                yield return (index.Name, index.Columns.ToList());
        }
    }

    private static IEnumerable<List<string>> UniqueKeys(Table table)
    {
        yield return table.PrimaryKey.Columns.ToList();
        foreach (var unique in table.Uniques)
            yield return unique.Columns.ToList();
        foreach (var index in table.Indexes.Where(i => i.Unique && i.Where is null))
            yield return index.Columns.Select(c => c.Name).ToList();
    }

    private void ReportNoIndex(Table table, SourceSpan span, string what, HashSet<string> equal, List<IndexColumn> tail)
    {
        var columns = equal.Where(c => c != TableConventions.TenantColumn).OrderBy(c => c, System.StringComparer.Ordinal)
            .Concat(tail.Select(c => c.Descending ? c.Name + " desc" : c.Name));
        Report(DiagnosticCatalog.NoBackingIndex, span,
            $"{what} is not answered by an index: every call would scan {(table.IsTenantScoped ? "the tenant's" : "the table's")} rows. " +
            $"Add '- [{string.Join(", ", columns)}]' to 'indexes' of table '{table.Name}'{(table.IsTenantScoped ? " (tenant_id is put first for you)" : "")}");
    }
}
