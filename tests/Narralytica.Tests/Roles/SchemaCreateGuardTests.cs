using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Roles;

/// <summary>
/// Only the schema's owner creates objects in it (<see cref="SchemaCreateGuards"/>): a database whose template let PUBLIC
/// create in <c>public</c> (one made on a cluster upgraded from PostgreSQL 14 or before) is closed by the migrations, and
/// `drift` reports CREATE given to a lane again, with the SQL that takes it back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SchemaCreateGuardTests : System.IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly RepositoryCopy _copy = new();

    public SchemaCreateGuardTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => _copy.Dispose();

    [Fact]
    public async Task The_migrations_take_create_on_the_schema_from_public_and_drift_reports_it_given_back()
    {
        var connection = await _postgres.CreateEmptyDatabaseAsync();
        // As PostgreSQL 14 and before made every database: PUBLIC may create in public.
        await DriftSql.RunAsync(connection, new[] { "GRANT CREATE ON SCHEMA public TO PUBLIC" });
        Assert.True(await AnyLaneMayCreateAsync(connection, "before the migrations"));

        var (exit, output, errors) = await _copy.RunAsync("migrations", "apply", "--connection", connection);
        Assert.True(exit == 0, output + errors);
        Assert.False(await AnyLaneMayCreateAsync(connection, "after the migrations"));

        await DriftSql.RunAsync(connection, new[] { "GRANT CREATE ON SCHEMA public TO narralytica_worker" });
        Assert.Contains("changed  only the schema's owner may create objects in it", await DriftSql.ReportAsync(_copy, connection));
        await DriftSql.ReconcileAsync(_copy, connection, await DriftSql.ReadAsync(_copy, connection));
        Assert.False(await AnyLaneMayCreateAsync(connection, "after drift's SQL"));
    }

    private static async Task<bool> AnyLaneMayCreateAsync(string connectionString, string when)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The lane roles are the cluster's: they exist before the first migration of this database.
        await using var command = new NpgsqlCommand($"SELECT {SchemaCreateGuards.LaneMayCreateCondition("'public'")}", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
