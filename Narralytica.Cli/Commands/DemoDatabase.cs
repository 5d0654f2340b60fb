using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// Where a demo works: on a throwaway server (none given), the database started for it; on a given server, a database
/// of its own, created for the demo (which needs CREATEDB) and dropped with everything in it afterwards, so the demo
/// never touches the server's other databases.
/// </summary>
public sealed class DemoDatabase : IAsyncDisposable
{
    private readonly DatabaseTarget _target;
    private string? _ownDatabase;

    private DemoDatabase(DatabaseTarget target, string connectionString, string? ownDatabase)
    {
        _target = target;
        ConnectionString = connectionString;
        _ownDatabase = ownDatabase;
    }

    /// <summary>The demo's database, as the given (or throwaway) login.</summary>
    public string ConnectionString { get; }

    /// <summary>The server's database the demo was given (or the throwaway one), for statements about the cluster: roles, dropping the demo's database.</summary>
    public string ServerConnectionString => _target.ConnectionString;

    /// <summary>For output: which server, without the password.</summary>
    public string Description => _target.Description;

    /// <summary>Whether the server is thrown away after the demo, and everything on it with it.</summary>
    public bool IsThrowaway => _target.IsThrowaway;

    /// <param name="connectionOption">--connection, or null (NARRALYTICA_DATABASE, or else a throwaway server).</param>
    /// <param name="name">The database's name: the throwaway's, and on a given server the prefix of the demo's own.</param>
    /// <param name="demo">Which demo, for the error when the login may not create a database.</param>
    public static async Task<DemoDatabase> OpenAsync(string? connectionOption, string name, string demo, CancellationToken cancellationToken)
    {
        var target = await DatabaseTarget.OpenAsync(connectionOption, name, cancellationToken);
        if (target.IsThrowaway)
            return new DemoDatabase(target, target.ConnectionString, null);
        var own = name + "_" + Guid.NewGuid().ToString("N").Substring(0, 8);
        try
        {
            await ExecuteAsync(target.ConnectionString, $"CREATE DATABASE {own}", $"the {demo} works in a database of its own on a given server, which needs CREATEDB");
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
        return new DemoDatabase(target, new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = own }.ConnectionString, own);
    }

    /// <summary>Drops the demo's own database (on a given server; a throwaway one goes as a whole). Idempotent.</summary>
    public async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_ownDatabase is { } own)
        {
            _ownDatabase = null;
            await ExecuteAsync(_target.ConnectionString, $"DROP DATABASE {own} WITH (FORCE)", "dropping the demo's database");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DropAsync();
        }
        finally
        {
            await _target.DisposeAsync();
        }
    }

    /// <summary>A statement that needs a privilege the login may lack: refused, it says what was being done.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql, string what)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new CliError($"{e.MessageText}: {what}. Run it as a user that has the privilege.", ErrorCodes.PermissionDenied);
        }
    }
}
