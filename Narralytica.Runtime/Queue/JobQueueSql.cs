namespace Narralytica.Runtime;

/// <summary>
/// The SQL of the job queue on <c>jobs</c>. A job is <c>queued</c> until a worker claims it (<c>running</c>, with a lease
/// owned by that worker until <c>lease_expires_at</c>), then <c>succeeded</c>, <c>cancelled</c>, back to <c>queued</c> for a
/// retry, or <c>failed</c> for good. Every statement that finishes a claim names the claim it finishes (owner and attempt
/// number): a worker whose lease was taken over changes nothing.
/// </summary>
internal static class JobQueueSql
{
    /// <summary>The channel enqueues notify on commit, which idle workers listen on.</summary>
    public const string Channel = "narralytica_jobs";

    /// <summary>
    /// One job in the caller's tenant and transaction ($1 tenant, $2 id, $3 kind, $4 payload, $5 priority, $6 max attempts,
    /// $7 run after, or null for now). The notification is sent when the transaction commits, and not at all if it rolls back.
    /// </summary>
    public const string Enqueue =
        "WITH inserted AS (INSERT INTO jobs (tenant_id, id, kind, payload, priority, max_attempts, run_after) " +
        "VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now())) RETURNING 1) " +
        "SELECT count(*), pg_notify('" + Channel + "', '') FROM inserted";

    /// <summary>Many jobs in one statement, from arrays ($1 tenant, $2 ids, $3 kinds, $4 payloads, $5 priorities, $6 max attempts, $7 run after).</summary>
    public const string EnqueueMany =
        "WITH inserted AS (INSERT INTO jobs (tenant_id, id, kind, payload, priority, max_attempts, run_after) " +
        "SELECT $1, j.id, j.kind, j.payload, j.priority, j.max_attempts, coalesce(j.run_after, now()) " +
        "FROM unnest($2::uuid[], $3::varchar[], $4::jsonb[], $5::smallint[], $6::integer[], $7::timestamptz[]) AS j (id, kind, payload, priority, max_attempts, run_after) " +
        "RETURNING 1) " +
        "SELECT count(*), pg_notify('" + Channel + "', '') FROM inserted";

    /// <summary>A queued job of the caller's tenant cancelled before a worker takes it ($1 tenant, $2 id).</summary>
    public const string CancelQueued =
        "UPDATE jobs SET status = 'cancelled', finished_at = now(), updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'queued' RETURNING 1";

