using System.Text.Json;
using System.Threading.Tasks;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Streams;

/// <summary><c>narralytica stream create | drop | status | demo</c> on the test server.</summary>
public sealed class StreamCommandTests : StreamTest
{
    private readonly PostgresFixture _postgres;

    public StreamCommandTests(PostgresFixture postgres) : base(postgres) => _postgres = postgres;

    [Fact]
    public async Task Create_status_and_drop_manage_a_slot_and_status_warns_about_retained_wal()
    {
        var slot = NewSlotName();
        var (created, createdOut, createdErr) = await CommandLine.RunAsync("stream", "create", "--slot", slot, "--connection", ConnectionString);
        Assert.True(created == 0, createdOut + createdErr);
        Assert.Contains($"Created replication slot {slot} for publication search_changes", createdOut);

        // WAL written after the slot was made is WAL the slot holds. Written again (at most a few times) until status shows
        // more than the limit: once, on a busy server, status saw the slot hold only 56 bytes after the first write.
        int status = 0;
        string statusOut = "", statusErr = "";
        JsonElement mine = default;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await ExecuteAsync($"CREATE TABLE wal_filler_{attempt} AS SELECT g AS n FROM generate_series(1, 20000) g");
            (status, statusOut, statusErr) = await CommandLine.RunAsync("stream", "status", "--max-retained", "1000", "--json", "--connection", ConnectionString);
            Assert.True(status is 0 or 2, statusOut + statusErr);
            var slots = JsonDocument.Parse(statusOut).RootElement.GetProperty("slots");
            mine = Assert.Single(slots.EnumerateArray(), s => s.GetProperty("slot").GetString() == slot).Clone();
            if (mine.GetProperty("retained_bytes").GetInt64() > 1000)
                break;
        }
        Assert.True(status == 2, statusOut + statusErr);
        Assert.False(mine.GetProperty("active").GetBoolean());
        Assert.True(mine.GetProperty("retained_bytes").GetInt64() > 1000);
        Assert.True(mine.GetProperty("lag_bytes").GetInt64() > 0);
        Assert.Contains("a forgotten slot fills the disk", mine.GetProperty("warning").GetString());

        var (dropped, droppedOut, droppedErr) = await CommandLine.RunAsync("stream", "drop", "--slot", slot, "--connection", ConnectionString);
        Assert.True(dropped == 0, droppedOut + droppedErr);
        var (again, againOut, _) = await CommandLine.RunAsync("stream", "drop", "--slot", slot, "--json", "--connection", ConnectionString);
        Assert.Equal(1, again);
        var error = JsonDocument.Parse(againOut).RootElement.GetProperty("error");
        Assert.Equal("stream_unavailable", error.GetProperty("code").GetString());
        Assert.Contains($"There is no replication slot '{slot}'", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_demo_shows_the_search_answer_change_and_leaves_no_database_or_slot_behind()
    {
        var connectionString = await _postgres.CreateEmptyDatabaseAsync();
        var (exit, output, errors) = await CommandLine.RunAsync("stream", "demo", "--connection", connectionString);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("'aurora' in acme-media: 0 hit(s)", output);
        Assert.Contains("'aurora' in acme-media: 1 hit(s), \"Welcome back to the aurora show.\"", output);
        Assert.Contains("'aurora' in globex-news: 0 hit(s)", output);
        Assert.Contains("The search answer changed with the segment, through the stream.", output);
        Assert.Matches(@"Lanes: +snapshot and stream as narralytica_stream_demo_reader_\w+ \(REPLICATION, a member of narralytica_reader only\); search\.\* written as narralytica_stream_demo_search_\w+", output);
        Assert.Matches(@"Audit: +narralytica_stream_demo_reader_\w+ read every tenant for ""rebuild of the search projection", output);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var leftovers = (long)(await new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM pg_database WHERE datname LIKE 'narralytica_stream_demo_%') + (SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'narralytica_stream_demo_%') " +
            "+ (SELECT count(*) FROM pg_roles WHERE rolname LIKE 'narralytica_stream_demo_%')",
            connection).ExecuteScalarAsync())!;
        Assert.Equal(0, leftovers);
    }
}
