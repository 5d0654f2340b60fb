using System;
using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Runtime.Streams;

/// <summary>A change stream of schema.yaml: its publication and the decoders of its tables (see the generated <c>NarralyticaStreams</c>).</summary>
public sealed class StreamDefinition
{
    private readonly Dictionary<string, StreamTableDecoder> _decoders;

    /// <summary>A stream of <paramref name="publication"/> with a decoder per table.</summary>
    public StreamDefinition(string publication, IReadOnlyList<StreamTableDecoder> tables)
    {
        Publication = publication;
        Tables = tables;
        _decoders = tables.ToDictionary(t => t.Table, StringComparer.Ordinal);
    }

    /// <summary>The PostgreSQL publication the stream reads.</summary>
    public string Publication { get; }

    /// <summary>The decoders of the published tables.</summary>
    public IReadOnlyList<StreamTableDecoder> Tables { get; }

    internal StreamTableDecoder? Decoder(string table) => _decoders.TryGetValue(table, out var decoder) ? decoder : null;
}