    /// <summary>
    /// Claims up to $1 jobs of every tenant, fairly ($2 the tenant served last, $3 the lease owner, $4 the lease in seconds).
    /// Each tenant offers its next ready jobs (by priority, then run_after), and jobs whose lease expired (their worker
    /// stopped); a tenant's first job is taken before any tenant's second (the turn), and within a turn the tenants after
    /// $2 come first, so successive claims go round the tenants. Rows locked by another claim are skipped. An expired
    /// job that has used up its attempts is failed instead of claimed (its status comes back as 'failed').
    /// </summary>
    public const string Claim =
        "WITH ready AS (" +
        "SELECT r.tenant_id, r.id, r.priority, r.run_after FROM tenants t CROSS JOIN LATERAL (" +
        "SELECT j.tenant_id, j.id, j.priority, j.run_after FROM jobs j WHERE j.tenant_id = t.id AND j.status = 'queued' AND j.run_after <= now() " +
        "ORDER BY j.priority DESC, j.run_after LIMIT $1 FOR UPDATE OF j SKIP LOCKED) r), " +
        "expired AS (" +
        "SELECT e.tenant_id, e.id, e.priority, e.run_after FROM tenants t CROSS JOIN LATERAL (" +
        "SELECT j.tenant_id, j.id, j.priority, j.run_after FROM jobs j WHERE j.tenant_id = t.id AND j.status = 'running' AND j.lease_expires_at < now() " +
        "ORDER BY j.lease_expires_at LIMIT $1 FOR UPDATE OF j SKIP LOCKED) e), " +
        "offered AS (" +
        "SELECT o.tenant_id, o.id, row_number() OVER (PARTITION BY o.tenant_id ORDER BY o.priority DESC, o.run_after, o.id) AS turn " +
        "FROM (SELECT * FROM ready UNION ALL SELECT * FROM expired) o), " +
        "chosen AS (" +
        "SELECT tenant_id, id, row_number() OVER (ORDER BY turn, tenant_id <= $2, tenant_id) AS place FROM offered ORDER BY turn, tenant_id <= $2, tenant_id LIMIT $1) " +
        "UPDATE jobs j SET " +
        "status = CASE WHEN j.status = 'running' AND j.attempts >= j.max_attempts THEN 'failed'::job_status ELSE 'running'::job_status END, " +
        "attempts = CASE WHEN j.status = 'running' AND j.attempts >= j.max_attempts THEN j.attempts ELSE j.attempts + 1 END, " +
        "last_error = CASE WHEN j.status = 'running' THEN 'The lease of attempt ' || j.attempts || ' expired: its worker stopped (' || coalesce(j.lease_owner, '?') || ').' ELSE j.last_error END, " +
        "finished_at = CASE WHEN j.status = 'running' AND j.attempts >= j.max_attempts THEN now() END, " +
        "lease_owner = CASE WHEN j.status = 'running' AND j.attempts >= j.max_attempts THEN NULL ELSE $3 END, " +
        "lease_expires_at = CASE WHEN j.status = 'running' AND j.attempts >= j.max_attempts THEN NULL ELSE now() + make_interval(secs => $4) END, " +
        "started_at = now(), updated_at = now() " +
        "FROM chosen c WHERE j.tenant_id = c.tenant_id AND j.id = c.id " +
        "RETURNING c.place, j.tenant_id, j.id, j.kind, j.payload::text, j.priority, j.attempts, j.max_attempts, j.status::text, j.lease_expires_at, j.last_error";

    /// <summary>The condition every statement on a claimed job carries ($1 tenant, $2 id, $3 owner, $4 attempt): still this claim's.</summary>
    private const string ThisClaim = "tenant_id = $1 AND id = $2 AND status = 'running' AND lease_owner = $3 AND attempts = $4";

    /// <summary>Extends the lease to $5 seconds from now.</summary>
    public const string Heartbeat =
        "UPDATE jobs SET lease_expires_at = now() + make_interval(secs => $5), updated_at = now() WHERE " + ThisClaim + " RETURNING lease_expires_at";

    public const string Complete =
        "UPDATE jobs SET status = 'succeeded', lease_owner = NULL, lease_expires_at = NULL, finished_at = now(), updated_at = now() WHERE " + ThisClaim;

    /// <summary>The job ends cancelled ($5 the reason, kept in last_error).</summary>
    public const string Cancel =
        "UPDATE jobs SET status = 'cancelled', last_error = $5, lease_owner = NULL, lease_expires_at = NULL, finished_at = now(), updated_at = now() WHERE " + ThisClaim;

    /// <summary>
    /// A failed attempt ($5 the error, $6 the backoff in seconds): queued again after the backoff while attempts remain,
    /// else failed for good; the error is kept either way.
    /// </summary>
    public const string Fail =
        "UPDATE jobs SET " +
        "status = CASE WHEN attempts >= max_attempts THEN 'failed'::job_status ELSE 'queued'::job_status END, " +
        "run_after = CASE WHEN attempts >= max_attempts THEN run_after ELSE now() + make_interval(secs => $6) END, " +
        "finished_at = CASE WHEN attempts >= max_attempts THEN now() END, " +
        "last_error = $5, lease_owner = NULL, lease_expires_at = NULL, updated_at = now() WHERE " + ThisClaim +
        " RETURNING status::text, run_after";

    /// <summary>Gives a job back unstarted (a worker draining): queued at once, the attempt not counted.</summary>
    public const string Release =
        "UPDATE jobs SET status = 'queued', attempts = attempts - 1, run_after = now(), lease_owner = NULL, lease_expires_at = NULL, updated_at = now() WHERE " + ThisClaim;
}
