using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Conventions;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The SQL of the job queue on a queue table, written from its declaration (<see cref="QueueDeclaration"/>): the column of
/// each role is the one schema.yaml names. A job is <c>queued</c> until a worker claims it (<c>running</c>, with a lease
/// owned by that worker until its lease expiry), then <c>succeeded</c>, <c>cancelled</c>, back to <c>queued</c> for a
/// retry, or <c>failed</c> for good. Every statement that finishes a claim names the claim it finishes (owner and attempt
/// number): a worker whose lease was taken over changes nothing. The generator writes these statements into the data
/// layer (<c>JobQueueSql</c>), which the runtime's queue runs. The enqueues run in the caller's tenant; the workers'
/// statements (claim to release) are calls of the queue's functions (<see cref="QueueFunctions"/>), which hold the
/// statements of <see cref="QueueStatements"/> and run them as the table's owner, so the workers' role holds no
/// privilege on other tenants' jobs.
/// </summary>
public sealed record QueueSql(
    string Table,
    bool HasUniqueKey,
    string Enqueue,
    string EnqueueMany,
    string CancelQueued,
    string Claim,
    string Heartbeat,
    string Complete,
    string Cancel,
    string Fail,
    string Release,
    string CompleteMany)
{
    /// <summary>The channel enqueues notify on commit, which idle workers listen on.</summary>
    public const string Channel = "narralytica_jobs";

    /// <summary>The predicate of a uniqueness key's index: the key is taken while a job with it waits or runs.</summary>
    public static string UniqueKeyPredicate(string statusColumn, IReadOnlyCollection<string> enumNames)
        => SqlExpression.Normalize($"{SqlIdentifier.Quote(statusColumn)} IN ('queued', 'running')", enumNames);

    /// <summary>The statements of <paramref name="table"/>'s queue; null when it is no queue (or its columns are unknown: a model read from a live catalog).</summary>
    public static QueueSql? For(Table table, IReadOnlyCollection<string> enumNames)
    {
        if (Statements(table, enumNames) is not { } statements)
            return null;
        return new QueueSql(table.Name, statements.HasUniqueKey, statements.Enqueue, statements.EnqueueMany, statements.CancelQueued,
            QueueFunctions.Call(QueueFunctions.Claim), QueueFunctions.Call(QueueFunctions.Heartbeat), QueueFunctions.CallScalar(QueueFunctions.Complete),
            QueueFunctions.CallScalar(QueueFunctions.Cancel), QueueFunctions.Call(QueueFunctions.Fail), QueueFunctions.CallScalar(QueueFunctions.Release),
            QueueFunctions.Call(QueueFunctions.CompleteMany));
    }

    /// <summary>
    /// Whether the index that serves the ready jobs holds them as (tenant_id, priority ASC, run_after DESC), the reverse
    /// of the claim's order, rather than (tenant_id, priority DESC, run_after): NARR1052 accepts both.
    /// </summary>
    private static bool ReadyIndexIsReversed(Table table, QueueDeclaration queue)
    {
        bool Leads(Index index, bool priorityDescending) => index.Columns.Count >= 3 && index.Columns[0].Name == TableConventions.TenantColumn
            && index.Columns[1].Name == queue.Required(QueueRoles.Priority) && index.Columns[1].Descending == priorityDescending
            && index.Columns[2].Name == queue.Required(QueueRoles.RunAfter) && index.Columns[2].Descending != priorityDescending;
        return !table.Indexes.Any(i => Leads(i, true)) && table.Indexes.Any(i => Leads(i, false));
    }

    /// <summary>Every statement of <paramref name="table"/>'s queue as it runs on the table; null when it is no queue.</summary>
    internal static QueueStatements? Statements(Table table, IReadOnlyCollection<string> enumNames)
    {
        if (table.QueueColumns is not { } queue)
            return null;
        string C(string role) => SqlIdentifier.Quote(queue.Required(role));
        var t = SqlFragments.Name(table);
        var tenant = SqlIdentifier.Quote(TableConventions.TenantColumn);
        var id = SqlIdentifier.Quote(TableConventions.IdColumn);
        var (kind, payload, status, priority, runAfter) = (C(QueueRoles.Kind), C(QueueRoles.Payload), C(QueueRoles.Status), C(QueueRoles.Priority), C(QueueRoles.RunAfter));
        var (attempts, maxAttempts, owner, expires) = (C(QueueRoles.Attempts), C(QueueRoles.MaxAttempts), C(QueueRoles.LeaseOwner), C(QueueRoles.LeaseExpiresAt));
        var (startedAt, finishedAt, lastError) = (C(QueueRoles.StartedAt), C(QueueRoles.FinishedAt), C(QueueRoles.LastError));
        var statusColumn = table.FindColumn(queue.Required(QueueRoles.Status))!;
        var statusType = statusColumn.Type.Kind == PgTypeKind.Enum ? SqlIdentifier.Quote(statusColumn.Type.EnumName!) : "text";
        string Status(string value) => $"'{value}'::{statusType}";
        // The convention's updated_at, when the table has it, says when the job last changed.
        var touched = table.FindColumn(TableConventions.UpdatedAtColumn) is null ? "" : $", {SqlIdentifier.Quote(TableConventions.UpdatedAtColumn)} = now()";
        var notify = $"SELECT count(*), pg_notify('{Channel}', '') FROM inserted";

        var key = queue.UniqueKey is { } keyColumn ? SqlIdentifier.Quote(keyColumn) : null;
        var insertColumns = $"{tenant}, {id}, {kind}, {payload}, {priority}, {maxAttempts}, {runAfter}" + (key is null ? "" : $", {key}");
        // A job whose key a waiting or running job holds is not added: the conflict names the key's partial unique index.
        var onConflict = key is null ? "" : $" ON CONFLICT ({tenant}, {key}) WHERE {UniqueKeyPredicate(queue.Required(QueueRoles.Status), enumNames)} DO NOTHING";

        var enqueue =
            $"WITH inserted AS (INSERT INTO {t} ({insertColumns}) " +
            "VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now())" + (key is null ? "" : ", $8") + ")" + onConflict + " RETURNING 1) " + notify;

        var enqueueMany =
            $"WITH inserted AS (INSERT INTO {t} ({insertColumns}) " +
            "SELECT $1, j.id, j.kind, j.payload, j.priority, j.max_attempts, coalesce(j.run_after, now())" + (key is null ? "" : ", j.unique_key") + " " +
            "FROM unnest($2::uuid[], $3::text[], $4::jsonb[], $5::integer[], $6::integer[], $7::timestamptz[]" + (key is null ? "" : ", $8::text[]") + ") " +
            "AS j (id, kind, payload, priority, max_attempts, run_after" + (key is null ? "" : ", unique_key") + ")" + onConflict + " RETURNING 1) " + notify;

        // A statement on one job by its key names its status with IS NOT DISTINCT FROM (the same, as the status is never
        // null), not =: "status = 'running'" would let PostgreSQL pick a partial index of the claim (running or ready
        // jobs, by tenant) over the primary key, and walk every such job of the tenant, and the dead entries of those
        // finished since the last vacuum, to find one row. The planner cannot prove a partial index's predicate from it.
        string StatusIs(string alias, string value) => $"{alias}{status} IS NOT DISTINCT FROM '{value}'";
        var cancelQueued =
            $"UPDATE {t} SET {status} = {Status("cancelled")}, {finishedAt} = now(){touched} WHERE {tenant} = $1 AND {id} = $2 AND {StatusIs("", "queued")} RETURNING 1";

        // Claims up to $1 jobs of every tenant, fairly ($2 the tenant served last, $3 the lease owner, $4 the lease in
        // seconds), in one statement that locks little more than it takes:
        // - the tenants with ready work, found by a skip scan of the ready index (one descent per tenant, never a tenant
        //   without work): first the tenants after $2 in id order, then from the start up to $2, at most $1 of them (the seats);
        // - each seated tenant locks its share of $1 (an equal part, the first seats one more for the remainder), its next
        //   ready jobs by priority then run_after, skipping rows another claim holds;
        // - jobs whose lease expired (their worker stopped), the oldest first, from the small index of running jobs;
        // - a tenant's first job is taken before any tenant's second (the turn), and within a turn the tenants after $2 come
        //   first, so successive claims go round the tenants.
        // An expired job that has used up its attempts is failed instead of claimed (its status comes back as 'failed').
        var ready = $"j.{status} = 'queued' AND j.{runAfter} <= now()";
        // Each descent orders as the ready index does (NARR1052: tenant_id, then priority and run_after, forwards or both
        // reversed), which only that index gives without a sort: ordered by tenant_id alone, PostgreSQL may walk another
        // index of the tenant's queued and running jobs (the uniqueness key's), every running job on the way.
        var readyOrder = ReadyIndexIsReversed(table, queue)
            ? $"j.{tenant}, j.{priority}, j.{runAfter} DESC"
            : $"j.{tenant}, j.{priority} DESC, j.{runAfter}";
        string NextBusyTenant(string after) => $"SELECT j.{tenant} FROM {t} j WHERE {ready}{after} ORDER BY {readyOrder} LIMIT 1";
        var spent = $"j.{status} = 'running' AND j.{attempts} >= j.{maxAttempts}";
        var claim =
            "WITH RECURSIVE " +
            $"later (tenant_id) AS (({NextBusyTenant($" AND j.{tenant} > $2")}) UNION ALL " +
            $"SELECT ({NextBusyTenant($" AND j.{tenant} > l.tenant_id")}) FROM later l WHERE l.tenant_id IS NOT NULL), " +
            $"earlier (tenant_id) AS (({NextBusyTenant("")}) UNION ALL " +
            $"SELECT ({NextBusyTenant($" AND j.{tenant} > e.tenant_id")}) FROM earlier e WHERE e.tenant_id < $2), " +
            "seated AS (" +
            "SELECT b.tenant_id, row_number() OVER (ORDER BY b.tenant_id <= $2, b.tenant_id) - 1 AS seat, count(*) OVER () AS seats FROM (" +
            "SELECT a.tenant_id FROM ((SELECT tenant_id FROM later WHERE tenant_id IS NOT NULL LIMIT $1) UNION ALL (SELECT tenant_id FROM earlier WHERE tenant_id <= $2 LIMIT $1)) a " +
            "ORDER BY a.tenant_id <= $2, a.tenant_id LIMIT $1) b), " +
            "offered_ready AS (" +
            "SELECT r.tenant_id, r.id, r.priority, r.run_after FROM seated s CROSS JOIN LATERAL (" +
            $"SELECT j.{tenant} AS tenant_id, j.{id} AS id, j.{priority} AS priority, j.{runAfter} AS run_after FROM {t} j " +
            $"WHERE j.{tenant} = s.tenant_id AND {ready} " +
            $"ORDER BY j.{priority} DESC, j.{runAfter} " +
            "LIMIT $1 / s.seats + CASE WHEN s.seat < $1 % s.seats THEN 1 ELSE 0 END FOR UPDATE OF j SKIP LOCKED) r), " +
            "offered_expired AS (" +
            $"SELECT j.{tenant} AS tenant_id, j.{id} AS id, j.{priority} AS priority, j.{runAfter} AS run_after FROM {t} j " +
            $"WHERE j.{status} = 'running' AND j.{expires} < now() ORDER BY j.{expires} LIMIT $1 FOR UPDATE OF j SKIP LOCKED), " +
            "offered AS (" +
            "SELECT o.tenant_id, o.id, row_number() OVER (PARTITION BY o.tenant_id ORDER BY o.priority DESC, o.run_after, o.id) AS turn " +
            "FROM (SELECT * FROM offered_ready UNION ALL SELECT * FROM offered_expired) o), " +
            "chosen AS (" +
            "SELECT tenant_id, id, row_number() OVER (ORDER BY turn, tenant_id <= $2, tenant_id) AS place FROM offered ORDER BY turn, tenant_id <= $2, tenant_id LIMIT $1) " +
            $"UPDATE {t} j SET " +
            $"{status} = CASE WHEN {spent} THEN {Status("failed")} ELSE {Status("running")} END, " +
            $"{attempts} = CASE WHEN {spent} THEN j.{attempts} ELSE j.{attempts} + 1 END, " +
            $"{lastError} = CASE WHEN j.{status} = 'running' THEN 'The lease of attempt ' || j.{attempts} || ' expired: its worker stopped (' || coalesce(j.{owner}, '?') || ').' ELSE j.{lastError} END, " +
            $"{finishedAt} = CASE WHEN {spent} THEN now() END, " +
            $"{owner} = CASE WHEN {spent} THEN NULL ELSE $3 END, " +
            $"{expires} = CASE WHEN {spent} THEN NULL ELSE now() + make_interval(secs => $4) END, " +
            $"{startedAt} = now(){touched} " +
            $"FROM chosen c WHERE j.{tenant} = c.tenant_id AND j.{id} = c.id " +
            $"RETURNING c.place, j.{tenant}, j.{id}, j.{kind}::text, j.{payload}::text, j.{priority}::smallint, j.{attempts}::integer, j.{maxAttempts}::integer, j.{status}::text, j.{expires}, j.{lastError}::text";

        // The condition every statement on a claimed job carries ($1 tenant, $2 id, $3 owner, $4 attempt): still this claim's.
        var thisClaim = $"{tenant} = $1 AND {id} = $2 AND {StatusIs("", "running")} AND {owner} = $3 AND {attempts} = $4";
        var heartbeat = $"UPDATE {t} SET {expires} = now() + make_interval(secs => $5){touched} WHERE {thisClaim} RETURNING {expires}";
        var complete = $"UPDATE {t} SET {status} = {Status("succeeded")}, {owner} = NULL, {expires} = NULL, {finishedAt} = now(){touched} WHERE {thisClaim}";
        // Many claimed jobs succeeded in one statement, each still its claim's ($1 tenants, $2 ids, $3 owners, $4 attempts,
        // arrays of the same length); returns the tenant and id of each job it completed, so the caller sees which claims were lost.
        var completeMany =
            $"UPDATE {t} j SET {status} = {Status("succeeded")}, {owner} = NULL, {expires} = NULL, {finishedAt} = now(){touched} " +
            "FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::integer[]) AS c (tenant_id, id, owner, attempt) " +
            $"WHERE j.{tenant} = c.tenant_id AND j.{id} = c.id AND {StatusIs("j.", "running")} AND j.{owner} = c.owner AND j.{attempts} = c.attempt " +
            $"RETURNING j.{tenant}, j.{id}";
        // The job ends cancelled ($5 the reason, kept in last_error).
        var cancel = $"UPDATE {t} SET {status} = {Status("cancelled")}, {lastError} = $5, {owner} = NULL, {expires} = NULL, {finishedAt} = now(){touched} WHERE {thisClaim}";
        // A failed attempt ($5 the error, $6 the backoff in seconds): queued again after the backoff while attempts remain,
        // else failed for good; the error is kept either way.
        var fail =
            $"UPDATE {t} SET " +
            $"{status} = CASE WHEN {attempts} >= {maxAttempts} THEN {Status("failed")} ELSE {Status("queued")} END, " +
            $"{runAfter} = CASE WHEN {attempts} >= {maxAttempts} THEN {runAfter} ELSE now() + make_interval(secs => $6) END, " +
            $"{finishedAt} = CASE WHEN {attempts} >= {maxAttempts} THEN now() END, " +
            $"{lastError} = $5, {owner} = NULL, {expires} = NULL{touched} WHERE {thisClaim} RETURNING {status}::text, {runAfter}";
        // Gives a job back unstarted (a worker draining): queued at once, the attempt not counted.
        // started_at goes too: a released job never started, as far as the table says.
        var release = $"UPDATE {t} SET {status} = {Status("queued")}, {attempts} = {attempts} - 1, {runAfter} = now(), {owner} = NULL, {expires} = NULL, {startedAt} = NULL{touched} WHERE {thisClaim}";

        return new QueueStatements(key is not null, enqueue, enqueueMany, cancelQueued, claim, heartbeat, complete, cancel, fail, release, completeMany);
    }
}

/// <summary>The statements of a queue as they run on its table: the enqueues in the caller's tenant, the rest inside the queue's functions.</summary>
internal sealed record QueueStatements(
    bool HasUniqueKey,
    string Enqueue,
    string EnqueueMany,
    string CancelQueued,
    string Claim,
    string Heartbeat,
    string Complete,
    string Cancel,
    string Fail,
    string Release,
    string CompleteMany);
