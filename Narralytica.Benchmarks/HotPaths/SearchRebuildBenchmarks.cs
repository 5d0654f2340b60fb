using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Database.Search;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// A derived system built from scratch and brought current: the search projection of one tenant's segments (a normal
/// tenant, Scale 1: 200,000 segments in the full data set; the growth tenant, Scale 10: 2,000,000) rebuilt from a
/// replication slot's snapshot, then one transaction changing a transcript's segments (2,000) followed from the stream
/// until applied. The baseline is what one writes without a stream: the projection filled by INSERT … SELECT on the
/// server, then the changed rows written again by an upsert that knows which rows changed. "Peak heap" is the largest
/// managed heap held during the run: it must not grow with the table (the snapshot is streamed, not loaded).
/// Few long iterations: one invocation moves the whole tenant.
/// </summary>
[InvocationCount(1)]
[WarmupCount(1)]
[IterationCount(3)]
public class SearchRebuildBenchmarks : GrowthBenchmark
{
    private string _connectionString = "";
    private Guid _transcriptId;
    private string _slot = "";

    protected override void ChooseInputs() => _transcriptId = HotPathInputs.MiddleTranscriptId(Dataset, Tenant);

    protected override Task SetUpMoreAsync(string connectionString)
    {
        _connectionString = connectionString;
        return Task.CompletedTask;
    }

    [IterationSetup]
    public void EmptyProjection()
    {
        _slot = "bench_search_" + Guid.NewGuid().ToString("N").Substring(0, 12);
        Execute("DROP SCHEMA IF EXISTS search CASCADE");
        new SegmentSearchProjection(_connectionString, _connectionString, _slot, Tenant.Id).EnsureCreatedAsync().GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void DropSlot()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{_slot}'");
    }

    [Benchmark(Baseline = true, Description = "SQL rebuild, then upsert of the changed rows")]
    public async Task SqlRebuild()
    {
        using var peak = PeakHeap.Track(Key(nameof(SqlRebuild)));
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, """
            INSERT INTO search.segment_documents (tenant_id, segment_id, transcript_id, text)
            SELECT tenant_id, id, transcript_id, text FROM segments WHERE tenant_id = $1
            """, Tenant.Id);
        await ChangeTranscriptAsync(connection);
        await ExecuteAsync(connection, """
            INSERT INTO search.segment_documents (tenant_id, segment_id, transcript_id, text)
            SELECT tenant_id, id, transcript_id, text FROM segments WHERE tenant_id = $1 AND transcript_id = $2
            ON CONFLICT (tenant_id, segment_id) DO UPDATE SET text = excluded.text, transcript_id = excluded.transcript_id
            """, Tenant.Id, _transcriptId);
    }

    [Benchmark(Description = "snapshot + stream catch-up (SegmentSearchProjection)")]
    public async Task SnapshotAndCatchUp()
    {
        using var peak = PeakHeap.Track(Key(nameof(SnapshotAndCatchUp)));
        var projection = new SegmentSearchProjection(_connectionString, _connectionString, _slot, Tenant.Id);
        await projection.RebuildAsync();
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await ChangeTranscriptAsync(connection);
        }
        // The change is the only transaction on segments since the snapshot: applied, the projection is current.
        using var caughtUp = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await projection.FollowAsync(_ => caughtUp.Cancel(), caughtUp.Token);
        if (!caughtUp.IsCancellationRequested)
            throw new InvalidOperationException("The projection stopped before it applied the change.");
    }

    private string Key(string method) => PeakHeap.KeyOf(nameof(SearchRebuildBenchmarks), method, $"Scale={Scale}");

    private Task ChangeTranscriptAsync(NpgsqlConnection connection)
        => ExecuteAsync(connection, "UPDATE segments SET text = text || '' WHERE tenant_id = $1 AND transcript_id = $2", Tenant.Id, _transcriptId);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var value in values)
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }
}
