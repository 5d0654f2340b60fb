using System;
using Narralytica.Dataset;

namespace Narralytica.Benchmarks.Hosting;

/// <summary>
/// How the host tells the benchmark processes (BenchmarkDotNet starts one per benchmark) where the loaded
/// database is and which data set it holds: two environment variables, which child processes inherit.
/// </summary>
public static class BenchmarkEnvironment
{
    public const string ConnectionVariable = "NARRALYTICA_BENCH_CONNECTION";
    public const string DatasetVariable = "NARRALYTICA_BENCH_DATASET";

    public static void Publish(string connectionString, string preset)
    {
        Environment.SetEnvironmentVariable(ConnectionVariable, connectionString);
        Environment.SetEnvironmentVariable(DatasetVariable, preset);
    }

    public static string ConnectionString => Read(ConnectionVariable);

    public static DatasetOptions Dataset => DatasetOptions.Preset(Read(DatasetVariable));

    private static string Read(string variable)
        => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: run the database benchmarks through Narralytica.Benchmarks' Program, which loads the data set and sets it.");
}
