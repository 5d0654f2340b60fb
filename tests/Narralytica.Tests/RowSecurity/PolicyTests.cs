using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Integration;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.RowSecurity;

/// <summary>
/// Row-level security as PostgreSQL enforces it, on a database built by the migrations: what narralytica_app
/// sees and may change with no tenant, with a tenant, and through the escape hatch. Two tenants' rows are seeded
/// in every tenant table by the superuser (who bypasses row-level security); the tests then act as the
/// application role with SET ROLE, so the login (session_user) stays the superuser's.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PolicyTests : IAsyncLifetime
{
    private static readonly string[] TenantTables = NarralyticaSchema.Tables.Where(t => t.TenantScoped).Select(t => t.Table).ToArray();

    private readonly PostgresFixture _postgres;
    private string _connectionString = "";
    private Guid _a;
    private Guid _b;

    public PolicyTests(PostgresFixture postgres) => _postgres = postgres;

    public async Task InitializeAsync()
    {
        _connectionString = await _postgres.CreateEmptyDatabaseAsync();
        await using (var migrations = NpgsqlDataSource.Create(_connectionString))
            await new SchemaMigrator(migrations).ApplyAsync();
        await TestTenantKey.InstallAsync(_connectionString);
        await using var dataSource = TestTenantKey.CreateDataSource(_connectionString);
        await using var db = new NarralyticaDb(dataSource);
        foreach (var slug in new[] { "tenant-a", "tenant-b" })
        {
            var tenant = new Tenant { Slug = slug, Name = slug };
            await db.Control().InsertAsync(tenant);
            await TenantGraph.CreateAsync(db, tenant);
            (_a, _b) = slug == "tenant-a" ? (tenant.Id, _b) : (_a, tenant.Id);
        }
        await ControlPlaneFor.ReleaseAsync(_connectionString);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private string AppConnectionString(int? maxPoolSize = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Options = "-c role=" + DatabaseRoles.App };
        if (maxPoolSize is { } size)
            builder.MaxPoolSize = size;
        return builder.ConnectionString;
    }

    /// <summary>A connection that acts as the application role from its first statement.</summary>
    private async Task<NpgsqlConnection> OpenAsAppAsync()
    {
        var connection = new NpgsqlConnection(AppConnectionString());
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A connection that acts as the readers' role from its first statement.</summary>
    private async Task<NpgsqlConnection> OpenAsReaderAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Options = "-c role=" + DatabaseRoles.Reader }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task<NpgsqlConnection> OpenAsSuperuserAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task Every_tenant_table_has_row_security_enabled_and_forced_with_both_policies_and_no_other_table_has()
    {
        await using var connection = await OpenAsSuperuserAsync();
        var rows = await RowsAsync(connection, """
            SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity,
                   coalesce(string_agg(p.policyname || ' ' || p.cmd || ' ' || array_to_string(p.roles, ','), '; ' ORDER BY p.policyname), '')
            FROM pg_class c LEFT JOIN pg_policies p ON p.schemaname = 'public' AND p.tablename = c.relname
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
            GROUP BY c.relname, c.relrowsecurity, c.relforcerowsecurity
            """);
        Assert.Equal(TenantTables.OrderBy(t => t), rows.Where(r => (bool)r[1]).Select(r => (string)r[0]).OrderBy(t => t));
        foreach (var row in rows)
        {
            var tenant = TenantTables.Contains((string)row[0]);
            Assert.True(tenant == (bool)row[2], $"{row[0]}: forced {row[2]}");
            var queue = (string)row[0] == "jobs" ? "queue_functions ALL narralytica_owner; " : "";
            Assert.Equal(tenant ? queue + "reader_cross_tenant_read SELECT narralytica_reader; tenant_isolation ALL public" : "", (string)row[3]);
        }
        Assert.Contains(rows, r => (string)r[0] == TenantIsolation.AuditTable);
    }

    [Fact]
    public async Task Without_a_tenant_the_app_role_sees_no_row_and_changes_none()
    {
        await using var superuser = await OpenAsSuperuserAsync();
        await using var app = await OpenAsAppAsync();
        foreach (var table in TenantTables)
        {
            Assert.True(await CountAsync(superuser, table) >= 2, $"{table}: the seed gives both tenants rows");
            Assert.Equal(0L, await CountAsync(app, table));
            Assert.Equal(0, await ChangedOrRefusedAsync(app, $"UPDATE {table} SET tenant_id = tenant_id") ?? 0);
            Assert.Equal(0, await ChangedOrRefusedAsync(app, $"DELETE FROM {table}") ?? 0);
            await RowSecurityRefusesAsync(app, InsertCopy(table), await RowOfAsync(superuser, table, _a));
        }
        foreach (var table in TenantTables)
            Assert.True(await CountAsync(superuser, table) >= 2, table);
    }

    [Fact]
    public async Task With_a_tenant_set_the_app_role_sees_and_changes_only_that_tenants_rows_and_cannot_write_another_tenants()
    {
        await using var superuser = await OpenAsSuperuserAsync();
        await using var app = await OpenAsAppAsync();
        await SetTenantAsync(app, _a);
        foreach (var table in TenantTables)
        {
            var own = await CountAsync(superuser, table, _a);
            Assert.True(own >= 1, table);
            Assert.Equal(own, await CountAsync(app, table));
            Assert.Equal(own, await CountAsync(app, table, _a));
            Assert.Equal(0L, await CountAsync(app, table, _b));
            var changed = await ChangedOrRefusedAsync(app, $"UPDATE {table} SET tenant_id = tenant_id");
            Assert.True(changed is null || changed == own, $"{table}: {changed} rows updated"); // null: append-only, refused by privileges

            // WITH CHECK: a row of tenant B is refused, inserted or moved there.
            await RowSecurityRefusesAsync(app, InsertCopy(table), await RowOfAsync(superuser, table, _b));
        }
        await RowSecurityRefusesAsync(app, "UPDATE videos SET tenant_id = $1", _b);
        Assert.Equal(1, await ExecuteAsync(app, "DELETE FROM pipeline_checkpoints"));
        Assert.Equal(1L, await CountAsync(superuser, "pipeline_checkpoints", _b));
    }

    [Fact]
    public async Task The_procedures_set_the_setting_for_their_batch_only_on_a_pooled_connection()
    {
        await using var dataSource = NpgsqlDataSource.Create(AppConnectionString(maxPoolSize: 1));
        var audit = Guid.CreateVersion7();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // One multi-statement command outside an explicit transaction: one implicit transaction.
            await using (var command = new NpgsqlCommand($"CALL {TenantProof.SetProofProcedure}(@proof); SELECT count(*) FROM segments", connection))
            {
                command.Parameters.AddWithValue("proof", TestTenantKey.Proof(_a));
                Assert.Equal(1L, await command.ExecuteScalarAsync());
            }
            Assert.Equal(0L, await CountAsync(connection, "segments"));
            Assert.Equal("", await SettingAsync(connection, TenantProof.ProofSetting));

            // A batch with the data layer's prefixes, positional parameters.
            await using (var batch = new NpgsqlBatch(connection))
            {
                batch.BatchCommands.Add(Command($"CALL {TenantProof.SetProofProcedure}($1)", TestTenantKey.Proof(_b)));
                batch.BatchCommands.Add(Command(TenantIsolation.SetAuditCall, audit));
                batch.BatchCommands.Add(Command($"SELECT count(*)::text || ' ' || current_setting('{TenantIsolation.AuditSetting}') FROM segments WHERE tenant_id = $1", _b));
                Assert.Equal($"1 {audit}", await batch.ExecuteScalarAsync());
            }
            Assert.Equal("", await SettingAsync(connection, TenantIsolation.AuditSetting));
            await using (var batch = new NpgsqlBatch(connection))
            {
                batch.BatchCommands.Add(Command($"CALL {TenantProof.SetProofProcedure}($1)", DBNull.Value));
                batch.BatchCommands.Add(Command("SELECT count(*) FROM segments"));
                Assert.Equal(0L, await batch.ExecuteScalarAsync());
            }
        }
        // The same physical connection, back from the pool: nothing of the last batch is left.
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(0L, await CountAsync(connection, "segments"));
            Assert.Equal("", await SettingAsync(connection, TenantProof.ProofSetting));
        }
    }

    [Fact]
    public async Task The_readers_read_every_tenant_under_an_audit_row_the_database_wrote_for_their_login_and_write_nothing()
    {
        await using var superuser = await OpenAsSuperuserAsync();
        await using var reader = await OpenAsReaderAsync();
        var audit = (Guid)(await ScalarAsync(reader, $"SELECT {CallerLanes.OpenReadFunction}('rebuild of the search index')"))!;
        // The login (session_user), not the role the connection acts as; now(); an expiry a few minutes later.
        Assert.Equal(await ScalarAsync(superuser, "SELECT session_user::text"), await ScalarAsync(superuser, $"SELECT database_user FROM {TenantIsolation.AuditTable} WHERE id = $1", audit));
        Assert.Equal(true, await ScalarAsync(superuser, $"SELECT expires_at = created_at + interval '{CallerLanes.AuditLifetime}' FROM {TenantIsolation.AuditTable} WHERE id = $1", audit));

        await SetAuditAsync(reader, audit);
        foreach (var table in TenantTables)
        {
            Assert.Equal(await CountAsync(superuser, table), await CountAsync(reader, table));
            Assert.Null(await ChangedOrRefusedAsync(reader, $"UPDATE {table} SET tenant_id = tenant_id"));
            Assert.Null(await ChangedOrRefusedAsync(reader, $"DELETE FROM {table}"));
        }

        // No lane touches the record itself; a blank justification is refused by the function itself (22023).
        await PermissionDeniedAsync(reader, $"SELECT count(*) FROM {TenantIsolation.AuditTable}");
        await PermissionDeniedAsync(reader, $"UPDATE {TenantIsolation.AuditTable} SET justification = 'nothing to see'");
        await PermissionDeniedAsync(reader, $"DELETE FROM {TenantIsolation.AuditTable}");
        var blank = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(reader, $"SELECT {CallerLanes.OpenReadFunction}('  ')"));
        Assert.Equal(CallerLanes.RefusedJustificationState, blank.SqlState);
    }

    [Fact]
    public async Task The_app_role_has_no_cross_tenant_read_and_the_readers_none_without_their_own_open_audit_row()
    {
        await using var superuser = await OpenAsSuperuserAsync();
        var login = (string)(await ScalarAsync(superuser, "SELECT session_user::text"))!;
        var own = Guid.CreateVersion7();
        var foreign = Guid.CreateVersion7();
        var expired = Guid.CreateVersion7();
        await ExecuteAsync(superuser, $"INSERT INTO {TenantIsolation.AuditTable} (id, justification, database_user, expires_at) VALUES " +
                                      "($1, 'this login', $4, now() + interval '1 hour'), ($2, 'another service', 'another_login', now() + interval '1 hour'), ($3, 'long ago', $4, now() - interval '1 second')",
            own, foreign, expired, login);

        // The application: not even an unexpired row of its own login opens anything.
        await using (var app = await OpenAsAppAsync())
        {
            await SetTenantAsync(app, _a);
            await SetAuditAsync(app, own);
            foreach (var table in TenantTables)
            {
                Assert.Equal(await CountAsync(superuser, table, _a), await CountAsync(app, table));
                Assert.Equal(0L, await CountAsync(app, table, _b));
            }
            await PermissionDeniedAsync(app, $"SELECT {CallerLanes.OpenReadFunction}('a request reads across tenants')");
        }

        // The readers: a made-up id, another login's row or an expired one opens nothing.
        await using var reader = await OpenAsReaderAsync();
        foreach (var audit in new[] { Guid.CreateVersion7(), foreign, expired })
        {
            await SetAuditAsync(reader, audit);
            Assert.Equal(0L, await CountAsync(reader, "segments"));
        }
        await SetAuditAsync(reader, own);
        Assert.Equal(await CountAsync(superuser, "segments"), await CountAsync(reader, "segments"));
    }

    [Fact]
    public async Task The_readers_audit_check_runs_once_per_statement_and_looks_its_row_up_by_primary_key()
    {
        await using (var superuser = await OpenAsSuperuserAsync())
        {
            await ExecuteAsync(superuser, $"INSERT INTO {TenantIsolation.AuditTable} (id, justification, expires_at) SELECT gen_random_uuid(), 'backfill ' || n, now() FROM generate_series(1, 5000) n; ANALYZE {TenantIsolation.AuditTable}");
            var lookup = (string)(await ScalarAsync(superuser, $"EXPLAIN (FORMAT JSON) SELECT EXISTS (SELECT FROM {TenantIsolation.AuditTable} a WHERE a.id = $1 AND a.database_user = session_user AND a.expires_at > now())", Guid.CreateVersion7()))!;
            var lookupNodes = new List<JsonElement>();
            Collect(JsonDocument.Parse(lookup).RootElement[0].GetProperty("Plan"), lookupNodes);
            var scan = Assert.Single(lookupNodes, n => n.TryGetProperty("Relation Name", out var relation) && relation.GetString() == TenantIsolation.AuditTable);
            Assert.Equal($"pk_{TenantIsolation.AuditTable}", scan.GetProperty("Index Name").GetString());
        }
        await using var reader = await OpenAsReaderAsync();
        var plan = (string)(await ScalarAsync(reader, "EXPLAIN (FORMAT JSON, VERBOSE) SELECT * FROM segments WHERE tenant_id = $1", _a))!;
        var nodes = new List<JsonElement>();
        Collect(JsonDocument.Parse(plan).RootElement[0].GetProperty("Plan"), nodes);
        Assert.Contains(nodes, n => n.TryGetProperty("Parent Relationship", out var relationship) && relationship.GetString() == "InitPlan"
                                    && n.ToString().Contains(CallerLanes.ReadAllowedFunction, StringComparison.Ordinal));
    }

    private static void Collect(JsonElement node, List<JsonElement> nodes)
    {
        nodes.Add(node);
        if (node.TryGetProperty("Plans", out var children))
            foreach (var child in children.EnumerateArray())
                Collect(child, nodes);
    }

    /// <summary>Inserts the row given as JSON ($1) as it is: a copy of a seeded row, whatever the table's columns.</summary>
    private static string InsertCopy(string table) => $"INSERT INTO {table} SELECT * FROM jsonb_populate_record(NULL::{table}, $1::jsonb)";

    private static async Task<string> RowOfAsync(NpgsqlConnection superuser, string table, Guid tenant)
        => (string)(await ScalarAsync(superuser, $"SELECT to_jsonb(t)::text FROM {table} t WHERE tenant_id = $1 LIMIT 1", tenant))!;

    // Session-level settings keep the tests short; the data layer sets them per transaction (see the procedure test).
    private static Task SetTenantAsync(NpgsqlConnection connection, Guid? tenant)
        => ExecuteAsync(connection, $"SELECT set_config('{TenantProof.ProofSetting}', $1, false)", tenant is { } id ? TestTenantKey.Proof(id) : "");

    private static Task SetAuditAsync(NpgsqlConnection connection, Guid audit)
        => ExecuteAsync(connection, $"SELECT set_config('{TenantIsolation.AuditSetting}', $1, false)", audit.ToString());

    private static async Task<string?> SettingAsync(NpgsqlConnection connection, string setting)
        => (string?)await ScalarAsync(connection, $"SELECT current_setting('{setting}', true)");

    private static async Task<long> CountAsync(NpgsqlConnection connection, string table, Guid? tenant = null)
        => (long)(tenant is { } id
            ? await ScalarAsync(connection, $"SELECT count(*) FROM {table} WHERE tenant_id = $1", id)
            : await ScalarAsync(connection, $"SELECT count(*) FROM {table}"))!;

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
            command.Parameters.Add(parameter is DBNull ? new NpgsqlParameter { Value = parameter, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } : new NpgsqlParameter { Value = parameter });
        return command;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.AddWithValue(parameter);
        return command;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync();
    }

    private static async Task<List<object[]>> RowsAsync(NpgsqlConnection connection, string sql)
    {
        var rows = new List<object[]>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The rows a statement changed, or null when PostgreSQL refused it for lack of privilege (append-only tables).</summary>
    private static async Task<int?> ChangedOrRefusedAsync(NpgsqlConnection connection, string sql)
    {
        try
        {
            return await ExecuteAsync(connection, sql);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && e.MessageText.StartsWith("permission denied", StringComparison.Ordinal))
        {
            return null;
        }
    }

    private static async Task PermissionDeniedAsync(NpgsqlConnection connection, string sql)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));
        Assert.True(error.SqlState == PostgresErrorCodes.InsufficientPrivilege && error.MessageText.StartsWith("permission denied", StringComparison.Ordinal), $"{sql}: {error.SqlState} {error.MessageText}");
    }

    /// <summary>Refused by a policy's WITH CHECK (42501, "new row violates row-level security policy …"), not by a constraint or a grant.</summary>
    private static async Task RowSecurityRefusesAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql, parameters));
        Assert.True(error.SqlState == PostgresErrorCodes.InsufficientPrivilege && error.MessageText.StartsWith("new row violates row-level security policy", StringComparison.Ordinal),
            $"{sql}: {error.SqlState} {error.MessageText}");
    }
}
