using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using Narralytica.Benchmarks.Hosting;
using NpgsqlTypes;

namespace Narralytica.Benchmarks.Competitors;

/// <summary>
/// The baseline queue: what one writes by hand on <c>jobs</c> with raw Npgsql, as the table's owner (no row-level
/// security, no tenant, no fairness, no lease check on completion): claim up to 10 ready jobs with
/// <c>FOR UPDATE SKIP LOCKED</c> by priority and time, mark each succeeded by its key (or a claim's jobs at once). Prepared statements.
/// </summary>
public static class RawQueue
{
    private const string ClaimSql =
        "UPDATE jobs j SET status = 'running', attempts = j.attempts + 1, lease_owner = $2, lease_expires_at = now() + interval '30 seconds', started_at = now() " +
        "FROM (SELECT tenant_id, id FROM jobs WHERE status = 'queued' AND run_after <= now() ORDER BY priority DESC, run_after LIMIT $1 FOR UPDATE SKIP LOCKED) c " +
        "WHERE j.tenant_id = c.tenant_id AND j.id = c.id RETURNING j.tenant_id, j.id, j.kind, j.payload::text";

    private const string CompleteSql =
        "UPDATE jobs SET status = 'succeeded', lease_owner = NULL, lease_expires_at = NULL, finished_at = now() WHERE tenant_id = $1 AND id = $2";

    private const string CompleteManySql =
        "UPDATE jobs j SET status = 'succeeded', lease_owner = NULL, lease_expires_at = NULL, finished_at = now() " +
        "FROM unnest($1::uuid[], $2::uuid[]) AS c (tenant_id, id) WHERE j.tenant_id = c.tenant_id AND j.id = c.id";

    private const string InsertSql = "INSERT INTO jobs (tenant_id, id, kind, payload) VALUES ($1, $2, $3, $4)";

    private const string InsertManySql =
        "INSERT INTO jobs (tenant_id, id, kind, payload) SELECT $1, j.id, $2, j.payload FROM unnest($3::uuid[], $4::jsonb[]) AS j (id, payload)";

    /// <summary>
    /// Runs one claim-and-complete loop until the queue is empty (or <paramref name="budget"/> is spent); returns the jobs it completed. Each job is completed by
    /// a statement of its own, or with <paramref name="completeClaimAtOnce"/> a claim's jobs by one statement.
    /// </summary>
    public static async Task<int> DrainAsync(NpgsqlDataSource dataSource, string worker, bool completeClaimAtOnce = false, JobBudget? budget = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var claim = new NpgsqlCommand(ClaimSql, connection)
        {
            Parameters = { new NpgsqlParameter<int> { TypedValue = 10 }, new NpgsqlParameter<string> { TypedValue = worker, NpgsqlDbType = NpgsqlDbType.Text } },
        };
        await using var complete = new NpgsqlCommand(CompleteSql, connection)
        {
            Parameters = { new NpgsqlParameter<Guid>(), new NpgsqlParameter<Guid>() },
        };
        await using var completeMany = new NpgsqlCommand(CompleteManySql, connection)
        {
            Parameters = { new NpgsqlParameter<Guid[]>(), new NpgsqlParameter<Guid[]>() },
        };
        await claim.PrepareAsync(cancellationToken);
        await complete.PrepareAsync(cancellationToken);
        await completeMany.PrepareAsync(cancellationToken);
        var done = 0;
        var claimed = new List<(Guid Tenant, Guid Id)>(10);
        while (budget?.Spent != true)
        {
            claimed.Clear();
            await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken))
                    claimed.Add((reader.GetGuid(0), reader.GetGuid(1)));
            if (claimed.Count == 0)
                return done;
            if (completeClaimAtOnce)
            {
                ((NpgsqlParameter<Guid[]>)completeMany.Parameters[0]).TypedValue = claimed.Select(c => c.Tenant).ToArray();
                ((NpgsqlParameter<Guid[]>)completeMany.Parameters[1]).TypedValue = claimed.Select(c => c.Id).ToArray();
                var completed = await completeMany.ExecuteNonQueryAsync(cancellationToken);
                done += completed;
                budget?.Completed(completed);
                continue;
            }
            foreach (var (tenant, id) in claimed)
            {
                ((NpgsqlParameter<Guid>)complete.Parameters[0]).TypedValue = tenant;
                ((NpgsqlParameter<Guid>)complete.Parameters[1]).TypedValue = id;
                await complete.ExecuteNonQueryAsync(cancellationToken);
                done++;
            }
            budget?.Completed(claimed.Count);
        }
        return done;
    }

    /// <summary>One job, one INSERT.</summary>
    public static async Task EnqueueAsync(NpgsqlCommand insert, Guid tenant, string kind, string payload)
    {
        ((NpgsqlParameter<Guid>)insert.Parameters[0]).TypedValue = tenant;
        ((NpgsqlParameter<Guid>)insert.Parameters[1]).TypedValue = Guid.CreateVersion7();
        ((NpgsqlParameter<string>)insert.Parameters[2]).TypedValue = kind;
        ((NpgsqlParameter<string>)insert.Parameters[3]).TypedValue = payload;
        await insert.ExecuteNonQueryAsync();
    }

    public static async Task<NpgsqlCommand> PrepareInsertAsync(NpgsqlConnection connection)
    {
        var insert = new NpgsqlCommand(InsertSql, connection)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid>(), new NpgsqlParameter<Guid>(),
                new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Varchar }, new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb },
            },
        };
        await insert.PrepareAsync();
        return insert;
    }

    /// <summary>Many jobs, one INSERT from arrays.</summary>
    public static async Task<int> EnqueueManyAsync(NpgsqlConnection connection, Guid tenant, string kind, IReadOnlyList<string> payloads)
    {
        var ids = new Guid[payloads.Count];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = Guid.CreateVersion7();
        await using var insert = new NpgsqlCommand(InsertManySql, connection)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = tenant },
                new NpgsqlParameter<string> { TypedValue = kind, NpgsqlDbType = NpgsqlDbType.Varchar },
                new NpgsqlParameter<Guid[]> { TypedValue = ids },
                new NpgsqlParameter<string[]> { TypedValue = (string[])payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb },
            },
        };
        return await insert.ExecuteNonQueryAsync();
    }
}
