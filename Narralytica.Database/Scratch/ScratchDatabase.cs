using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Database.Scratch;

/// <summary>A database that lives for one check: created on a server with a unique name, dropped (with its connections) after.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;
    private readonly string _name;

    private ScratchDatabase(string serverConnectionString, string name, string connectionString)
    {
        _serverConnectionString = serverConnectionString;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <param name="serverConnectionString">Any database of the server, as a user that may create databases.</param>
    public static async Task<ScratchDatabase> CreateAsync(string serverConnectionString, CancellationToken cancellationToken = default)
    {
        var name = "narralytica_scratch_" + Guid.NewGuid().ToString("N").Substring(0, 12);
        await using (var connection = new NpgsqlConnection(serverConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            try
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new LiveSchemaException($"building the migrations needs a scratch database, which this user may not create: {e.MessageText}. " +
                                              "Connect as a user with CREATEDB (the database is dropped afterwards), or leave out the connection to use a throwaway server.");
            }
        }
        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, Pooling = false };
        return new ScratchDatabase(serverConnectionString, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
