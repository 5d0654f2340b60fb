using System;
using System.Collections.Generic;

namespace Narralytica.Runtime.Streams;

/// <summary>What a <see cref="ChangeStream"/> reads, from where, and which of its changes it hands on.</summary>
/// <param name="ConnectionString">
/// The stream login: the REPLICATION attribute of its own and a member of <c>narralytica_reader</c>, whose audited
/// cross-tenant read the snapshot goes through (docs/streams.md; <c>narralytica roles create --stream-login</c>).
/// </param>
/// <param name="Stream">The stream, from the generated <c>NarralyticaStreams</c>.</param>
/// <param name="SlotName">The replication slot: the stream's position on the server, kept across restarts. One per derived system.</param>
public sealed record ChangeStreamOptions(string ConnectionString, StreamDefinition Stream, string SlotName)
{
    /// <summary>Only this tenant's rows (global tables' rows are left out too); null for every tenant.</summary>
    public Guid? Tenant { get; init; }

    /// <summary>Only these tables; null for every table of the stream.</summary>
    public IReadOnlySet<string>? Tables { get; init; }

    internal bool Wants(string table) => Tables is null || Tables.Contains(table);
}
