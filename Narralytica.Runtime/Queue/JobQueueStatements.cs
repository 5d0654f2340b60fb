namespace Narralytica.Runtime;

/// <summary>
/// The SQL of the job queue, written by the generator from the queue table's <c>queue:</c> declaration in schema.yaml and
/// handed to the runtime by the schema binding (<see cref="ISchemaBinding.Queue"/>), so the runtime names the columns the
/// schema names. Every statement that finishes a claim names the claim it finishes (tenant, id, owner and attempt number:
/// $1 to $4), so a worker whose lease was taken over changes nothing. The parameters of each are documented on the
/// generated <c>JobQueueSql</c> class.
/// </summary>
public sealed record JobQueueStatements
{
    /// <summary>No queue table: schema.yaml declares none, and the runtime refuses to enqueue or claim.</summary>
    public static JobQueueStatements None { get; } = new();

    /// <summary>Whether schema.yaml declares a queue table; without one, every statement is empty.</summary>
    public bool IsDeclared { get; init; }

    /// <summary>The queue table.</summary>
    public string Table { get; init; } = "";

    /// <summary>The channel enqueues notify on commit, which idle workers listen on.</summary>
    public string Channel { get; init; } = "";

    /// <summary>Whether the queue has a uniqueness key (an enqueue then takes it as $8).</summary>
    public bool HasUniqueKey { get; init; }

    /// <summary>One job in the caller's tenant and transaction; returns how many were added (0 or 1).</summary>
    public string Enqueue { get; init; } = "";

    /// <summary>Many jobs in one statement, from arrays; returns how many were added.</summary>
    public string EnqueueMany { get; init; } = "";

    /// <summary>A queued job of the caller's tenant cancelled before a worker takes it.</summary>
    public string CancelQueued { get; init; } = "";

    /// <summary>Claims up to $1 jobs of every tenant, fairly, skipping rows another claim holds.</summary>
    public string Claim { get; init; } = "";

    /// <summary>Extends a claim's lease.</summary>
    public string Heartbeat { get; init; } = "";

    /// <summary>The job succeeded.</summary>
    public string Complete { get; init; } = "";

    /// <summary>The job ends cancelled, the reason kept as its last error.</summary>
    public string Cancel { get; init; } = "";

    /// <summary>A failed attempt: queued again after a backoff while attempts remain, else failed for good.</summary>
    public string Fail { get; init; } = "";

    /// <summary>Gives a job back unstarted (a worker draining).</summary>
    public string Release { get; init; } = "";

    /// <summary>Many claimed jobs succeeded in one statement, from arrays; returns the tenant and id of each one completed.</summary>
    public string CompleteMany { get; init; } = "";
}
