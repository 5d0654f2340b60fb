using System;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Narralytica.Cli.Roles;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// The two logins the stream demo runs its derived system as, made for it and dropped after it: the stream login (the
/// readers' lane with REPLICATION: the audited snapshot read and the stream) and the search login, which owns the
/// <c>search</c> schema the projection writes and nothing else. The canonical tables are never written by either.
/// </summary>
public sealed class StreamDemoLogins
{
    private readonly string _serverConnectionString;

    private StreamDemoLogins(string serverConnectionString, string reader, string search, string readerConnectionString, string searchConnectionString)
    {
        _serverConnectionString = serverConnectionString;
        Reader = reader;
        Search = search;
        ReaderConnectionString = readerConnectionString;
        SearchConnectionString = searchConnectionString;
    }

    public string Reader { get; }
    public string Search { get; }

    /// <summary>The demo's database as the stream login.</summary>
    public string ReaderConnectionString { get; }

    /// <summary>The demo's database as the search login.</summary>
    public string SearchConnectionString { get; }

    /// <summary>
    /// Creates both logins (random passwords) and the search schema, owned by the search login, in <paramref name="demoConnectionString"/>'s
    /// database. Giving REPLICATION needs a superuser: another login is told so.
    /// </summary>
    public static async Task<StreamDemoLogins> CreateAsync(string serverConnectionString, string demoConnectionString)
    {
        var suffix = Guid.NewGuid().ToString("N").Substring(0, 8);
        var (reader, search) = ("narralytica_stream_demo_reader_" + suffix, "narralytica_stream_demo_search_" + suffix);
        var (readerPassword, searchPassword) = (NewPassword(), NewPassword());
        await using (var connection = new NpgsqlConnection(demoConnectionString))
        {
            await connection.OpenAsync();
            await StreamLoginSetup.CreateOrUpdateAsync(connection, reader, readerPassword, SessionTimeouts.RequestDefaults);
        }
        var logins = new StreamDemoLogins(serverConnectionString, reader, search,
            As(demoConnectionString, reader, readerPassword), As(demoConnectionString, search, searchPassword));
        try
        {
            await DemoDatabase.ExecuteAsync(demoConnectionString, $"CREATE ROLE {search} LOGIN PASSWORD {SqlIdentifier.Literal(searchPassword)}",
                "the stream demo writes its search schema as a login of its own, which needs CREATEROLE");
            await DemoDatabase.ExecuteAsync(demoConnectionString, $"CREATE SCHEMA search AUTHORIZATION {search}", "the search login owns the search schema");
        }
        catch
        {
            // Nothing owns anything yet: the logins go at once, not left on the server.
            await logins.DropAsync();
            throw;
        }
        return logins;
    }

    /// <summary>Drops both logins, once the demo's database (where the search login owns a schema) is gone.</summary>
    public async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await DemoDatabase.ExecuteAsync(_serverConnectionString, $"DROP ROLE IF EXISTS {Reader}, {Search}", "dropping the demo's logins");
    }

    private static string As(string connectionString, string login, string password)
        => new NpgsqlConnectionStringBuilder(connectionString) { Username = login, Password = password, Options = null }.ConnectionString;

    private static string NewPassword() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
