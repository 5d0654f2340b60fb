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
}
