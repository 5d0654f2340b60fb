using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
/// root, so as root the server runs as the 'postgres' system user. A cluster left behind by a killed
/// process is stopped and removed by the next start (see <see cref="ThrowawayFolders"/>).
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private static readonly ConcurrentDictionary<ThrowawayPostgres, byte> Running = new();
    private readonly string _binDir;
    private readonly string _dataDir;
    private readonly string _rootDir;
    private readonly bool _asPostgresUser;
    private readonly object _disposeLock = new();
    private Task? _disposal;

    private ThrowawayPostgres(string binDir, string rootDir, int port, bool asPostgresUser)
    {
        _binDir = binDir;
        _rootDir = rootDir;
        _dataDir = Path.Combine(rootDir, "data");
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    /// <summary>The cluster's folder (data, log and socket), removed on dispose.</summary>
    public string Folder => _rootDir;

    /// <summary>A connection string for <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres")
        => new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = SuperUser, Database = database, Pooling = true }.ConnectionString;

    public static Task<ThrowawayPostgres> StartAsync(CancellationToken cancellationToken = default) => StartAsync(null, cancellationToken);

    /// <summary>
    /// What the server runs with for change streams (logical replication): <c>wal_level=logical</c>, and room for the
    /// replication slots and WAL senders of tests and demos that run at once.
    /// </summary>
    public const string ReplicationSettings = "-c wal_level=logical -c max_replication_slots=40 -c max_wal_senders=40";

    public static Task<ThrowawayPostgres> StartAsync(Action<string>? progress, CancellationToken cancellationToken = default)
        => StartAsync(progress, extraSettings: null, cancellationToken);

    /// <summary>
    /// Removes clusters left by killed runs, then creates and starts a new one. <paramref name="progress"/> hears each
    /// step (initdb takes seconds, more on a busy machine), so that nobody waits in silence.
    /// </summary>
    /// <param name="extraSettings">Server settings (<c>-c name=value</c> …) after the defaults, which they override: a test
    /// that needs a server unlike the usual one (say, <c>-c wal_level=replica</c>) passes them.</param>
    public static async Task<ThrowawayPostgres> StartAsync(Action<string>? progress, string? extraSettings, CancellationToken cancellationToken = default)
    {
        var binDir = PostgresBinaries.Locate();
        var asPostgresUser = IsRoot();
        await RemoveStaleAsync(binDir, asPostgresUser, progress);
        var clock = Stopwatch.StartNew();
        var rootDir = Directory.CreateDirectory(ThrowawayFolders.NewFolder()).FullName;
        var server = new ThrowawayPostgres(binDir, rootDir, FreePort(), asPostgresUser);
        Running.TryAdd(server, 0);
        try
        {
            if (asPostgresUser)
                await Run("chown", new[] { "postgres", rootDir }, cancellationToken, "give the data folder to the 'postgres' user (it must exist: it comes with the postgresql package)");
            progress?.Invoke($"Starting a throwaway PostgreSQL in {rootDir}: creating the cluster (initdb)…");
            await server.RunPg("initdb", new[] { "-D", server._dataDir, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync" }, cancellationToken);
            progress?.Invoke($"Starting a throwaway PostgreSQL: starting the server on 127.0.0.1:{server.Port}…");
            var options = $"-p {server.Port} -c listen_addresses=127.0.0.1 -k {rootDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 {ReplicationSettings} {extraSettings}";
            await server.RunPg("pg_ctl", new[] { "-D", server._dataDir, "-l", Path.Combine(rootDir, "server.log"), "-w", "-t", "60", "-o", options, "start" }, cancellationToken);
            progress?.Invoke($"Starting a throwaway PostgreSQL: ready on 127.0.0.1:{server.Port} in {clock.Elapsed.TotalSeconds:0.0} s.");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops and removes every cluster this process still runs: what an interrupted command (Ctrl-C, SIGTERM) does
    /// before it exits. Returns the folders removed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> StopAllAsync()
    {
        var servers = Running.Keys.ToList();
        await Task.WhenAll(servers.Select(s => s.DisposeAsync().AsTask()));
        return servers.Select(s => s._rootDir).ToList();
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

    /// <summary>Stops the server and removes its folder; every caller awaits the same stop, however many call.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_disposeLock)
            _disposal ??= Task.Run(StopAndRemoveAsync);
        return new ValueTask(_disposal);
    }

    private async Task StopAndRemoveAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await StopClusterAsync(_binDir, _dataDir, _asPostgresUser);
        RemoveFolder(_rootDir);
        Running.TryRemove(this, out _);
    }

    private static async Task RemoveStaleAsync(string binDir, bool asPostgresUser, Action<string>? progress)
    {
        foreach (var (folder, pid) in ThrowawayFolders.Stale())
        {
            progress?.Invoke($"Removing a throwaway PostgreSQL left by process {pid}, which no longer runs: {folder}");
            await StopClusterAsync(binDir, Path.Combine(folder, "data"), asPostgresUser);
            RemoveFolder(folder);
        }
    }

    /// <summary>
    /// Stops the cluster in <paramref name="dataDir"/> if it runs: pg_ctl first, the postmaster's own pid when pg_ctl
    /// cannot; returns once the postmaster process is gone, not merely told to go.
    /// </summary>
    private static async Task StopClusterAsync(string binDir, string dataDir, bool asPostgresUser)
    {
        var pidFile = Path.Combine(dataDir, "postmaster.pid");
        if (!File.Exists(pidFile))
            return;
        using var postmaster = Postmaster(pidFile);
        try
        {
            await RunPg(binDir, asPostgresUser, "pg_ctl", new[] { "-D", dataDir, "-m", "immediate", "-w", "stop" }, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // pg_ctl could not stop it (a half-written pid file, binaries gone): end the postmaster itself.
            try { postmaster?.Kill(entireProcessTree: true); }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
        }
        for (var waited = 0; postmaster is not null && !HasEnded(postmaster) && waited < 100; waited++)
            await Task.Delay(100);
    }

    private static Process? Postmaster(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) ? Process.GetProcessById(pid) : null;
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            return null; // no pid yet, or the process is already gone
        }
    }

    private static bool HasEnded(Process process)
    {
        try { return process.HasExited; }
        catch (InvalidOperationException) { return true; }
    }

    private static void RemoveFolder(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private Task RunPg(string tool, string[] arguments, CancellationToken cancellationToken)
        => RunPg(_binDir, _asPostgresUser, tool, arguments, cancellationToken);

    private static Task RunPg(string binDir, bool asPostgresUser, string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(binDir, tool);
        return asPostgresUser
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
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // An interrupted start must not leave initdb writing into a folder that is about to be removed.
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            throw;
        }
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
