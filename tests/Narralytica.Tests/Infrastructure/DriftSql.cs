using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Infrastructure;

/// <summary>The SQL `drift --json` prints to reconcile a database with schema.yaml, and running it as printed.</summary>
public static class DriftSql
{
    /// <summary>The reconciling statements of a database that has drifted (drift must exit 2).</summary>
    public static async Task<List<string>> ReadAsync(RepositoryCopy copy, string connection)
    {
        var (exit, output, errors) = await copy.RunAsync("drift", "--connection", connection, "--json");
        Assert.True(exit == 2, output + errors);
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("sql").EnumerateArray().Select(s => s.GetString()!).ToList();
    }

    /// <summary>Runs the statements one by one, as a reviewer pasting them into psql would.</summary>
    public static async Task RunAsync(string connection, IEnumerable<string> statements)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        foreach (var statement in statements)
            await new NpgsqlCommand(statement, db).ExecuteNonQueryAsync();
    }

    /// <summary>A new database built by the repository's migrations, on which drift finds nothing.</summary>
    public static async Task<string> MigratedAsync(PostgresFixture postgres, RepositoryCopy copy)
    {
        var connection = await postgres.CreateEmptyDatabaseAsync();
        var (exit, output, errors) = await copy.RunAsync("migrations", "apply", "--connection", connection);
        Assert.True(exit == 0, output + errors);
        await AssertNoDriftAsync(copy, connection);
        return connection;
    }

    /// <summary>What drift prints about a database that has drifted (it must exit 2).</summary>
    public static async Task<string> ReportAsync(RepositoryCopy copy, string connection)
    {
        var (exit, output, errors) = await copy.RunAsync("drift", "--connection", connection);
        Assert.True(exit == 2, output + errors);
        return output;
    }

    /// <summary>Runs the reconciling statements as printed; drift then finds nothing.</summary>
    public static async Task ReconcileAsync(RepositoryCopy copy, string connection, IEnumerable<string> statements)
    {
        await RunAsync(connection, statements);
        await AssertNoDriftAsync(copy, connection);
    }

    private static async Task AssertNoDriftAsync(RepositoryCopy copy, string connection)
    {
        var (exit, output, errors) = await copy.RunAsync("drift", "--connection", connection);
        Assert.True(exit == 0, output + errors);
    }
}
