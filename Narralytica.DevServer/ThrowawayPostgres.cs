using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.DevServer;

/// <summary>
/// A PostgreSQL cluster that lives as long as this object: a temporary data folder, a free port on
/// 127.0.0.1, trust authentication, durability off (it is thrown away). initdb refuses to run as
/// root, so as root the server runs as the 'postgres' system user.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private readonly string _binDir;
    private readonly string _dataDir;
    private readonly string _rootDir;
    private readonly bool _asPostgresUser;
    private int _disposed;

    private ThrowawayPostgres(string binDir, string rootDir, int port, bool asPostgresUser)
    {
        _binDir = binDir;
        _rootDir = rootDir;
        _dataDir = Path.Combine(rootDir, "data");
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    /// <summary>A connection string for <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres")
        => new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = SuperUser, Database = database, Pooling = true }.ConnectionString;

    public static async Task<ThrowawayPostgres> StartAsync(CancellationToken cancellationToken = default)
    {
        var binDir = PostgresBinaries.Locate();
        var asPostgresUser = IsRoot();
        var rootDir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "narralytica-pg-" + Guid.NewGuid().ToString("N").Substring(0, 12))).FullName;
        var server = new ThrowawayPostgres(binDir, rootDir, FreePort(), asPostgresUser);
        try
        {
            if (asPostgresUser)
                await Run("chown", new[] { "postgres", rootDir }, cancellationToken, "give the data folder to the 'postgres' user (it must exist: it comes with the postgresql package)");
            await server.RunPg("initdb", new[] { "-D", server._dataDir, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync" }, cancellationToken);
            var options = $"-p {server.Port} -c listen_addresses=127.0.0.1 -k {rootDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
            await server.RunPg("pg_ctl", new[] { "-D", server._dataDir, "-l", Path.Combine(rootDir, "server.log"), "-w", "-t", "60", "-o", options, "start" }, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"")}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (File.Exists(Path.Combine(_dataDir, "postmaster.pid")))
                await RunPg("pg_ctl", new[] { "-D", _dataDir, "-m", "immediate", "-w", "stop" }, CancellationToken.None);
        }
        catch (Exception)
        {
            // Best effort: the folder is removed below either way.
        }
        try { Directory.Delete(_rootDir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private Task RunPg(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_binDir, tool);
        return _asPostgresUser
            ? Run("runuser", new[] { "-u", "postgres", "--", path }.Concat(arguments).ToArray(), cancellationToken, tool)
            : Run(path, arguments, cancellationToken, tool);
    }

    private static async Task Run(string fileName, string[] arguments, CancellationToken cancellationToken, string what)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Could not run '{fileName}' ({what}): {e.Message}. {PostgresBinaries.InstallHint}", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{fileName} {string.Join(" ", arguments)}' ({what}) failed with exit code {process.ExitCode}:\n{output}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static bool IsRoot() => OperatingSystem.IsLinux() && Environment.UserName == "root";
}
