using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Benchmarks.Competitors;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Dataset;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// What every hot-path benchmark starts from: the loaded data set, one tenant, and each competitor ready on
/// its own open connection, so an invocation measures the query and the materialization, not connecting.
/// A benchmark class picks its tenant (<see cref="ChooseTenant"/>) and inputs (<see cref="ChooseInputs"/>);
/// another way of running a hot path is one more [Benchmark] method using <see cref="Scope"/> and those inputs.
/// </summary>
[MemoryDiagnoser]
public abstract class DatabaseBenchmark
{
    private NpgsqlDataSource _plainDataSource = null!;
    private NpgsqlDataSource _modelDataSource = null!;
    private NarralyticaDb _db = null!;

    protected TranscriptDataset Dataset { get; private set; } = null!;

    protected DatasetTenant Tenant { get; private set; } = null!;

    /// <summary>The tenant scope of Narralytica.Model (linq2db), bound to <see cref="Tenant"/>.</summary>
    protected TenantScope Scope { get; private set; } = null!;

    protected RawNpgsql Raw { get; private set; } = null!;

    protected DapperQueries Dapper { get; private set; } = null!;

    protected EfCoreQueries EfCore { get; private set; } = null!;

    protected Linq2DbQueries Linq2Db { get; private set; } = null!;

    [GlobalSetup]
    public async Task GlobalSetupAsync()
    {
        var connectionString = BenchmarkEnvironment.ConnectionString;
        Dataset = new TranscriptDataset(BenchmarkEnvironment.Dataset);
        Tenant = ChooseTenant();
        // The baseline and its plain competitors share a data source without the model's enum mappings;
        // the model's layer gets its own, as an application would create it.
        _plainDataSource = NpgsqlDataSource.Create(connectionString);
        await BenchmarkEnvironment.InstallTenantKeyAsync(connectionString);
        _modelDataSource = NarralyticaDb.CreateDataSource(connectionString, BenchmarkEnvironment.TenantKey);
        _db = new NarralyticaDb(_modelDataSource);
        Scope = _db.ForTenant(Tenant.Id);
        Raw = await RawNpgsql.OpenAsync(_plainDataSource, BenchmarkEnvironment.TenantKey);
        Dapper = await DapperQueries.OpenAsync(_plainDataSource);
        EfCore = new EfCoreQueries(_plainDataSource);
        Linq2Db = new Linq2DbQueries(Scope);
        ChooseInputs();
        await SetUpMoreAsync(connectionString);
    }

    [GlobalCleanup]
    public async Task GlobalCleanupAsync()
    {
        await CleanUpMoreAsync();
        await Raw.DisposeAsync();
        await Dapper.DisposeAsync();
        await EfCore.DisposeAsync();
        await _db.DisposeAsync();
        await _modelDataSource.DisposeAsync();
        await _plainDataSource.DisposeAsync();
    }

    /// <summary>What a benchmark class needs besides the competitors, e.g. another connection; after <see cref="ChooseInputs"/>.</summary>
    protected virtual Task SetUpMoreAsync(string connectionString) => Task.CompletedTask;

    /// <summary>Releases what <see cref="SetUpMoreAsync"/> took.</summary>
    protected virtual Task CleanUpMoreAsync() => Task.CompletedTask;

    /// <summary>The tenant the benchmark reads or writes; the first normal tenant unless overridden.</summary>
    protected virtual DatasetTenant ChooseTenant() => Dataset.Tenants[0];

    /// <summary>Computes the benchmark's inputs from <see cref="Dataset"/> (deterministic: the same in every process).</summary>
    protected abstract void ChooseInputs();
}
