using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>
/// The typed pipeline checkpoints (<c>scope.Checkpoints</c>, generated from <c>checkpoints:</c> in schema.yaml): a stage
/// advances its checkpoint in the transaction of its work, so a crash neither loses nor repeats a step.
/// </summary>
public sealed class PipelineCheckpointTests : QueueTest
{
    public PipelineCheckpointTests(PostgresFixture postgres) : base(postgres) { }

    /// <summary>The state the copying stage of these tests carries along.</summary>
    private sealed record CopyState(int Copied, List<string> Last);

    /// <summary>
    /// One step of a stage that copies items 0..99 ten at a time into event rows of <paramref name="scope"/>'s tenant;
    /// <paramref name="beforeAdvance"/> runs after the work, before the checkpoint moves (where a crash hurts most).
    /// </summary>
    private static async Task<StageProgress<long, CopyState>?> CopyTenAsync(TenantScope scope, StageCheckpoint<long, CopyState>? checkpoint, Func<Task>? beforeAdvance = null)
    {
        var from = checkpoint?.Position ?? 0;
        if (from >= 100)
            return null;
        var items = Enumerable.Range((int)from, 10).Select(i => "item-" + i).ToList();
        foreach (var item in items)
            await scope.InsertAsync(new EventLog { EventType = "item", TargetType = item, Payload = "{}" });
        if (beforeAdvance is not null)
            await beforeAdvance();
        return new StageProgress<long, CopyState>(from + 10, new CopyState((checkpoint?.State.Copied ?? 0) + 10, items.TakeLast(2).ToList()));
    }

    private async Task<List<string>> CopiedItemsAsync(Guid tenant)
        => (await Db.GetTable<EventLog>().Where(e => e.TenantId == tenant && e.EventType == "item").Select(e => e.TargetType!).ToListAsync()).OrderBy(t => t).ToList();

    private static IEnumerable<string> AllItems => Enumerable.Range(0, 100).Select(i => "item-" + i).OrderBy(t => t);

    /// <summary>
    /// The stage throws once after its work (both undone) and is stopped once after a commit (both kept): every item is
    /// written exactly once, and the typed state counts them.
    /// </summary>
    [Fact]
    public async Task A_stage_that_throws_before_its_commit_resumes_exactly_where_it_stopped()
    {
        var scope = App.ForTenant(TenantA.Id);
        for (var i = 0; i < 3; i++)
            await scope.Checkpoints.RunStepAsync<long, CopyState>("reindex", "copy", c => CopyTenAsync(scope, c));
        await Assert.ThrowsAsync<InvalidOperationException>(() => scope.Checkpoints.RunStepAsync<long, CopyState>("reindex", "copy",
            c => CopyTenAsync(scope, c, () => throw new InvalidOperationException("the process died here"))));
        Assert.Equal(30L, (await scope.Checkpoints.ReadAsync<long, CopyState>("reindex", "copy"))!.Position);
        while (await scope.Checkpoints.RunStepAsync<long, CopyState>("reindex", "copy", c => CopyTenAsync(scope, c)) is not null)
        {
        }

        Assert.Equal(AllItems, await CopiedItemsAsync(TenantA.Id));
        var checkpoint = (await scope.Checkpoints.ReadAsync<long, CopyState>("reindex", "copy"))!;
        Assert.Equal((100L, 100), (checkpoint.Position, checkpoint.State.Copied));
        Assert.Equal(["item-98", "item-99"], checkpoint.State.Last);
        // Another tenant's stage of the same name has its own checkpoint.
        Assert.Null(await App.ForTenant(TenantB.Id).Checkpoints.ReadAsync<long, CopyState>("reindex", "copy"));
    }

    /// <summary>
    /// The stage's connection is killed by the server after its work, before the commit: nothing of that step is kept,
    /// and a new process resumes from the last committed position without repeating or losing an item.
    /// </summary>
    [Fact]
    public async Task A_stage_whose_connection_is_killed_before_its_commit_loses_and_repeats_nothing()
    {
        await using (var first = new NarralyticaDb(AppSource))
        {
            var scope = first.ForTenant(TenantA.Id);
            await scope.Checkpoints.RunStepAsync<long, CopyState>("reindex", "copy", c => CopyTenAsync(scope, c));
            var pid = await first.ExecuteAsync<int>("SELECT pg_backend_pid()");
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => scope.Checkpoints.RunStepAsync<long, CopyState>("reindex", "copy",
                c => CopyTenAsync(scope, c, async () => await Db.ExecuteAsync<bool>($"SELECT pg_terminate_backend({pid})"))));
        }
        Assert.Equal(10, (await CopiedItemsAsync(TenantA.Id)).Count);

