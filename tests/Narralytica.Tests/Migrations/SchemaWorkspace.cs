using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Narralytica.Schema;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Npgsql;

namespace Narralytica.Tests.Migrations;

/// <summary>
/// One database for many schema experiments: each experiment builds in a PostgreSQL schema of its
/// own (enum types included), set first on the search path, so hundreds of pairs need no new database.
/// </summary>
public sealed class SchemaWorkspace : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private int _counter;

    private SchemaWorkspace(NpgsqlConnection connection) => _connection = connection;

    public static async Task<SchemaWorkspace> OpenAsync(PostgresFixture postgres)
    {
        var connection = new NpgsqlConnection(await postgres.CreateEmptyDatabaseAsync());
        await connection.OpenAsync();
        return new SchemaWorkspace(connection);
    }

    public NpgsqlConnection Connection => _connection;

    /// <summary>A new, empty schema, first on the search path; returns its name.</summary>
    public async Task<string> NewSchemaAsync()
    {
        var name = "s" + ++_counter;
        await MigrationRunner.RunAsync(_connection, new[] { $"CREATE SCHEMA {name}", $"SET search_path TO {name}, public" }, transactional: false);
        return name;
    }

    /// <summary>A new schema holding <paramref name="model"/>, created with the fresh-database DDL.</summary>
    public async Task<string> FreshAsync(SchemaModel model)
    {
        var name = await NewSchemaAsync();
        await MigrationRunner.RunScriptAsync(_connection, DdlEmitter.Statements(model));
        return name;
    }

    public async Task UseAsync(string schema)
        => await MigrationRunner.RunAsync(_connection, new[] { $"SET search_path TO {schema}, public" }, transactional: false);

    public Task<IReadOnlyList<string>> CatalogAsync(string schema) => CatalogSnapshot.ReadAsync(_connection, schema);

    public async Task DropAsync(string schema)
        => await MigrationRunner.RunAsync(_connection, new[] { $"DROP SCHEMA {schema} CASCADE" }, transactional: false);

    public static SchemaModel Compile(string yaml)
    {
        var compilation = SchemaCompiler.Compile(yaml);
        return compilation.Model ?? throw new InvalidOperationException("schema does not compile:\n" + string.Join("\n", compilation.Diagnostics));
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
