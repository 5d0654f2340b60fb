using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Database.Search;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Narralytica.Tests.Streams;

/// <summary>
/// The search projection against the canonical tables while both change: built from a snapshot taken while writers
/// run, followed by a consumer that is killed and restarted at random points, it ends equal to what the canonical
/// segments say, row for row. The projection reads as the stream login (the readers' lane) and writes as the search login.
/// </summary>
public sealed class SearchProjectionTests : StreamTest
{
    private const int Tenants = 4;
    private readonly ITestOutputHelper _output;

    public SearchProjectionTests(PostgresFixture postgres, ITestOutputHelper output) : base(postgres) => _output = output;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task After_random_concurrent_writes_and_consumer_kills_the_projection_equals_the_canonical_segments(int seed)
    {
        var random = new Random(seed);
        var transcripts = await SeedAsync();
        var slot = NewSlotName();
        var projection = new SegmentSearchProjection(StreamLoginConnectionString, SearchLoginConnectionString, slot);

        using var stopWriters = new CancellationTokenSource();
        var writes = new int[1];
        var writers = Enumerable.Range(0, 3).Select(w => WriteRandomlyAsync(new Random(seed * 100 + w), transcripts, writes, stopWriters.Token)).ToList();
        await Task.Delay(200);

        // The rebuild reads the snapshot while the writers go on: what they commit after the consistent point comes through the stream.
        await projection.RebuildAsync();
        var writesAtSnapshot = Volatile.Read(ref writes[0]);

        var kills = 0;
        for (var run = 0; run < 6; run++)
        {
            using var kill = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(50, 700)));
            await projection.FollowAsync(cancellationToken: kill.Token);
            kills++;
        }
        stopWriters.Cancel();
        await Task.WhenAll(writers);

        // Catch up: follow until the projection matches (the writers have stopped, so the canonical side is final).
        var expected = await CanonicalAsync();
        using var catchUp = new CancellationTokenSource(TimeSpan.FromSeconds(180)); // generous: a loaded machine applies slowly
        var following = projection.FollowAsync(cancellationToken: catchUp.Token);
        List<string> actual;
        while (!SameRows(expected, actual = await ProjectedAsync()) && !following.IsCompleted)
            await Task.Delay(100);
        catchUp.Cancel();
        await following;

        _output.WriteLine($"seed {seed}: {writes[0]} writes ({writesAtSnapshot} before the rebuild returned), {kills} consumer kills, {expected.Count} segments at the end");
        Assert.True(writes[0] > writesAtSnapshot, "the writers should go on after the snapshot, so the stream has changes to deliver");
        if (!SameRows(expected, actual))
            _output.WriteLine("missing from the projection: " + string.Join(" | ", expected.Except(actual).Take(5)) +
                              "\nnot in the canonical table: " + string.Join(" | ", actual.Except(expected).Take(5)) +
                              "\nslot: " + await ExecuteAsync($"SELECT concat_ws(' ', active, confirmed_flush_lsn, pg_current_wal_lsn()) FROM pg_replication_slots WHERE slot_name = '{slot}'") +
                              ", stored position: " + await ExecuteAsync("SELECT string_agg(applied_through::text, ',') FROM search.stream_positions"));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task A_projection_of_one_tenant_holds_its_segments_only_and_search_finds_the_new_words()
    {
        var transcripts = await SeedAsync();
        var tenant = transcripts[0].Tenant;
        var projection = new SegmentSearchProjection(StreamLoginConnectionString, SearchLoginConnectionString, NewSlotName(), tenant);
        await projection.RebuildAsync();
        await RawAsync("UPDATE segments SET text = 'a word like zeppelin' WHERE tenant_id = $1 AND ordinal = 0", tenant);
        await RawAsync("UPDATE segments SET text = 'zeppelin elsewhere' WHERE tenant_id <> $1 AND ordinal = 0", tenant);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var following = projection.FollowAsync(cancellationToken: stop.Token);
        await using var connection = new NpgsqlConnection(SearchLoginConnectionString);
        await connection.OpenAsync();
        IReadOnlyList<SearchHit> hits;
        while ((hits = await SegmentSearchProjection.SearchAsync(connection, tenant, "zeppelin")).Count < transcripts.Count(t => t.Tenant == tenant) && !following.IsCompleted)
            await Task.Delay(50);
        stop.Cancel();
        await following;

        Assert.Equal(transcripts.Count(t => t.Tenant == tenant), hits.Count);
        Assert.All(hits, h => Assert.Equal("a word like zeppelin", h.Text));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM search.segment_documents WHERE tenant_id <> $1", tenant));
        Assert.Equal(await ScalarAsync<long>("SELECT count(*) FROM segments WHERE tenant_id = $1", tenant),
            await ScalarAsync<long>("SELECT count(*) FROM search.segment_documents"));
    }

    private sealed record TranscriptRef(Guid Tenant, Guid Id);

    /// <summary>Tenants with two transcripts of ten segments each, written directly (the test is the table owner).</summary>
    private async Task<List<TranscriptRef>> SeedAsync()
    {
        var transcripts = new List<TranscriptRef>();
        for (var t = 0; t < Tenants; t++)
        {
            var tenant = (await NewTenantAsync("search-" + t)).Id;
            var video = Guid.CreateVersion7();
            await RawAsync("INSERT INTO videos (tenant_id, id, source, external_id, title) VALUES ($1, $2, 'upload', $3, 'Seed')", tenant, video, "seed-" + t);
            for (var k = 0; k < 2; k++)
            {
                var transcript = Guid.CreateVersion7();
                await RawAsync("INSERT INTO transcripts (tenant_id, id, video_id, language, origin, revision) VALUES ($1, $2, $3, 'en', 'asr', $4)", tenant, transcript, video, k + 1);
                await RawAsync("INSERT INTO segments (tenant_id, id, transcript_id, ordinal, start_ms, end_ms, text) " +
                               "SELECT $1, gen_random_uuid(), $2, n, n * 1000, n * 1000 + 900, 'seed segment ' || n FROM generate_series(0, 9) n",
                    tenant, transcript);
                transcripts.Add(new TranscriptRef(tenant, transcript));
            }
        }
        return transcripts;
    }

    /// <summary>Inserts, updates and deletes of segments, one to three per transaction, across every tenant, until stopped.</summary>
    private async Task WriteRandomlyAsync(Random random, List<TranscriptRef> transcripts, int[] writes, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var words = new[] { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel" };
        while (!stop.IsCancellationRequested)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            for (var i = random.Next(1, 4); i > 0; i--)
            {
                var transcript = transcripts[random.Next(transcripts.Count)];
                var text = $"{words[random.Next(words.Length)]} {words[random.Next(words.Length)]} {random.Next(1000)}";
                var sql = random.Next(3) switch
                {
                    0 => "INSERT INTO segments (tenant_id, id, transcript_id, ordinal, start_ms, end_ms, text) " +
                         "SELECT $1, gen_random_uuid(), $2, coalesce(max(ordinal), -1) + 1, 0, 500, $3 FROM segments WHERE tenant_id = $1 AND transcript_id = $2",
                    1 => "UPDATE segments SET text = $3 WHERE (tenant_id, id) = (SELECT tenant_id, id FROM segments WHERE tenant_id = $1 AND transcript_id = $2 ORDER BY random() LIMIT 1)",
                    _ => "DELETE FROM segments WHERE (tenant_id, id) = (SELECT tenant_id, id FROM segments WHERE tenant_id = $1 AND transcript_id = $2 ORDER BY random() LIMIT 1)",
                };
                await using var command = new NpgsqlCommand(sql, connection, transaction);
                command.Parameters.AddWithValue(transcript.Tenant);
                command.Parameters.AddWithValue(transcript.Id);
                command.Parameters.AddWithValue(text);
                try
                {
                    await command.ExecuteNonQueryAsync();
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected)
                {
                    break; // two writers took the same next ordinal, or the same rows in another order: this transaction rolls back
                }
            }
            try
            {
                await transaction.CommitAsync();
                Interlocked.Increment(ref writes[0]);
            }
            catch (PostgresException)
            {
                // Rolled back (a failed statement above): nothing of it is committed, nothing is published.
            }
        }
    }

    private Task<List<string>> CanonicalAsync() => RowsAsync("SELECT tenant_id || ' ' || id || ' ' || transcript_id || ' ' || text FROM segments ORDER BY 1");

    private Task<List<string>> ProjectedAsync()
        => RowsAsync("SELECT tenant_id || ' ' || segment_id || ' ' || transcript_id || ' ' || text FROM search.segment_documents WHERE document = to_tsvector('simple', text) ORDER BY 1");

    private static bool SameRows(List<string> a, List<string> b) => a.SequenceEqual(b);

    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0));
        return rows;
    }
}
