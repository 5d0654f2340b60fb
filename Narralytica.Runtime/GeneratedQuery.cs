namespace Narralytica.Runtime;

/// <summary>
/// One generated helper's statement, as listed in <c>NarralyticaQueries.All</c>: for reviews, plan checks
/// and tooling that wants to know every SQL text the data layer can send.
/// </summary>
/// <param name="Helper">The C# method, e.g. <c>TenantScope.SegmentsInWindowAsync</c>.</param>
/// <param name="Table">The table it reads.</param>
/// <param name="Sql">The exact text, with positional parameters.</param>
/// <param name="Index">The index schema.yaml's validation found to answer it (for a feed, the fed table's key).</param>
public sealed record GeneratedQuery(string Helper, string Table, string Sql, string Index);
