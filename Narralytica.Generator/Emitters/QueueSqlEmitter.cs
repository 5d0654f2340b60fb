using Narralytica.Schema.Sql;

namespace Narralytica.Generator.Emitters;

/// <summary>
/// <c>JobQueueSql</c>: the statements the runtime's job queue runs (enqueue, claim, heartbeat, complete, cancel, fail,
/// release), written by <see cref="QueueSql"/> from the queue table's declaration in schema.yaml, so the runtime names the
/// columns schema.yaml names.
/// </summary>
internal static class QueueSqlEmitter
{
    public const string FileName = "JobQueueSql.g.cs";

    /// <param name="declared">The queue's statements; null when schema.yaml declares no queue, or has errors: the class is written
    /// all the same (the runtime names it), saying there is no queue, and the runtime refuses to enqueue or claim.</param>
    public static string Emit(QueueSql? declared, string ns)
    {
        var sql = declared ?? new QueueSql("", false, "", "", "", "", "", "", "", "", "", "");
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {ns}");
        w.Summary(
            $"The SQL of the job queue on {sql.Table}, written from its 'queue:' declaration in schema.yaml. A job is queued until a\n" +
            "worker claims it (running, with a lease owned by that worker until it expires), then succeeded, cancelled, queued\n" +
            "again for a retry, or failed for good. Every statement that finishes a claim names the claim it finishes (tenant, id,\n" +
            "owner and attempt number: $1 to $4): a worker whose lease was taken over changes nothing. The workers' statements\n" +
            "(Claim to CompleteMany) call the queue's functions, which the migrations create from the same declaration and which\n" +
            "run as the table's owner: the workers' role holds no privilege of its own on other tenants' jobs.");
        w.Open("internal static class JobQueueSql");
        w.Summary("Whether schema.yaml declares a queue table (queue:); without one, the statements below are empty.");
        w.Line($"public static readonly bool IsDeclared = {(declared is null ? "false" : "true")};");
        w.Line();
        w.StringConstant("Table", sql.Table, "The queue table.");
        w.StringConstant("Channel", QueueSql.Channel, "The channel enqueues notify on commit, which idle workers listen on.");
        w.Summary("Whether the queue has a uniqueness key (unique_key:): an enqueue then takes the key as $8 and adds nothing while a job with the same key waits or runs.");
        w.Line($"public static readonly bool HasUniqueKey = {(sql.HasUniqueKey ? "true" : "false")};");
        w.Line();
        w.StringConstant("Enqueue", sql.Enqueue,
            "One job in the caller's tenant and transaction ($1 tenant, $2 id, $3 kind, $4 payload, $5 priority, $6 max attempts,\n" +
            "$7 run after or null for now, $8 the unique key when the queue has one); returns how many were added (0 or 1). The\n" +
            "notification is sent when the transaction commits, and not at all if it rolls back.");
        w.StringConstant("EnqueueMany", sql.EnqueueMany,
            "Many jobs in one statement, from arrays (as Enqueue, each from $2 an array); returns how many were added.");
        w.StringConstant("CancelQueued", sql.CancelQueued, "A queued job of the caller's tenant cancelled before a worker takes it ($1 tenant, $2 id).");
        w.StringConstant("Claim", sql.Claim,
            "Claims up to $1 jobs of every tenant, fairly ($2 the tenant served last, $3 the lease owner, $4 the lease in seconds):\n" +
            "a tenant's first ready job before any tenant's second, starting after $2; each tenant with ready work (found by a skip\n" +
            "scan of the ready index) locks only its share of $1, and rows locked by another claim are skipped;\n" +
            "an expired lease is claimed again, or failed when its attempts are spent.");
        w.StringConstant("Heartbeat", sql.Heartbeat, "Extends the lease to $5 seconds from now.");
        w.StringConstant("Complete", sql.Complete, "The job succeeded.");
        w.StringConstant("Cancel", sql.Cancel, "The job ends cancelled ($5 the reason, kept as its last error).");
        w.StringConstant("Fail", sql.Fail,
            "A failed attempt ($5 the error, $6 the backoff in seconds): queued again after the backoff while attempts remain,\nelse failed for good; the error is kept either way.");
        w.StringConstant("Release", sql.Release, "Gives a job back unstarted (a worker draining): queued at once, the attempt not counted.");
        w.StringConstant("CompleteMany", sql.CompleteMany,
            "Many claimed jobs succeeded in one statement ($1 tenants, $2 ids, $3 owners, $4 attempts: arrays of the same length),\n" +
            "each only while still its claim's; returns the tenant and id of every job it completed.");
        w.Close();
        w.Close();
        return w.ToString();
    }
}
