using System;
using System.Linq;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>A stage advances its checkpoint in the transaction of its work: a crash neither loses nor repeats a step.</summary>
public sealed class PipelineCheckpointTests : QueueTest
{
    public PipelineCheckpointTests(PostgresFixture postgres) : base(postgres) { }

    /// <summary>
    /// A stage that copies items 0..99 ten at a time into event rows, crashing once before a commit (its work and its
    /// advance are both undone) and being stopped once after a commit (both kept): every item is written exactly once.
    /// </summary>
    [Fact]
    public async Task A_stage_that_crashes_resumes_exactly_where_it_stopped()
    {
        var scope = App.ForTenant(TenantA.Id);
        var steps = 0;
        async Task<StageProgress?> CopyTen(StageCheckpoint? checkpoint, bool crashBeforeCommit)
        {
            var from = checkpoint is null ? 0 : int.Parse(checkpoint.Position);
            if (from >= 100)
                return null;
            foreach (var item in Enumerable.Range(from, 10))
                await scope.InsertAsync(new EventLog { EventType = "item", TargetType = "item-" + item, Payload = "{}" });
            steps++;
            if (crashBeforeCommit)
                throw new InvalidOperationException("the process died here");
            return new StageProgress((from + 10).ToString(), $"{{\"copied\": {from + 10}}}");
        }

        for (var i = 0; i < 3; i++)
            await scope.RunStageStepAsync("reindex", "copy", c => CopyTen(c, crashBeforeCommit: false));
        await Assert.ThrowsAsync<InvalidOperationException>(() => scope.RunStageStepAsync("reindex", "copy", c => CopyTen(c, crashBeforeCommit: true)));
        Assert.Equal("30", (await scope.ReadCheckpointAsync("reindex", "copy"))!.Position);
        while (await scope.RunStageStepAsync("reindex", "copy", c => CopyTen(c, crashBeforeCommit: false)) is not null)
        {
        }

        var items = (await Db.GetTable<EventLog>().Select(e => e.TargetType!).ToListAsync()).OrderBy(t => t).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => "item-" + i).OrderBy(t => t), items);
        Assert.Equal(11, steps);
        var checkpoint = await scope.ReadCheckpointAsync("reindex", "copy");
        Assert.Equal(("100", "{\"copied\": 100}"), (checkpoint!.Position, checkpoint.State));
        // Another tenant's stage of the same name has its own checkpoint.
        Assert.Null(await App.ForTenant(TenantB.Id).ReadCheckpointAsync("reindex", "copy"));
    }

    [Fact]
    public async Task Advancing_from_a_position_another_run_moved_is_refused()
    {
        var scope = App.ForTenant(TenantB.Id);
        await scope.AdvanceCheckpointAsync("ingest", "split", null, new StageProgress("a"));
        await scope.AdvanceCheckpointAsync("ingest", "split", "a", new StageProgress("b"));
        var stale = await Assert.ThrowsAsync<CheckpointConflictException>(() => scope.AdvanceCheckpointAsync("ingest", "split", "a", new StageProgress("c")));
        Assert.Contains("no longer at 'a'", stale.Message);
        await Assert.ThrowsAsync<CheckpointConflictException>(() => scope.AdvanceCheckpointAsync("ingest", "split", null, new StageProgress("z")));
        Assert.Equal("b", (await scope.ReadCheckpointAsync("ingest", "split"))!.Position);
    }
}
