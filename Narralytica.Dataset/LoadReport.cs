using System;

namespace Narralytica.Dataset;

/// <summary>What a load wrote, how long it took (COPY, VACUUM and ANALYZE included) and how large the database became.</summary>
public sealed record LoadReport(TimeSpan Duration, long Segments, long Layers, long DatabaseBytes)
{
    public override string ToString()
        => $"{Segments:N0} segments and {Layers:N0} layers loaded in {Duration.TotalSeconds:F1} s; database size {DatabaseBytes / (1024.0 * 1024.0):N0} MiB";
}
