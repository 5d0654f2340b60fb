using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// What row-level security costs on each hot path: the same generated helper, the same statements and the same
/// signed tenant, once on a connection row-level security does not bind (the loading superuser: RLS off, the
/// baseline) and once as <c>narralytica_app</c>, which the policies bind (RLS on). The ratio is the policies' own
/// cost: their predicate on every row read or written, the proof's verification once per statement.
/// </summary>
public class RowSecurityBenchmarks : AppRoleHotPathBenchmark
{
    [Benchmark(Baseline = true, Description = "generated helper, RLS off (superuser)")]
    public Task<int> RowSecurityOff() => RunGeneratedAsync(Scope);

    [Benchmark(Description = "generated helper, RLS on (narralytica_app)")]
    public Task<int> RowSecurityOn() => RunGeneratedAsync(AsApp);
}
