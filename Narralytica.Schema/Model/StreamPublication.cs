namespace Narralytica.Schema.Model;

/// <summary>
/// A change stream of schema.yaml's <c>streams:</c>: a PostgreSQL publication of that name over the given tables,
/// which logical replication slots decode (pgoutput) so derived systems (search indexes, projections) stay current.
/// </summary>
/// <param name="Name">The publication's name, as PostgreSQL knows it.</param>
/// <param name="Tables">The published tables, in the order schema.yaml lists them.</param>
public sealed record StreamPublication(string Name, string? Doc, EquatableArray<string> Tables, SourceSpan Span);
