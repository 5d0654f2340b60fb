using System;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.DevServer;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Narralytica.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL for the whole run: the server in NARRALYTICA_TEST_DATABASE when set, else a
/// throwaway cluster. Each test class gets fresh databases cloned from a template that already holds
/// the schema. If neither can be had, every database test fails with the reason; none is skipped.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string TemplateName = "narralytica_template";
    private readonly IMessageSink _messages;
    private ThrowawayPostgres? _server;
    private NpgsqlConnectionStringBuilder? _admin;
    private int _counter;

    /// <summary><paramref name="messages"/>: the run's diagnostic messages, shown by <c>dotnet test</c> (xunit.runner.json), so the first minute is not silent.</summary>
    public PostgresFixture(IMessageSink messages) => _messages = messages;

    private void Progress(string line) => _messages.OnMessage(new DiagnosticMessage(line));

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("NARRALYTICA_TEST_DATABASE");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _admin = new NpgsqlConnectionStringBuilder(configured);
        }
        else
        {
            try
            {
                _server = await ThrowawayPostgres.StartAsync(Progress);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException(
                    "The database tests need PostgreSQL and could not start a throwaway cluster. " + e.Message, e);
            }
            _admin = new NpgsqlConnectionStringBuilder(_server.ConnectionString());
        }

        // A per-run template name, so runs sharing one server never collide.
        Progress($"Creating the template database {Template} (the full schema; each test class clones it)…");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await ExecuteAsync(_admin.ConnectionString, $"DROP DATABASE IF EXISTS {Template} WITH (FORCE)");
        await ExecuteAsync(_admin.ConnectionString, $"CREATE DATABASE {Template}");
        await ApplySchemaAsync(WithDatabase(Template));
        NpgsqlConnection.ClearAllPools();
        Progress($"Template database {Template} ready in {clock.Elapsed.TotalSeconds:0.0} s; the tests run now.");
    }

    private string Template { get; } = TemplateName + "_" + Environment.ProcessId;

    /// <summary>A new database with the full schema created, for one test class or test.</summary>
    public async Task<string> CreateSchemaDatabaseAsync()
    {
        var name = $"{Template}_{Interlocked.Increment(ref _counter)}";
        await ExecuteAsync(Admin, $"CREATE DATABASE {name} TEMPLATE {Template}");
        // A clone starts with the default privileges on the database and no role settings in it: the guards again.
        foreach (var statement in Narralytica.Schema.Sql.SessionGuards.Create())
            await ExecuteAsync(WithDatabase(name), statement);
        return WithDatabase(name);
    }

    /// <summary>The schema the tests put a second copy of the tables in: mixed case, so that it must be quoted to be found.</summary>
    public const string SecondSchema = "Staging";

    /// <summary>
    /// A new database holding the schema twice: in <c>public</c>, and applied by the embedded migrations in
    /// <see cref="SecondSchema"/>, as a staging or per-branch schema would be. The connection string's search path
    /// names the second copy.
    /// </summary>
    public async Task<string> CreateSchemaTwiceDatabaseAsync()
    {
        var connectionString = await CreateSchemaDatabaseAsync();
        await ExecuteAsync(connectionString, $"CREATE SCHEMA \"{SecondSchema}\"");
        var second = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = $"\"{SecondSchema}\"" }.ConnectionString;
        await using (var dataSource = NpgsqlDataSource.Create(second))
            await new SchemaMigrator(dataSource).ApplyAsync();
        await TestTenantKey.InstallAsync(second);
        return second;
    }

    /// <summary>A new, empty database.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = $"{Template}_empty_{Interlocked.Increment(ref _counter)}";
        await ExecuteAsync(Admin, $"CREATE DATABASE {name}");
        return WithDatabase(name);
    }

    public static async Task ApplySchemaAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var statement in NarralyticaSchema.CreateStatements)
            await new NpgsqlCommand(statement, connection, transaction).ExecuteNonQueryAsync();
        await new NpgsqlCommand(TestTenantKey.InstallSql, connection, transaction).ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        // Unpooled: the tests run this once or twice per fresh database, and an idle pooled connection per database
        // would only count against the server's max_connections for the rest of the run.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync();
    }

    private string Admin => _admin?.ConnectionString ?? throw new InvalidOperationException("PostgreSQL is not available; see the first test failure.");

    private string WithDatabase(string name) => new NpgsqlConnectionStringBuilder(Admin) { Database = name }.ConnectionString;

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
            return;
        }
        if (_admin is null)
            return;
        // On a shared server, leave nothing behind.
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        var names = new System.Collections.Generic.List<string>();
        await using (var reader = await new NpgsqlCommand($"SELECT datname FROM pg_database WHERE datname LIKE '{Template}%'", connection).ExecuteReaderAsync())
            while (await reader.ReadAsync())
                names.Add(reader.GetString(0));
        foreach (var name in names)
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection).ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
