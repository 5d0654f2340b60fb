using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Narralytica.Dataset;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Sql;
using Npgsql;

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

    /// <summary>The tenant key of the benchmark database: fixed, so that every benchmark process signs with the one installed.</summary>
    public static TenantKey TenantKey { get; } = new("benchmark-key", TenantKeySecret);

    private static byte[] TenantKeySecret => SHA256.HashData(Encoding.UTF8.GetBytes("the tenant key of the Narralytica benchmarks"));

    /// <summary>Installs <see cref="TenantKey"/> in the benchmark database unless it is there (as the loading user, the owner's part).</summary>
    public static async Task InstallTenantKeyAsync(string connectionString)
    {
        var install = TenantProof.InstallKey(TenantKey.Id, Convert.ToBase64String(TenantKeySecret), 3650);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(install.TrimEnd(';') + " ON CONFLICT (id) DO NOTHING", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Read(string variable)
        => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: run the database benchmarks through Narralytica.Benchmarks' Program, which loads the data set and sets it.");
}