        await using var second = new NarralyticaDb(AppSource);
        var resumed = second.ForTenant(TenantA.Id);
        Assert.Equal(10L, (await resumed.Checkpoints.ReadAsync<long, CopyState>("reindex", "copy"))!.Position);
        while (await resumed.Checkpoints.RunStepAsync<long, CopyState>("reindex", "copy", c => CopyTenAsync(resumed, c)) is not null)
        {
        }
        Assert.Equal(AllItems, await CopiedItemsAsync(TenantA.Id));
    }

    /// <summary>
    /// Two runs of a stage that has no checkpoint yet both start from nothing (each waits until the other has read): one
    /// advances, the other meets its checkpoint, fails with <see cref="CheckpointConflictException"/>, and nothing of its
    /// work is kept.
    /// </summary>
    [Fact]
    public async Task Two_first_runs_of_a_stage_at_once_keep_one_and_refuse_the_other_entirely()
    {
        var bothRead = new Barrier(2);
        async Task<Exception?> RunAsync()
        {
            await using var db = new NarralyticaDb(AppSource);
            var scope = db.ForTenant(TenantA.Id);
            try
            {
                await scope.Checkpoints.RunStepAsync<long, CopyState>("reindex", "copy", async c =>
                {
                    Assert.Null(c);
                    await Task.Run(() => Assert.True(bothRead.SignalAndWait(Patience), "the other run did not read the checkpoint in time"));
                    return await CopyTenAsync(scope, c);
                });
                return null;
            }
            catch (CheckpointConflictException e)
            {
                return e;
            }
        }

        var outcomes = await Task.WhenAll(Task.Run(RunAsync), Task.Run(RunAsync)).WaitAsync(Patience);
        var conflict = Assert.Single(outcomes, o => o is not null);
        Assert.Contains("its start (another run created it)", conflict!.Message);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "item-" + i).OrderBy(t => t), await CopiedItemsAsync(TenantA.Id));
        Assert.Equal(10L, (await App.ForTenant(TenantA.Id).Checkpoints.ReadAsync<long, CopyState>("reindex", "copy"))!.Position);
    }

    /// <summary>Once the checkpoint exists, a second run waits on its lock and goes on from where the first left it.</summary>
    [Fact]
    public async Task Runs_of_a_stage_at_once_after_its_first_step_take_turns()
    {
        var scope = App.ForTenant(TenantA.Id);
        await scope.Checkpoints.RunStepAsync<long, CopyState>("reindex", "copy", c => CopyTenAsync(scope, c));
        async Task StepsAsync()
        {
            await using var db = new NarralyticaDb(AppSource);
            var own = db.ForTenant(TenantA.Id);
            for (var i = 0; i < 3; i++)
                await own.Checkpoints.RunStepAsync<long, CopyState>("reindex", "copy", c => CopyTenAsync(own, c));
        }
        await Task.WhenAll(Task.Run(StepsAsync), Task.Run(StepsAsync)).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 70).Select(i => "item-" + i).OrderBy(t => t), await CopiedItemsAsync(TenantA.Id));
        Assert.Equal(70, (await scope.Checkpoints.ReadAsync<long, CopyState>("reindex", "copy"))!.State.Copied);
    }

    [Fact]
    public async Task Advancing_from_a_position_another_run_moved_is_refused()
    {
        var checkpoints = App.ForTenant(TenantB.Id).Checkpoints;
        var a = await checkpoints.AdvanceAsync("ingest", "split", null, new StageProgress<string, CopyState>("a", new CopyState(1, [])));
        var b = await checkpoints.AdvanceAsync("ingest", "split", a, new StageProgress<string, CopyState>("b", new CopyState(2, [])));
        var stale = await Assert.ThrowsAsync<CheckpointConflictException>(() => checkpoints.AdvanceAsync("ingest", "split", a, new StageProgress<string, CopyState>("c", new CopyState(3, []))));
        Assert.Contains("no longer at 'a'", stale.Message);
        await Assert.ThrowsAsync<CheckpointConflictException>(() => checkpoints.AdvanceAsync("ingest", "split", null, new StageProgress<string, CopyState>("z", new CopyState(0, []))));
        var read = (await checkpoints.ReadAsync<string, CopyState>("ingest", "split"))!;
        Assert.Equal(("b", 2, b.UpdatedAt), (read.Position, read.State.Copied, read.UpdatedAt));
    }

    /// <summary>A cursor of several parts, kept as JSON text.</summary>
    private sealed record PageCursor(DateTimeOffset After, Guid AfterId);

    /// <summary>Every kind of position reads back equal (a time keeps its offset), and the next advance finds it.</summary>
    [Fact]
    public async Task Positions_and_states_read_back_as_written()
    {
        var checkpoints = App.ForTenant(TenantA.Id).Checkpoints;
        var state = new CopyState(7, ["x", "ü"]);
        async Task RoundTripAsync<TPosition>(string stage, TPosition first, TPosition second)
        {
            var written = await checkpoints.AdvanceAsync(stage, stage, null, new StageProgress<TPosition, CopyState>(first, state));
            var read = (await checkpoints.ReadAsync<TPosition, CopyState>(stage, stage))!;
            Assert.Equal((first, 7, written.UpdatedAt), (read.Position, read.State.Copied, read.UpdatedAt));
            Assert.Equal(state.Last, read.State.Last);
            await checkpoints.AdvanceAsync(stage, stage, read, new StageProgress<TPosition, CopyState>(second, state));
            Assert.Equal(second, (await checkpoints.ReadAsync<TPosition, CopyState>(stage, stage))!.Position);
        }

        await RoundTripAsync("text", "page-1", "page-2");
        await RoundTripAsync("long", long.MaxValue - 1, -5L);
        await RoundTripAsync("guid", Guid.CreateVersion7(), Guid.CreateVersion7());
        var at = new DateTimeOffset(2026, 3, 1, 12, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        await RoundTripAsync("time", at, at.AddDays(1));
        await RoundTripAsync("cursor", new PageCursor(at, Guid.CreateVersion7()), new PageCursor(at.AddHours(1), Guid.CreateVersion7()));
        // A time is kept in the round-trip form, its offset included.
        Assert.Equal("2026-03-02T12:30:15.1234567+02:00",
            await Db.ExecuteAsync<string>("SELECT position FROM pipeline_checkpoints WHERE stage = 'time' AND tenant_id = @t", new DataParameter("t", TenantA.Id)));
    }

    /// <summary>A step with nothing to do leaves the checkpoint as it was, its time included.</summary>
    [Fact]
    public async Task A_step_with_nothing_to_do_leaves_the_checkpoint_unchanged()
    {
        var checkpoints = App.ForTenant(TenantA.Id).Checkpoints;
        var advanced = await checkpoints.AdvanceAsync("reindex", "copy", null, new StageProgress<long, CopyState>(100, new CopyState(100, [])));
        Assert.Null(await checkpoints.RunStepAsync<long, CopyState>("reindex", "copy", _ => Task.FromResult<StageProgress<long, CopyState>?>(null)));
        var read = (await checkpoints.ReadAsync<long, CopyState>("reindex", "copy"))!;
        Assert.Equal((100L, advanced.UpdatedAt), (read.Position, read.UpdatedAt));
    }

    /// <summary>What a stage cannot keep says so before anything is written: a position over max_bytes, a state JSON cannot write.</summary>
    private sealed record Unwritable(Type Handler);

    [Fact]
    public async Task A_position_over_max_bytes_or_a_state_json_cannot_write_is_refused_with_a_clear_error()
    {
        var checkpoints = App.ForTenant(TenantA.Id).Checkpoints;
        var tooLong = await Assert.ThrowsAsync<ArgumentException>(() => checkpoints.AdvanceAsync("reindex", "copy", null,
            new StageProgress<string, CopyState>(new string('p', 5000), new CopyState(0, []))));
        Assert.Contains("5000 bytes as text, more than the 4096 bytes 'pipeline_checkpoints' takes (max_bytes in schema.yaml)", tooLong.Message);
        var tooMuch = await Assert.ThrowsAsync<ArgumentException>(() => checkpoints.AdvanceAsync("reindex", "copy", null,
            new StageProgress<string, CopyState>("p", new CopyState(0, [new string('s', 300_000)]))));
        Assert.Contains("more than the 262144 bytes 'pipeline_checkpoints' takes", tooMuch.Message);
        var unwritable = await Assert.ThrowsAsync<ArgumentException>(() => checkpoints.AdvanceAsync("reindex", "copy", null,
            new StageProgress<string, Unwritable>("p", new Unwritable(typeof(string)))));
        Assert.Contains("The state of stage 'copy' of pipeline 'reindex' (Unwritable) cannot be written as JSON", unwritable.Message);
        // Under the client's measure but over the database's (jsonb's text spaces the JSON out): the check's refusal, named.
        var spaced = await Assert.ThrowsAsync<ArgumentException>(() => checkpoints.AdvanceAsync("reindex", "copy", null,
            new StageProgress<string, CopyState>("p", new CopyState(0, Enumerable.Repeat("", 70_000).ToList()))));
        Assert.Contains("refused by check 'ck_pipeline_checkpoints_state_max_bytes'", spaced.Message);
        Assert.Null(await checkpoints.ReadAsync<string, CopyState>("reindex", "copy"));
    }

    /// <summary>A position read with another type than the stage writes says which.</summary>
    [Fact]
    public async Task A_position_read_as_another_type_says_so()
    {
        var checkpoints = App.ForTenant(TenantA.Id).Checkpoints;
        await checkpoints.AdvanceAsync("reindex", "copy", null, new StageProgress<string, CopyState>("page-7", new CopyState(0, [])));
        var wrong = await Assert.ThrowsAsync<InvalidOperationException>(() => checkpoints.ReadAsync<long, CopyState>("reindex", "copy"));
        Assert.Contains("holds the position 'page-7', which is not a Int64", wrong.Message);
    }

    /// <summary>
    /// A job's handler, in the workers' lane, runs a stage step inside its claimed job's tenant and transaction: the step's
    /// work, the checkpoint's advance and the job's completion commit together; a failing attempt keeps none of them.
    /// </summary>
    [Fact]
    public async Task A_job_handler_in_the_workers_lane_advances_a_stage_with_its_job()
    {
        await App.ForTenant(TenantB.Id).EnqueueAsync(new NewJob("copy") { MaxAttempts = 2 });
        var attempts = 0;
        var handlers = new Dictionary<string, JobHandler>
        {
            ["copy"] = async context =>
            {
                var scope = context.Scope;
                var first = Interlocked.Increment(ref attempts) == 1;
                await scope.Checkpoints.RunStepAsync<long, CopyState>("reindex", "copy", c => CopyTenAsync(scope, c,
                    first ? () => throw new InvalidOperationException("the first attempt fails after its work") : null), context.CancellationToken);
            },
        };
        var worker = new JobWorker(WorkerSource, handlers, new JobWorkerOptions
        {
            Concurrency = 1,
            PollInterval = TimeSpan.FromMilliseconds(100),
            Queue = new JobQueueOptions { Retry = new JobRetryPolicy { BaseDelay = TimeSpan.Zero }, WorkerId = "w-" + Guid.NewGuid().ToString("N")[..6] },
        });
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        await EventuallyAsync(async () => await CountJobsAsync("status = 'succeeded'") == 1, "the job to succeed on its second attempt");
        await stop.CancelAsync();
        await run;

        Assert.Equal(2, attempts);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "item-" + i).OrderBy(t => t), await CopiedItemsAsync(TenantB.Id));
        Assert.Equal(10L, (await App.ForTenant(TenantB.Id).Checkpoints.ReadAsync<long, CopyState>("reindex", "copy"))!.Position);
        Assert.Null(await App.ForTenant(TenantA.Id).Checkpoints.ReadAsync<long, CopyState>("reindex", "copy"));
    }
}
