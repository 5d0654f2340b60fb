using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Benchmarks.Competitors;
using Narralytica.Dataset;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Runtime.Streams;
using Npgsql;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>
/// Change stream throughput: one transaction updating every segment of a transcript (2,000 in the full data set) is
/// decoded from a fresh replication slot, by the generated stream (typed <c>RowChange&lt;Segment&gt;</c> events, with
/// its checks before starting, tenant and table filters) and by a hand-written pgoutput consumer of the same
/// publication. Each invocation gets a new slot and a new transaction (the setup, not measured), since a slot cannot
/// be read twice; Rows/s is changes per second. Needs a server with wal_level=logical (the throwaway one has it).
/// </summary>
[InvocationCount(1)]
public class ChangeStreamBenchmarks : DatabaseBenchmark
{
    private string _connectionString = "";
    private Guid _transcriptId;
    private string _slot = "";

    /// <summary>Changes decoded per invocation, for the Rows/s column.</summary>
    public static int ChangesPerInvocation(TranscriptDataset dataset) => dataset.Options.SegmentsPerTranscript;

    protected override void ChooseInputs() => _transcriptId = HotPathInputs.MiddleTranscriptId(Dataset, Tenant);

    protected override Task SetUpMoreAsync(string connectionString)
    {
        _connectionString = connectionString;
        return Task.CompletedTask;
    }

    [IterationSetup]
    public void CreateSlotAndChanges()
    {
        _slot = "bench_" + Guid.NewGuid().ToString("N").Substring(0, 16);
        ReplicationSlots.CreateAsync(_connectionString, NarralyticaStreams.SearchChanges.Publication, _slot).GetAwaiter().GetResult();
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        // synchronous_commit on: the commit is flushed at once, so decoding (which reads flushed WAL only) need not wait for the WAL writer.
        using (var flushAtCommit = new NpgsqlCommand("SET synchronous_commit = on", connection))
            flushAtCommit.ExecuteNonQuery();
        using var command = new NpgsqlCommand("UPDATE segments SET text = text || '' WHERE tenant_id = $1 AND transcript_id = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Tenant.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = _transcriptId });
        command.ExecuteNonQuery();
    }

    [IterationCleanup]
    public void DropSlot()
    {
        NpgsqlConnection.ClearAllPools();
        ReplicationSlots.DropAsync(_connectionString, _slot).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "raw Npgsql pgoutput consumer")]
    public Task<int> RawNpgsql()
        => RawPgOutput.ReadSegmentUpdatesAsync(_connectionString, _slot, NarralyticaStreams.SearchChanges.Publication, ChangesPerInvocation(Dataset), CancellationToken.None);

    [Benchmark(Description = "generated ChangeStream, typed events")]
    public async Task<int> Generated()
    {
        var expected = ChangesPerInvocation(Dataset);
        var options = new ChangeStreamOptions(_connectionString, NarralyticaStreams.SearchChanges, _slot) { Tenant = Tenant.Id, Tables = new HashSet<string> { "segments" } };
        await using var stream = new ChangeStream(options);
        var count = 0;
        await foreach (var change in stream.ReadAsync())
        {
            if (change is RowChange<Segment>)
                count++;
            else if (change is TransactionCommit && count >= expected)
                break;
        }
        return count;
    }
}
