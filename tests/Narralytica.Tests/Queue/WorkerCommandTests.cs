using System;
using System.Text.Json;
using System.Threading.Tasks;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary><c>narralytica worker demo</c> end to end, and what <c>narralytica worker</c> says when it lacks its tenant key.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkerCommandTests
{
    private readonly PostgresFixture _postgres;

    public WorkerCommandTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task The_demo_shows_the_small_tenant_served_alongside_the_big_backlog_and_a_job_retried()
    {
        var server = await _postgres.CreateEmptyDatabaseAsync();
        var (exit, output, error) = await CommandLine.RunAsync("worker", "demo", "--connection", server, "--json");
        Assert.True(exit == 0, output + error);
        using var result = JsonDocument.Parse(output);
        var root = result.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(1011, root.GetProperty("done").GetInt64());
        Assert.InRange(root.GetProperty("big_done_when_small_finished").GetInt64(), 0, 28);
        Assert.Equal(("succeeded", 3), (root.GetProperty("flaky_status").GetString(), root.GetProperty("flaky_attempts").GetInt32()));
        Assert.Contains("attempt 2 failed on purpose", root.GetProperty("flaky_last_error").GetString());
    }

    [Fact]
    public async Task A_worker_without_its_tenant_key_says_where_to_give_it()
    {
        var database = await _postgres.CreateSchemaDatabaseAsync();
        var previous = Environment.GetEnvironmentVariable("NARRALYTICA_TENANT_KEY_SECRET");
        Environment.SetEnvironmentVariable("NARRALYTICA_TENANT_KEY_SECRET", null);
        try
        {
            var (exit, _, error) = await CommandLine.RunAsync("worker", "--connection", database, "--tenant-key-id", "test-key");
            Assert.Equal(1, exit);
            Assert.Contains("NARRALYTICA_TENANT_KEY_SECRET", error);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NARRALYTICA_TENANT_KEY_SECRET", previous);
        }
    }
}
