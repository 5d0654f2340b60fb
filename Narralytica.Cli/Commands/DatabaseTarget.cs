using System;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.DevServer;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// Where a command works: the server from --connection or NARRALYTICA_DATABASE, or else a
/// throwaway PostgreSQL started for the command and removed after it.
/// </summary>
public sealed class DatabaseTarget : IAsyncDisposable
{
    private readonly ThrowawayPostgres? _server;

    private DatabaseTarget(string connectionString, string description, ThrowawayPostgres? server)
    {
        ConnectionString = connectionString;
        Description = description;
        _server = server;
    }

    public string ConnectionString { get; }

    /// <summary>For output: which server, without the password.</summary>
    public string Description { get; }

    public bool IsThrowaway => _server is not null;

    public static async Task<DatabaseTarget> OpenAsync(string? connectionOption, string throwawayDatabase, CancellationToken cancellationToken = default)
    {
        var existing = await ConnectAsync(connectionOption);
        return existing ?? await StartThrowawayAsync(throwawayDatabase, cancellationToken);
    }

    /// <summary>A throwaway PostgreSQL for this command, whatever NARRALYTICA_DATABASE says; removed when disposed or on Ctrl-C.</summary>
    public static async Task<DatabaseTarget> StartThrowawayAsync(string throwawayDatabase, CancellationToken cancellationToken = default)
    {
        ThrowawayPostgres server;
        try
        {
            server = await ThrowawayPostgres.StartAsync(CliOutput.Progress, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new CliError("A throwaway PostgreSQL could not be started (and no server was given with --connection or NARRALYTICA_DATABASE): " + e.Message, ErrorCodes.ServerStartFailed);
        }
        var connectionString = await server.CreateDatabaseAsync(throwawayDatabase);
        return new DatabaseTarget(connectionString, $"a throwaway PostgreSQL on 127.0.0.1:{server.Port} (removed on exit)", server);
    }

    /// <summary>The server named by --connection or NARRALYTICA_DATABASE; a command that changes a real database never falls back to a throwaway one.</summary>
    public static async Task<DatabaseTarget> OpenExistingAsync(string? connectionOption, string command)
        => await ConnectAsync(connectionOption)
           ?? throw new CliError($"{command} needs a database: pass --connection \"Host=…;Database=…;Username=…;Password=…\" or set NARRALYTICA_DATABASE.", ErrorCodes.NoDatabase);

    /// <summary>Null when no connection is given; an error that says what to fix when it is malformed or unreachable.</summary>
    private static async Task<DatabaseTarget?> ConnectAsync(string? connectionOption)
    {
        var connection = connectionOption ?? Environment.GetEnvironmentVariable("NARRALYTICA_DATABASE");
        if (string.IsNullOrWhiteSpace(connection))
            return null;
        var source = connectionOption is null ? "NARRALYTICA_DATABASE" : "--connection";
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connection);
        }
        catch (ArgumentException e)
        {
            throw ConnectionFailures.Malformed(e, source);
        }
        if (string.IsNullOrWhiteSpace(parsed.Host))
            throw ConnectionFailures.Malformed(new ArgumentException("it names no server: Host= is missing"), source);
        await using (var probe = new NpgsqlConnection(parsed.ConnectionString))
        {
            try
            {
                await probe.OpenAsync();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException or TimeoutException)
            {
                throw ConnectionFailures.Describe(e, parsed, source);
            }
        }
        return new DatabaseTarget(parsed.ConnectionString, $"{parsed.Host}:{parsed.Port}/{parsed.Database} (from {source})", null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
