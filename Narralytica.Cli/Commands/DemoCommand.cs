using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Cli.Roles;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// The newcomer's tour: creates the schema, then, each caller in its own lane where it can (the control plane creates
/// the tenants, requests run as the application role, the cross-tenant read as the reader), loads two tenants' sample
/// data, queries through the generated tenant scope, shows that tenant B can neither see nor touch tenant A's rows, nor
/// A's global rows, and that PostgreSQL refuses to rewrite append-only history. Exits 1 if any check fails.
/// </summary>
public static class DemoCommand
{
    public static async Task<int> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        await using var target = await DatabaseTarget.OpenAsync(options.Connection, "narralytica_demo", cancellationToken);
        Console.WriteLine($"Database: {target.Description}");

        // On a given server the demo works in a schema of its own and drops it afterwards.
        var demoSchema = target.IsThrowaway ? null : "narralytica_demo_" + Guid.NewGuid().ToString("N").Substring(0, 8);
        var connectionString = target.ConnectionString;
        if (demoSchema is not null)
        {
            await ExecuteAsync(connectionString, $"CREATE SCHEMA {demoSchema}");
            connectionString = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = demoSchema }.ConnectionString;
        }
        try
        {
            await MigrateAsync(connectionString, cancellationToken);
            var tenantKey = await InstallTenantKeyAsync(connectionString);
            var lanes = await LaneConnectionsAsync(connectionString, target.IsThrowaway);
            var checks = await RunTourAsync(lanes, tenantKey, connectionString);
            if (options.Json)
                CliOutput.WriteJson(new
                {
                    database = target.Description,
                    asApplicationRole = lanes.AsRoles,
                    checks = checks.Outcomes.Select(c => new { check = c.What, held = c.Held, outcome = c.Outcome }),
                    passed = checks.Passed,
                    failed = checks.Failed,
                });
            return checks.Failed == 0 ? ExitCodes.Ok : ExitCodes.Error;
        }
        finally
        {
            if (demoSchema is not null)
                await ExecuteAsync(target.ConnectionString, $"DROP SCHEMA {demoSchema} CASCADE");
        }
    }

    /// <summary>The schema comes from the migrations compiled into the model, as an application would migrate at start-up.</summary>
    internal static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        IReadOnlyList<SchemaMigration> applied;
        CliOutput.Progress($"Creating the schema: applying {NarralyticaMigrations.All.Count} embedded migration(s)…");
        await using (var migrationSource = NpgsqlDataSource.Create(connectionString))
        {
            try
            {
                applied = await new SchemaMigrator(migrationSource).ApplyAsync(null, cancellationToken);
            }
            catch (MigrationFailedException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new CliError($"{e.Message}\nThe migrations create the roles {DatabaseRoles.Owner} and {DatabaseRoles.App} where they are missing, " +
                                   "which needs CREATEROLE: run `narralytica roles create` once as a user that has it, then the demo again.");
            }
        }
        Console.WriteLine($"Schema:   {NarralyticaSchema.Tables.Count} tables ({NarralyticaSchema.Tables.Count(t => t.TenantScoped)} tenant-scoped), " +
                          $"applied by {applied.Count} embedded migration(s) ({string.Join(", ", applied.Select(m => m.FileName))})");
    }

    /// <summary>The connections of the tour's three callers, and whether they are the lanes' roles (or all the connecting user).</summary>
    private sealed record TourLanes(string Requests, string Control, string Reader, bool AsRoles);

    /// <summary>
    /// A tenant key for the tour, installed as the user that migrated (the owner's part); the tour's data source signs its
    /// tenants' proofs with it, as an application's does with the key in its configuration. It goes with the demo's schema.
    /// </summary>
    internal static async Task<TenantKey> InstallTenantKeyAsync(string connectionString)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var key = new TenantKey("demo-" + Guid.NewGuid().ToString("N").Substring(0, 8), secret);
        await ExecuteAsync(connectionString, TenantProof.InstallKey(key.Id, Convert.ToBase64String(secret), 1));
        Console.WriteLine($"Key:      tenant key {key.Id} installed; the tour's data source signs its tenant proofs with it");
        return key;
    }

    /// <summary>
    /// The connections the tour runs on, one per lane: on the throwaway server the demo creates the roles and a member
    /// login of each lane (trust authentication) and connects as each; on a given server it switches to each role when the user may (SET
    /// ROLE), or else runs every lane as the user, with the reason printed.
    /// </summary>
    private static async Task<TourLanes> LaneConnectionsAsync(string connectionString, bool throwaway)
    {
        // A login connects as itself; a lane role is set by the given user on connecting.
        string As(string loginOrRole, bool login)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (login)
                (builder.Username, builder.Password) = (loginOrRole, null);
            else
                builder.Options = ((builder.Options ?? "") + $" -c role={loginOrRole}").Trim();
            return builder.ConnectionString;
        }
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        if (throwaway)
        {
            await RoleSetup.CreateOrUpdateAsync(connection, null);
            foreach (var lane in DatabaseRoles.Lanes)
                await MemberLoginSetup.CreateOrUpdateAsync(connection, MemberLogins.DefaultLoginOf(lane), lane, null, SessionTimeouts.RequestDefaults);
            Console.WriteLine($"Roles:    {DatabaseRoles.Owner} and the NOLOGIN lane roles {string.Join(", ", DatabaseRoles.Lanes)} created, with a member login of each; the tour connects as " +
                              $"{MemberLogins.DefaultLoginOf(DatabaseRoles.Control)} (tenants), {MemberLogins.DefaultLoginOf(DatabaseRoles.App)} (requests) and {MemberLogins.DefaultLoginOf(DatabaseRoles.Reader)} (the cross-tenant read)");
            return new TourLanes(As(MemberLogins.DefaultLoginOf(DatabaseRoles.App), true), As(MemberLogins.DefaultLoginOf(DatabaseRoles.Control), true),
                As(MemberLogins.DefaultLoginOf(DatabaseRoles.Reader), true), AsRoles: true);
        }
        var roles = new[] { DatabaseRoles.App, DatabaseRoles.Control, DatabaseRoles.Reader };
        await using var command = new NpgsqlCommand(
            "SELECT current_user::text, coalesce(bool_and(pg_has_role(current_user, r.oid, 'MEMBER')), false) AND count(*) = 3 FROM pg_roles r WHERE r.rolname = ANY($1)", connection)
        {
            Parameters = { new NpgsqlParameter { Value = roles } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (user, mayBecomeLanes) = (reader.GetString(0), reader.GetBoolean(1));
        if (!mayBecomeLanes)
        {
            Console.WriteLine($"Roles:    the tour runs as {user}, which may not SET ROLE to each of {string.Join(", ", roles)} " +
                              "(grant them to it to see the database enforce each lane's privileges)");
            return new TourLanes(connectionString, connectionString, connectionString, AsRoles: false);
        }
        Console.WriteLine($"Roles:    the tour runs as {string.Join(", ", roles)} (each role set by {user} on connecting)");
        return new TourLanes(As(DatabaseRoles.App, false), As(DatabaseRoles.Control, false), As(DatabaseRoles.Reader, false), AsRoles: true);
    }

    private static async Task<IsolationChecks> RunTourAsync(TourLanes lanes, TenantKey tenantKey, string ownerConnectionString)
    {
        var asApplicationRole = lanes.AsRoles;
        await using var dataSource = NarralyticaDb.CreateDataSource(lanes.Requests, tenantKey);
        await using var controlSource = NarralyticaDb.CreateDataSource(lanes.Control, lane: DatabaseLane.ControlPlane);
        await using var readerSource = NarralyticaDb.CreateDataSource(lanes.Reader, tenantKey, lane: DatabaseLane.Reader);
        await using var db = new NarralyticaDb(dataSource);
        await using var control = new NarralyticaDb(controlSource);
        await using var readerDb = new NarralyticaDb(readerSource);
        CliOutput.Progress("Loading the sample: two tenants with a video, a transcript, segments and layers each…");
        var sample = await SampleData.LoadAsync(db, control.ControlPlane);
        Console.WriteLine($"Sample:   tenants '{sample.A.Tenant.Slug}' and '{sample.B.Tenant.Slug}' (created by the control plane), each with a video, a transcript, {sample.A.Segments.Count} segments, 2 speakers and 2 versions of a summary layer per segment");

        var a = db.ForTenant(sample.A.Tenant.Id);
        var b = db.ForTenant(sample.B.Tenant.Id);

        Console.WriteLine();
        Console.WriteLine($"Tenant {sample.A.Tenant.Slug}: segments of '{sample.A.Video.Title}' overlapping [4000 ms, 9000 ms), in time order");
        // The generated helpers declared in schema.yaml (queries: segments_in_window, latest_layers).
        var window = await a.SegmentsInWindowAsync(sample.A.Transcript.Id, 4000, 9000);
        var speakers = (await a.Speakers.Where(s => s.VideoId == sample.A.Video.Id).ToListAsync()).ToDictionary(s => s.Id, s => s.Label);
        foreach (var segment in window)
            Console.WriteLine($"  {segment.StartMs,6}–{segment.EndMs,-6} {(segment.SpeakerId is { } speaker ? speakers[speaker] : ""),-10} {segment.Text}");

        Console.WriteLine($"Tenant {sample.A.Tenant.Slug}: latest 'summary' layer of each of those segments");
        var ids = window.Select(s => s.Id).ToArray();
        var latest = await a.LatestLayersAsync(ids, "summary");
        foreach (var layer in latest)
            Console.WriteLine($"  v{layer.Version} by {layer.Producer}: {layer.Payload}");

        Console.WriteLine();
        Console.WriteLine($"Isolation: tenant {sample.B.Tenant.Slug} against tenant {sample.A.Tenant.Slug}'s rows");
        CliOutput.Progress("Running the isolation checks…");
        var checks = new IsolationChecks();
        var victim = sample.A.Segments[0];
        await checks.ExpectAsync("query: B's scope sees none of A's segments",
            async () => await b.Segments.CountAsync(s => s.TranscriptId == sample.A.Transcript.Id) == 0);
        await checks.ExpectAsync("find by key: B cannot find A's segment by its id",
            async () => await b.FindSegmentAsync(victim.Id) is null);
        await checks.ExpectAsync("generated query: B's window over A's transcript is empty",
            async () => (await b.SegmentsInWindowAsync(sample.A.Transcript.Id, 0, int.MaxValue)).Count == 0);
        await checks.ExpectAsync("generated query: B gets no latest layer for A's segment ids",
            async () => (await b.LatestLayersAsync(ids, "summary")).Count == 0);
        await checks.ExpectAsync("rebuild feed: B's feed holds none of A's segments",
            async () => await b.SegmentFeedAsync().AllAsync(item => item.Segment.TenantId == sample.B.Tenant.Id));
        await checks.ExpectAsync("association: B's scope loads no A transcript through a segment",
            async () => (await b.Segments.Where(s => s.Id == victim.Id).Select(s => s.Transcript).ToListAsync()).Count == 0);
        await checks.ExpectAsync("set-based update: B's UPDATE … WHERE id = A's id changes 0 rows",
            async () => await b.Segments.Where(s => s.Id == victim.Id).Set(s => s.Text, "hijacked").UpdateAsync() == 0);
        await checks.ExpectAsync("set-based delete: B's DELETE … WHERE id = A's id deletes 0 rows",
            async () => await b.Segments.Where(s => s.Id == victim.Id).DeleteAsync() == 0);
        await checks.ExpectRefusedAsync("update: B's scope refuses A's row", () => b.UpdateAsync(victim));
        await checks.ExpectRefusedAsync("delete: B's scope refuses A's row", () => b.DeleteAsync(victim));
        await checks.ExpectRefusedAsync("insert: B's scope refuses a row forged with A's tenant_id", () => b.InsertAsync(new Segment
        {
            TenantId = sample.A.Tenant.Id, TranscriptId = sample.A.Transcript.Id, Ordinal = 99, StartMs = 0, EndMs = 1, Text = "forged",
        }));
        await checks.ExpectDatabaseRefusalAsync("raw SQL: a B segment pointing at A's transcript violates the composite foreign key",
            PostgresErrorCodes.ForeignKeyViolation, e => e.ConstraintName ?? "",
            () => InsertSegmentAcrossTenantsAsync(dataSource, tenantKey, sample.B.Tenant.Id, sample.A.Transcript.Id, nameTenant: true));
        if (asApplicationRole)
            await checks.ExpectDatabaseRefusalAsync("raw SQL: a segment written without naming its tenant is refused by row-level security",
                PostgresErrorCodes.InsufficientPrivilege, e => $"{e.MessageText}, SQLSTATE {e.SqlState}",
                () => InsertSegmentAcrossTenantsAsync(dataSource, tenantKey, sample.B.Tenant.Id, sample.B.Transcript.Id, nameTenant: false));
        if (asApplicationRole)
            await checks.ExpectAsync("raw SQL: B's transaction selecting A's segments by tenant_id sees 0 rows (row-level security)",
                async () => await CountTenantRowsAsync(dataSource, tenantKey, sample.B.Tenant.Id, sample.A.Tenant.Id) == 0);
        if (asApplicationRole)
        {
            // A proof of A signed with a secret of B's own under the installed key's id: what injected SQL could make.
            var forgedKey = new TenantKey(tenantKey.Id, RandomNumberGenerator.GetBytes(32));
            await checks.ExpectAsync("raw SQL: B's transaction naming tenant A with a forged proof sees 0 of A's segments (the signed tenant)",
                async () => await CountTenantRowsAsync(dataSource, forgedKey, sample.A.Tenant.Id, sample.A.Tenant.Id) == 0);
        }
        await checks.ExpectAsync("A's segment is untouched",
            async () => (await a.FindSegmentAsync(victim.Id))?.Text == victim.Text);

        Console.WriteLine();
        if (asApplicationRole)
        {
            Console.WriteLine($"Global rows: raw SQL of B's request as {DatabaseRoles.App}, which only reads global tables (the control plane writes them)");
            await checks.ExpectDatabaseRefusalAsync("control plane: B's request cannot suspend tenant A", PostgresErrorCodes.InsufficientPrivilege, e => $"{e.MessageText}, SQLSTATE {e.SqlState}",
                () => RawInTenantAsync(dataSource, "UPDATE tenants SET suspended_at = now() WHERE id = $2", sample.B.Tenant.Id, sample.A.Tenant.Id));
            await checks.ExpectDatabaseRefusalAsync("control plane: B's request cannot delete A's user (whose membership would cascade)", PostgresErrorCodes.InsufficientPrivilege,
                e => $"{e.MessageText}, SQLSTATE {e.SqlState}",
                () => RawInTenantAsync(dataSource, "DELETE FROM users WHERE email = 'ada@acme.example' AND $2::uuid IS NOT NULL", sample.B.Tenant.Id, sample.A.Tenant.Id));
        }
        else
            Console.WriteLine($"Global rows: not checked, since the tour does not run as {DatabaseRoles.App} (the user it runs as may write global tables)");

        Console.WriteLine();
        if (asApplicationRole)
        {
            Console.WriteLine($"Escape hatch: readerDb.AcrossTenants(\"demo: segments per tenant\"), on the readers' lane as {DatabaseRoles.Reader}");
            var hatch = await readerDb.AcrossTenantsAsync("demo: segments per tenant");
            var perTenant = await hatch.Segments.GroupBy(s => s.TenantId).Select(g => new { Tenant = g.Key, Segments = g.Count() }).ToListAsync();
            foreach (var row in perTenant.OrderBy(r => r.Tenant))
                Console.WriteLine($"  {(row.Tenant == sample.A.Tenant.Id ? sample.A.Tenant.Slug : sample.B.Tenant.Slug),-12} {row.Segments} segments");
            await checks.ExpectAsync($"escape hatch: reads both tenants and left audit row {hatch.AuditId} in {TenantIsolation.AuditTable}",
                async () => perTenant.Count == 2 && await CountAuditRowsAsync(ownerConnectionString, hatch.AuditId) == 1);
        }
        else
            Console.WriteLine($"Escape hatch: not checked, since the tour does not run as {DatabaseRoles.Reader} (the readers' policy opens reads to that role only)");

        Console.WriteLine();
        if (asApplicationRole)
        {
            Console.WriteLine($"Append-only: raw SQL as {DatabaseRoles.App}, which holds only SELECT and INSERT on these tables");
            var layerOfA = latest[0];
            foreach (var (what, sql) in AppendOnlyRewrites)
                await checks.ExpectDatabaseRefusalAsync(what, PostgresErrorCodes.InsufficientPrivilege, e => $"{e.MessageText}, SQLSTATE {e.SqlState}",
                    () => RewriteHistoryAsync(dataSource, sql, layerOfA.TenantId, layerOfA.Id));
        }
        else
            Console.WriteLine($"Append-only: not checked, since the tour does not run as {DatabaseRoles.App} (the user it runs as may rewrite any table)");

        Console.WriteLine();
        Console.WriteLine(checks.Failed == 0
            ? $"All {checks.Passed} checks held."
            : $"{checks.Failed} of {checks.Passed + checks.Failed} checks FAILED.");
        return checks;
    }

    /// <summary>
    /// Tries what the tenant scope would never write: a segment of one tenant pointing at another tenant's
    /// transcript, in raw SQL. When it names the segment's tenant for its transaction, as the row-level security
    /// policies ask (<paramref name="nameTenant"/>), only the composite foreign key stands in the way; when it
    /// does not, the policies refuse the row first. Naming it takes a proof signed with <paramref name="tenantKey"/>.
    /// </summary>
    [AcrossTenants("the demo shows the database refusing a cross-tenant reference that bypasses the tenant scope")]
    private static async Task InsertSegmentAcrossTenantsAsync(NpgsqlDataSource dataSource, TenantKey tenantKey, Guid segmentTenant, Guid transcript, bool nameTenant)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        if (nameTenant)
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT set_config('{TenantContext.TenantProofSetting}', $1, true)")
            {
                Parameters = { new NpgsqlParameter { Value = tenantKey.Sign(segmentTenant, DateTimeOffset.UtcNow.AddMinutes(5)) } },
            });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "INSERT INTO segments (tenant_id, id, transcript_id, ordinal, start_ms, end_ms, text) VALUES ($1, $2, $3, 0, 0, 1000, 'cross-tenant')")
        {
            Parameters = { new NpgsqlParameter { Value = segmentTenant }, new NpgsqlParameter { Value = Guid.CreateVersion7() }, new NpgsqlParameter { Value = transcript } },
        });
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>Counts, in raw SQL, the segments of <paramref name="otherTenant"/> that a transaction of <paramref name="tenant"/> can see.</summary>
    [AcrossTenants("the demo shows row-level security hiding another tenant's rows from raw SQL")]
    private static async Task<long> CountTenantRowsAsync(NpgsqlDataSource dataSource, TenantKey tenantKey, Guid tenant, Guid otherTenant)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new($"SELECT set_config('{TenantContext.TenantProofSetting}', $1, true)") { Parameters = { new NpgsqlParameter { Value = tenantKey.Sign(tenant, DateTimeOffset.UtcNow.AddMinutes(5)) } } },
                new("SELECT count(*) FROM segments WHERE tenant_id = $1") { Parameters = { new NpgsqlParameter { Value = otherTenant } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }

    /// <summary>No lane may read the audit trail: the user that ran the migrations (its owner) reads it.</summary>
    private static async Task<long> CountAuditRowsAsync(string ownerConnectionString, Guid auditId)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {TenantIsolation.AuditTable} WHERE id = $1", connection) { Parameters = { new NpgsqlParameter { Value = auditId } } };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Rewrites of history the application role must be refused: $1 is a tenant, $2 a layer of it.</summary>
    private static readonly (string What, string Sql)[] AppendOnlyRewrites =
    {
        ("UPDATE of a layer", "UPDATE layers SET payload = '{}' WHERE tenant_id = $1 AND id = $2"),
        ("DELETE of a layer", "DELETE FROM layers WHERE tenant_id = $1 AND id = $2"),
        ("UPDATE of audit log rows", "UPDATE audit_logs SET action = 'rewritten' WHERE tenant_id = $1 AND $2::uuid IS NOT NULL"),
        ("DELETE of event log rows", "DELETE FROM event_logs WHERE tenant_id = $1 AND $2::uuid IS NOT NULL"),
    };

    [AcrossTenants("the demo shows the database refusing raw SQL that rewrites append-only history")]
    private static async Task RewriteHistoryAsync(NpgsqlDataSource dataSource, string sql, Guid tenant, Guid layer)
    {
        await using var command = new NpgsqlCommand(sql);
        await ExecuteRawAsync(dataSource, command, tenant, layer);
    }

    /// <summary>Runs raw SQL with positional parameters, as code going around the generated API would send it.</summary>
    private static async Task ExecuteRawAsync(NpgsqlDataSource dataSource, NpgsqlCommand command, params object[] values)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        command.Connection = connection;
        foreach (var value in values)
            command.Parameters.AddWithValue(value);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Raw SQL in a transaction that names <paramref name="tenant"/>, as a request of it going around the API would; $2 is <paramref name="value"/>.</summary>
    [AcrossTenants("the demo shows the database refusing a request's write to global rows")]
    private static async Task RawInTenantAsync(NpgsqlDataSource dataSource, string sql, Guid tenant, Guid value)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new($"SELECT set_config('{TenantContext.TenantSetting}', $1::text, true)") { Parameters = { new NpgsqlParameter { Value = tenant } } },
                new(sql.Replace("$2", "$1")) { Parameters = { new NpgsqlParameter { Value = value } } },
            },
        };
        await batch.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync();
    }

    /// <summary>Prints each check as it runs and counts the outcomes.</summary>
    private sealed class IsolationChecks
    {
        public int Passed { get; private set; }
        public int Failed { get; private set; }
        public List<(string What, bool Held, string Outcome)> Outcomes { get; } = new();

        public async Task ExpectAsync(string what, Func<Task<bool>> check) => Record(what, await check(), "held");

        public async Task ExpectRefusedAsync(string what, Func<Task> action)
        {
            try
            {
                await action();
                Record(what, false, "was NOT refused");
            }
            catch (TenantMismatchException)
            {
                Record(what, true, "refused (TenantMismatchException)");
            }
        }

        /// <summary>Expects PostgreSQL itself to refuse the action with <paramref name="sqlState"/>; <paramref name="why"/> says how it did.</summary>
        public async Task ExpectDatabaseRefusalAsync(string what, string sqlState, Func<PostgresException, string> why, Func<Task> action)
        {
            try
            {
                await action();
                Record(what, false, "was NOT refused");
            }
            catch (PostgresException e) when (e.SqlState == sqlState)
            {
                Record(what, true, $"refused by PostgreSQL ({why(e)})");
            }
        }

        private void Record(string what, bool ok, string outcome)
        {
            if (ok) Passed++; else Failed++;
            Outcomes.Add((what, ok, ok ? outcome : "FAILED"));
            Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {what}: {(ok ? outcome : "FAILED")}");
        }
    }
}
