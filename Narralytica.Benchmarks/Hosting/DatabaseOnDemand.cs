using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.EventProcessors;
using BenchmarkDotNet.Running;
using Narralytica.Benchmarks.HotPaths;

namespace Narralytica.Benchmarks.Hosting;

/// <summary>
/// Creates and loads the benchmark database just before the first benchmark that needs it runs, so a run of
/// the tooling benchmarks alone never starts PostgreSQL. One database per run, shared by every database benchmark.
/// </summary>
public sealed class DatabaseOnDemand : EventProcessor, IAsyncDisposable
{
    private readonly string _preset;
    private BenchmarkDatabase? _database;

    public DatabaseOnDemand(string preset) => _preset = preset;

    /// <summary>The loaded database, once a database benchmark has run.</summary>
    public BenchmarkDatabase? Database => _database;

    public override void OnStartRunBenchmarksInType(Type type, IReadOnlyList<BenchmarkCase> benchmarks)
    {
        if (_database is not null || !typeof(DatabaseBenchmark).IsAssignableFrom(type))
            return;
        // BenchmarkDotNet's events are synchronous; the run waits for the load anyway.
        _database = BenchmarkDatabase.CreateAsync(Dataset.DatasetOptions.Preset(_preset)).GetAwaiter().GetResult();
        BenchmarkEnvironment.Publish(_database.ConnectionString, _preset);
    }

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;
}
