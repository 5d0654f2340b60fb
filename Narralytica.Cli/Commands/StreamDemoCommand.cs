using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Database.Search;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Runtime.Streams;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// <c>narralytica stream demo</c>: a derived system kept current by the change stream. Loads the sample, builds the
/// search projection from a snapshot, follows the stream, then changes a segment and shows the search answer change
/// (and another tenant's not). The projection reads as a stream login and writes as a search login, both made for the
/// demo (<see cref="StreamDemoLogins"/>). On a given server it works in a database of its own and drops it, with its slot
/// and its logins, afterwards.
/// </summary>
public static class StreamDemoCommand
{
    private const string Word = "aurora";

    public static async Task<int> RunAsync(StreamDemoOptions options, CancellationToken cancellationToken)
    {
        await using var demo = await DemoDatabase.OpenAsync(options.Connection, "narralytica_stream_demo", "stream demo", cancellationToken);
        Console.WriteLine($"Database: {demo.Description}");
        var slot = "narralytica_stream_demo_" + Guid.NewGuid().ToString("N").Substring(0, 8);
        StreamDemoLogins? logins = null;
        try
        {
            CliOutput.Progress($"Creating the schema: applying {NarralyticaMigrations.All.Count} embedded migration(s)…");
            await using (var migrations = NpgsqlDataSource.Create(demo.ConnectionString))
                await new SchemaMigrator(migrations).ApplyAsync(null, cancellationToken);
            logins = await StreamDemoLogins.CreateAsync(demo.ServerConnectionString, demo.ConnectionString);
            return await RunDemoAsync(demo.ConnectionString, logins, slot, options.Json, cancellationToken);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            try { await ReplicationSlots.DropAsync(demo.ConnectionString, slot, CancellationToken.None); }
            catch (ChangeStreamException) { } // never created: the demo stopped before its rebuild
            // The logins go after the database, where the search login owns a schema; a throwaway server goes as a whole.
            await demo.DropAsync();
            if (logins is not null && !demo.IsThrowaway)
                await logins.DropAsync();
        }
    }

    private static async Task<int> RunDemoAsync(string connectionString, StreamDemoLogins logins, string slot, bool json, CancellationToken cancellationToken)
    {
        // The tour's tenant requests sign their tenant proofs with a key of its own, installed as the user that migrated.
        var tenantKey = await DemoCommand.InstallTenantKeyAsync(connectionString);
        await using var dataSource = NarralyticaDb.CreateDataSource(connectionString, tenantKey);
        await using var db = new NarralyticaDb(dataSource);
        // The tenants are global rows: the control plane's lane writes them (here on the same, privileged login).
        await using var controlSource = NarralyticaDb.CreateDataSource(connectionString, lane: DatabaseLane.ControlPlane);
        await using var control = new NarralyticaDb(controlSource);
        var sample = await SampleData.LoadAsync(db, control.ControlPlane);
        Console.WriteLine($"Sample:   tenants '{sample.A.Tenant.Slug}' and '{sample.B.Tenant.Slug}', {sample.A.Segments.Count} segments each");

        // The derived system reads as the stream login (the readers' lane: audited snapshot, then the stream) and writes as the search login.
        Console.WriteLine($"Lanes:    snapshot and stream as {logins.Reader} (REPLICATION, a member of narralytica_reader only); search.* written as {logins.Search}");
        var projection = new SegmentSearchProjection(logins.ReaderConnectionString, logins.SearchConnectionString, slot);
        var consistentPoint = await StreamStep(() => projection.RebuildAsync(cancellationToken));
        Console.WriteLine($"Rebuild:  search.segment_documents built from the snapshot of slot {slot}; the stream starts at {consistentPoint}");
        Console.WriteLine($"Audit:    {await AuditLineAsync(connectionString, logins.Reader, cancellationToken)}");

        await using var search = new NpgsqlConnection(logins.SearchConnectionString);
        await search.OpenAsync(cancellationToken);
        var before = await SegmentSearchProjection.SearchAsync(search, sample.A.Tenant.Id, Word, cancellationToken: cancellationToken);
        Console.WriteLine($"Search:   '{Word}' in {sample.A.Tenant.Slug}: {before.Count} hit(s)");

        using var follow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var following = projection.FollowAsync(cancellationToken: follow.Token);
        var segment = sample.A.Segments[0];
        var newText = $"Welcome back to the {Word} show.";
        var clock = Stopwatch.StartNew();
        await db.ForTenant(sample.A.Tenant.Id).Segments.Where(s => s.Id == segment.Id).Set(s => s.Text, newText).UpdateAsync(cancellationToken);
        Console.WriteLine($"Change:   segment {segment.Ordinal} of {sample.A.Tenant.Slug} now reads \"{newText}\"");

        IReadOnlyList<SearchHit> after = Array.Empty<SearchHit>();
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && !following.IsCompleted)
        {
            after = await SegmentSearchProjection.SearchAsync(search, sample.A.Tenant.Id, Word, cancellationToken: cancellationToken);
            if (after.Count > 0)
                break;
            await Task.Delay(20, cancellationToken);
        }
        var latency = clock.Elapsed;
        var otherTenant = await SegmentSearchProjection.SearchAsync(search, sample.B.Tenant.Id, Word, cancellationToken: cancellationToken);
        follow.Cancel();
        await StreamStep(() => following);

        var changed = before.Count == 0 && after.Count == 1 && after[0].SegmentId == segment.Id && otherTenant.Count == 0;
        if (after.Count > 0)
            Console.WriteLine($"Search:   '{Word}' in {sample.A.Tenant.Slug}: {after.Count} hit(s), \"{after[0].Text}\", {latency.TotalMilliseconds:0} ms after the commit");
        else
            Console.WriteLine($"Search:   '{Word}' in {sample.A.Tenant.Slug}: still no hit after {latency.TotalSeconds:0} s");
        Console.WriteLine($"Search:   '{Word}' in {sample.B.Tenant.Slug}: {otherTenant.Count} hit(s)");
        Console.WriteLine(changed ? "The search answer changed with the segment, through the stream." : "The search answer did not change as expected.");
        if (json)
            CliOutput.WriteJson(new
            {
                slot, consistent_point = consistentPoint.ToString(), word = Word,
                hits_before = before.Count, hits_after = after.Count, hits_other_tenant = otherTenant.Count,
                latency_ms = Math.Round(latency.TotalMilliseconds), changed,
            });
        return changed ? ExitCodes.Ok : ExitCodes.Error;
    }

    private static async Task<T> StreamStep<T>(Func<Task<T>> step)
    {
        T result = default!;
        await StreamCommands.Run(async () => result = await step());
        return result;
    }

    private static Task StreamStep(Func<Task> step) => StreamCommands.Run(step);

    /// <summary>The snapshot's audit row, read as the login that migrated (the trail's owner): who read every tenant, and why.</summary>
    private static async Task<string> AuditLineAsync(string connectionString, string login, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT database_user || ' read every tenant for \"' || justification || '\" (until ' || to_char(expires_at, 'HH24:MI:SS') || ')' " +
            "FROM narralytica_cross_tenant_audits WHERE database_user = $1 ORDER BY created_at DESC LIMIT 1", connection);
        command.Parameters.AddWithValue(login);
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? "no audit row";
    }
}
