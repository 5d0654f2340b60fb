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
/// (and another tenant's not). On a given server it works in a database of its own and drops it, with its slot, afterwards.
/// </summary>
public static class StreamDemoCommand
{
    private const string Word = "aurora";

    public static async Task<int> RunAsync(StreamDemoOptions options, CancellationToken cancellationToken)
    {
        await using var target = await DatabaseTarget.OpenAsync(options.Connection, "narralytica_stream_demo", cancellationToken);
        Console.WriteLine($"Database: {target.Description}");
        var connectionString = target.ConnectionString;
        var demoDatabase = target.IsThrowaway ? null : "narralytica_stream_demo_" + Guid.NewGuid().ToString("N").Substring(0, 8);
        if (demoDatabase is not null)
        {
            await ExecuteAsync(connectionString, $"CREATE DATABASE {demoDatabase}",
                "the stream demo works in a database of its own on a given server, which needs CREATEDB");
            connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Database = demoDatabase }.ConnectionString;
        }
        var slot = "narralytica_stream_demo_" + Guid.NewGuid().ToString("N").Substring(0, 8);
        try
        {
            return await RunDemoAsync(connectionString, slot, options.Json, cancellationToken);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            try { await ReplicationSlots.DropAsync(connectionString, slot, CancellationToken.None); }
            catch (ChangeStreamException) { } // never created: the demo stopped before its rebuild
            if (demoDatabase is not null)
                await ExecuteAsync(target.ConnectionString, $"DROP DATABASE {demoDatabase} WITH (FORCE)", "dropping the demo's database");
        }
    }

    private static async Task<int> RunDemoAsync(string connectionString, string slot, bool json, CancellationToken cancellationToken)
    {
        CliOutput.Progress($"Creating the schema: applying {NarralyticaMigrations.All.Count} embedded migration(s)…");
        await using (var migrations = NpgsqlDataSource.Create(connectionString))
            await new SchemaMigrator(migrations).ApplyAsync(null, cancellationToken);
        // The tour's tenant requests sign their tenant proofs with a key of its own, installed as the user that migrated.
        var tenantKey = await DemoCommand.InstallTenantKeyAsync(connectionString);
        await using var dataSource = NarralyticaDb.CreateDataSource(connectionString, tenantKey);
        await using var db = new NarralyticaDb(dataSource);
        // The tenants are global rows: the control plane's lane writes them (here on the same, privileged login).
        await using var controlSource = NarralyticaDb.CreateDataSource(connectionString, lane: DatabaseLane.ControlPlane);
        await using var control = new NarralyticaDb(controlSource);
        var sample = await SampleData.LoadAsync(db, control.ControlPlane);
        Console.WriteLine($"Sample:   tenants '{sample.A.Tenant.Slug}' and '{sample.B.Tenant.Slug}', {sample.A.Segments.Count} segments each");

        var projection = new SegmentSearchProjection(connectionString, slot);
        var consistentPoint = await StreamStep(() => projection.RebuildAsync(cancellationToken));
        Console.WriteLine($"Rebuild:  search.segment_documents built from the snapshot of slot {slot}; the stream starts at {consistentPoint}");

        await using var search = new NpgsqlConnection(connectionString);
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

    private static async Task ExecuteAsync(string connectionString, string sql, string what)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new CliError($"{e.MessageText}: {what}. Run it as a user that has the privilege.", ErrorCodes.PermissionDenied);
        }
    }
}
