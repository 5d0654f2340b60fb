using System;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Integration;

/// <summary>Base of the database tests: a fresh database with the schema, and a data layer on it.</summary>
[Collection(PostgresCollection.Name)]
public abstract class DatabaseTest : IAsyncLifetime
{
    private readonly PostgresFixture _postgres;

    protected DatabaseTest(PostgresFixture postgres) => _postgres = postgres;

    protected string ConnectionString { get; private set; } = "";
    protected NpgsqlDataSource DataSource { get; private set; } = null!;
    protected NarralyticaDb Db { get; private set; } = null!;

    private NpgsqlDataSource? _readerSource;
    private NarralyticaDb? _reader;

    /// <summary>The readers' lane on the same database, as <c>narralytica_reader</c> (the tests' login may act as it): the escape hatch's.</summary>
    protected NarralyticaDb ReaderDb => _reader ??= new NarralyticaDb(_readerSource = NarralyticaDb.CreateDataSource(
        new NpgsqlConnectionStringBuilder(ConnectionString) { Options = "-c role=narralytica_reader" }.ConnectionString, TestTenantKey.Key, lane: DatabaseLane.Reader));

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await CreateDatabaseAsync(_postgres);
        DataSource = TestTenantKey.CreateDataSource(ConnectionString);
        Db = new NarralyticaDb(DataSource);
    }

    /// <summary>The database the tests run in: by default a fresh one holding the schema in <c>public</c>.</summary>
    protected virtual Task<string> CreateDatabaseAsync(PostgresFixture postgres) => postgres.CreateSchemaDatabaseAsync();

    public virtual async Task DisposeAsync()
    {
        await Db.DisposeAsync();
        await DataSource.DisposeAsync();
        await ControlPlaneFor.ReleaseAsync(ConnectionString);
        if (_reader is not null)
            await _reader.DisposeAsync();
        if (_readerSource is not null)
            await _readerSource.DisposeAsync();
        // The class's database is never used again: free the idle connections plain NpgsqlConnections pooled for it.
        await using (var connection = new NpgsqlConnection(ConnectionString))
            NpgsqlConnection.ClearPool(connection);
    }

    protected Task<Tenant> NewTenantAsync(string slug) => NewTenantAsync(Db, slug);

    /// <summary>A new tenant, inserted through <paramref name="db"/>.</summary>
    protected static async Task<Tenant> NewTenantAsync(NarralyticaDb db, string slug)
    {
        var tenant = new Tenant { Slug = slug + "-" + Guid.NewGuid().ToString("N").Substring(0, 6), Name = slug };
        await db.Control().InsertAsync(tenant);
        return tenant;
    }

    /// <summary>Runs raw SQL with positional parameters ($1, $2, …), as an application bypassing the API would.</summary>
    protected async Task<int> RawAsync(string sql, params object[] parameters)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.AddWithValue(parameter);
        return await command.ExecuteNonQueryAsync();
    }

    protected async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.AddWithValue(parameter);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    protected static async Task<PostgresException> ViolatesAsync(string sqlState, Func<Task> action)
    {
        var error = await Assert.ThrowsAnyAsync<PostgresException>(action);
        Assert.Equal(sqlState, error.SqlState);
        return error;
    }
}
