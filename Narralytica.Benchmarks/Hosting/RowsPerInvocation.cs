using System;
using System.Collections.Generic;
using Narralytica.Benchmarks.HotPaths;
using Narralytica.Dataset;

namespace Narralytica.Benchmarks.Hosting;

/// <summary>The benchmarks measured in rows per second, and how many rows one invocation handles.</summary>
public static class RowsPerInvocation
{
    public static IReadOnlyDictionary<Type, int> For(TranscriptDataset dataset) => new Dictionary<Type, int>
    {
        [typeof(RebuildFeedBenchmarks)] = RebuildFeedBenchmarks.SegmentsPerInvocation(dataset),
        [typeof(IngestBenchmarks)] = IngestBenchmarks.RowsPerInvocation(dataset),
        [typeof(ChangeStreamBenchmarks)] = ChangeStreamBenchmarks.ChangesPerInvocation(dataset),
        [typeof(QueueThroughputBenchmarks)] = QueueThroughputBenchmarks.JobsPerInvocation(dataset),
        [typeof(QueueBacklogBenchmarks)] = QueueThroughputBenchmarks.JobsPerInvocation(dataset),
    };
}
