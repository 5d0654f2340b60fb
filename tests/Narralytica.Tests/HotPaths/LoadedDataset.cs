using System.Collections.Concurrent;
using System.Threading.Tasks;
using Narralytica.Dataset;
using Narralytica.Tests.Infrastructure;

namespace Narralytica.Tests.HotPaths;

/// <summary>
/// The benchmarks' generated data set at its test size (2 tenants × 10 transcripts × 300 segments, three
/// layer kinds × two versions), loaded once per test run into a database of its own and analyzed.
/// </summary>
public sealed record LoadedDataset(TranscriptDataset Dataset, string ConnectionString)
{
    private static readonly ConcurrentDictionary<PostgresFixture, Task<LoadedDataset>> Loaded = new();

    public static Task<LoadedDataset> GetAsync(PostgresFixture postgres) => Loaded.GetOrAdd(postgres, LoadAsync);

    private static async Task<LoadedDataset> LoadAsync(PostgresFixture postgres)
    {
        var connectionString = await postgres.CreateSchemaDatabaseAsync();
        var dataset = new TranscriptDataset(DatasetOptions.Test);
        await DatasetLoader.LoadAsync(connectionString, dataset);
        return new LoadedDataset(dataset, connectionString);
    }
}
