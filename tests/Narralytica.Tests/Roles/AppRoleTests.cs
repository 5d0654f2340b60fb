using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Roles;

/// <summary>
/// On a database built by the migrations, what each lane may do, as PostgreSQL enforces it: narralytica_app every
/// privilege on ordinary tenant tables, only SELECT and INSERT on append-only ones, only SELECT on global tables;
/// the control plane writes global tables only; no lane holds anything on the audit table of cross-tenant reads or on
/// the history table. Which rows they reach is row-level security's (RowSecurity/PolicyTests, the attacks).
/// The roles exist already (the fixture's schema created them); the tests act as a role by SET ROLE.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AppRoleTests : IAsyncLifetime
{
    private static readonly string[] AppendOnlyTables = { "layers", "audit_logs", "event_logs" };
    private static readonly string[] AllTablePrivileges = { "SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER" };

    private readonly PostgresFixture _postgres;
    private string _connectionString = "";

    public AppRoleTests(PostgresFixture postgres) => _postgres = postgres;

    public async Task InitializeAsync()
    {
        _connectionString = await _postgres.CreateEmptyDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await new SchemaMigrator(dataSource).ApplyAsync();
        await TestTenantKey.InstallAsync(_connectionString);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A connection that acts as the application role from its first statement.</summary>
    private Task<NpgsqlConnection> OpenAsAppAsync() => OpenAsAsync(DatabaseRoles.App);

    private async Task<NpgsqlConnection> OpenAsAsync(string role)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Options = "-c role=" + role }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task Each_table_grants_each_lane_exactly_what_schema_yaml_says()
    {
        var model = SchemaWorkspace.Compile(RepositoryFiles.SchemaText);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        foreach (var role in DatabaseRoles.Lanes)
        {
            var held = new Dictionary<string, List<string>>();
            await using (var command = new NpgsqlCommand("""
                SELECT c.relname::text, p
                FROM pg_class c CROSS JOIN unnest(@privileges) p
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND has_table_privilege(@role, c.oid, p)
                ORDER BY c.relname, array_position(@privileges, p)
                """, connection))
            {
                command.Parameters.AddWithValue("privileges", AllTablePrivileges);
                command.Parameters.AddWithValue("role", role);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    (held.TryGetValue(reader.GetString(0), out var list) ? list : held[reader.GetString(0)] = new List<string>()).Add(reader.GetString(1));
            }

            // schema.yaml's tables only: neither the audit table of cross-tenant reads nor the history table.
            Assert.False(held.ContainsKey(TenantIsolation.AuditTable), role);
            Assert.False(held.ContainsKey("narralytica_schema_history"), role);
            foreach (var table in model.Tables)
            {
                var expected = TablePrivilegeNames.Keywords(DatabaseRoles.PrivilegesOf(table, role));
                Assert.True(expected.SequenceEqual(held.TryGetValue(table.Name, out var privileges) ? privileges : new List<string>()), $"{role} on {table.Name}");
            }
            await using var usage = new NpgsqlCommand($"SELECT has_schema_privilege('{role}', 'public', 'USAGE')", connection);
            Assert.True((bool)(await usage.ExecuteScalarAsync())!, role);
        }
        var app = model.Tables.ToDictionary(t => t.Name, t => TablePrivilegeNames.Keywords(t.AppPrivileges));
        Assert.Equal(new[] { "SELECT", "INSERT", "UPDATE", "DELETE" }, app["segments"]);
        Assert.Equal(new[] { "SELECT", "INSERT" }, app["layers"]);
        Assert.Equal(new[] { "SELECT" }, app["tenants"]);
        Assert.Equal(new[] { "SELECT", "INSERT", "UPDATE", "DELETE" }, TablePrivilegeNames.Keywords(model.FindTable("tenants")!.ControlPrivileges));
        Assert.Empty(TablePrivilegeNames.Keywords(model.FindTable("segments")!.ControlPrivileges));
    }

    [Fact]
    public async Task No_role_of_the_data_layer_is_a_member_of_another()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = ANY($1) AND m.rolname = ANY($1)", connection);
        command.Parameters.AddWithValue(DatabaseRoles.Lanes.Prepend(DatabaseRoles.Owner).ToArray());
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_control_plane_writes_global_tables_and_the_app_role_only_reads_them()
    {
        var id = Guid.CreateVersion7();
        await using (var control = await OpenAsAsync(DatabaseRoles.Control))
        {
            Assert.Equal(1, await ExecuteAsync(control, "INSERT INTO tenants (id, slug, name) VALUES ($1, 'roles-test', 'Roles')", id));
            Assert.Equal(1, await ExecuteAsync(control, "UPDATE tenants SET name = 'Renamed' WHERE id = $1", id));
            await PermissionDeniedAsync(control, "SELECT count(*) FROM segments"); // nothing on tenant tables
        }
        await using (var connection = await OpenAsAppAsync())
        {
            Assert.Equal("Renamed", await new NpgsqlCommand($"SELECT name FROM tenants WHERE id = '{id}'", connection).ExecuteScalarAsync());
            await PermissionDeniedAsync(connection, "UPDATE tenants SET name = 'Taken' WHERE id = $1", id);
            await PermissionDeniedAsync(connection, "DELETE FROM tenants WHERE id = $1", id);
            await PermissionDeniedAsync(connection, "INSERT INTO tenants (id, slug, name) VALUES ($1, 'squat', 'Squat')", Guid.CreateVersion7());
        }
        await using (var control = await OpenAsAsync(DatabaseRoles.Control))
            Assert.Equal(1, await ExecuteAsync(control, "DELETE FROM tenants WHERE id = $1", id));
    }

    [Fact]
    public async Task The_app_role_only_appends_to_append_only_tables()
    {
        var tenant = Guid.CreateVersion7();
        await using (var control = await OpenAsAsync(DatabaseRoles.Control))
            await ExecuteAsync(control, "INSERT INTO tenants (id, slug, name) VALUES ($1, 'append-only', 'Append only')", tenant);
        await using var connection = await OpenAsAppAsync();
        // Row-level security: the tenant's rows are reachable with the tenant set (for the session here; the data layer sets it per transaction).
        await ExecuteAsync(connection, $"SELECT set_config('{TenantProof.ProofSetting}', $1, false)", TestTenantKey.Proof(tenant));
        Assert.Equal(1, await ExecuteAsync(connection, "INSERT INTO event_logs (tenant_id, id, event_type) VALUES ($1, $2, 'created')", tenant, Guid.CreateVersion7()));
        Assert.Equal(1L, await new NpgsqlCommand($"SELECT count(*) FROM event_logs WHERE tenant_id = '{tenant}'", connection).ExecuteScalarAsync());

        foreach (var table in AppendOnlyTables)
        {
            await PermissionDeniedAsync(connection, $"UPDATE {table} SET tenant_id = tenant_id WHERE tenant_id = $1", tenant);
            await PermissionDeniedAsync(connection, $"DELETE FROM {table} WHERE tenant_id = $1", tenant);
            await PermissionDeniedAsync(connection, $"TRUNCATE {table}");
        }
        await PermissionDeniedAsync(connection, $"UPDATE {TenantIsolation.AuditTable} SET justification = 'rewritten'");
        await PermissionDeniedAsync(connection, $"DELETE FROM {TenantIsolation.AuditTable}");
    }

    [Fact]
    public async Task The_app_role_cannot_touch_the_migration_history()
    {
        await using var connection = await OpenAsAppAsync();
        await PermissionDeniedAsync(connection, "SELECT count(*) FROM narralytica_schema_history");
        await PermissionDeniedAsync(connection, "DELETE FROM narralytica_schema_history");
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.AddWithValue(parameter);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task PermissionDeniedAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql, parameters));
        Assert.True(error.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {error.SqlState} {error.MessageText}");
    }
}
