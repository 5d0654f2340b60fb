using BenchmarkDotNet.Running;

namespace Narralytica.Benchmarks;

public static class Program
{
    // Pick benchmarks with BenchmarkDotNet's own switches, e.g. --filter '*Schema*'.
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
