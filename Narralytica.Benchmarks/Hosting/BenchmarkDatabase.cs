using System;
using System.Threading.Tasks;
using Narralytica.Dataset;
using Narralytica.DevServer;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.Hosting;

/// <summary>
/// The database of one benchmark run: a fresh database on the server named by NARRALYTICA_DATABASE (dropped
/// afterwards), else on a throwaway PostgreSQL (stopped and removed afterwards). The schema is created by
/// the migrations, then the data set is loaded once.
/// </summary>
public sealed class BenchmarkDatabase : IAsyncDisposable
{
    private readonly ThrowawayPostgres? _server;
    private readonly string? _adminConnectionString;
    private readonly string _name;

    private BenchmarkDatabase(ThrowawayPostgres? server, string? adminConnectionString, string name, string connectionString)
    {
        _server = server;
        _adminConnectionString = adminConnectionString;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>How long the data set took to load, and its size.</summary>
    public LoadReport? Load { get; private set; }

    /// <summary>The server's <c>SHOW server_version</c>.</summary>
    public string ServerVersion { get; private set; } = "";

    public static async Task<BenchmarkDatabase> CreateAsync(DatasetOptions options)
    {
        var database = await CreateEmptyAsync();
        try
        {
            await using (var dataSource = NpgsqlDataSource.Create(database.ConnectionString))
                await new SchemaMigrator(dataSource).ApplyAsync();
            Console.WriteLine($"Loading the benchmark data set into {database._name}:");
            var report = await DatasetLoader.LoadAsync(database.ConnectionString, new TranscriptDataset(options), Console.Out);
            Console.WriteLine(report);
            database.Load = report;
            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.OpenAsync();
                database.ServerVersion = connection.PostgreSqlVersion + " (" + connection.ServerVersion + ")";
            }
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    private static async Task<BenchmarkDatabase> CreateEmptyAsync()
    {
        var name = "narralytica_bench_" + Guid.NewGuid().ToString("N")[..8];
        var configured = Environment.GetEnvironmentVariable("NARRALYTICA_DATABASE");
        if (string.IsNullOrWhiteSpace(configured))
        {
            var server = await ThrowawayPostgres.StartAsync();
            return new BenchmarkDatabase(server, null, name, await server.CreateDatabaseAsync(name));
        }
        await ExecuteAsync(configured, $"CREATE DATABASE {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(configured) { Database = name }.ConnectionString;
        return new BenchmarkDatabase(null, configured, name, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
            await _server.DisposeAsync();
        else if (_adminConnectionString is not null)
            await ExecuteAsync(_adminConnectionString, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
