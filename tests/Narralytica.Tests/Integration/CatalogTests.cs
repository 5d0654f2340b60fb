using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.DevServer;
using Narralytica.Schema;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Integration;

/// <summary>
/// The DDL of `schema sql`, applied with psql to an empty database, and the tenancy invariants read
/// back from PostgreSQL's own catalog.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CatalogTests
{
    private readonly PostgresFixture _postgres;

    public CatalogTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task Schema_sql_applied_with_psql_creates_every_table_with_tenant_leading_keys()
    {
        var connectionString = await _postgres.CreateEmptyDatabaseAsync();
        var model = SchemaCompiler.Compile(RepositoryFiles.SchemaText).Model!;
        var script = Path.Combine(Path.GetTempPath(), $"narralytica-{System.Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, DdlEmitter.Script(model));
        try
        {
            RunPsql(connectionString, script);
        }
        finally
        {
            File.Delete(script);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = await ListAsync(connection, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
        // schema.yaml's tables, the audit table of cross-tenant reads, which the tenant context adds, and the key table of signed tenants.
        Assert.Equal(model.Tables.Select(t => t.Name).Append(TenantIsolation.AuditTable).Append(TenantProof.KeyTable).OrderBy(n => n, System.StringComparer.Ordinal), tables.OrderBy(n => n, System.StringComparer.Ordinal));

        var tenantTables = model.Tables.Where(t => t.IsTenantScoped).Select(t => t.Name).ToHashSet();
        // Every PK, unique constraint and foreign key between tenant tables, with its columns in key order.
        var constraints = await RowsAsync(connection, """
            SELECT c.conrelid::regclass::text, c.contype::text, c.conname, confrelid::regclass::text,
                   (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f')
            """);
        var checkedCount = 0;
        foreach (var (table, type, name, referenced, columns) in constraints)
        {
            if (!tenantTables.Contains(table))
                continue;
            if (type == "f" && !tenantTables.Contains(referenced))
                continue; // a reference to a global table (tenants, users, roles)
            Assert.True(columns.Split(',')[0] == "tenant_id", $"{table}.{name} ({type}) is on ({columns}); it must lead with tenant_id");
            checkedCount++;
        }
        Assert.True(checkedCount >= tenantTables.Count * 2, $"only {checkedCount} tenant constraints found");

        // Every btree index of a tenant table leads with tenant_id too.
        var indexes = await RowsAsync(connection, """
            SELECT t.relname, i.relname, am.amname, a.attname, ''
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_am am ON am.oid = i.relam JOIN pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
            WHERE n.nspname = 'public'
            """);
        foreach (var (table, index, method, firstColumn, _) in indexes.Where(i => tenantTables.Contains(i.Item1) && i.Item3 == "btree"))
            Assert.True(firstColumn == "tenant_id", $"index {index} on {table} starts with {firstColumn}");

        var tenantColumns = await ListAsync(connection, "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' AND is_nullable = 'NO' AND data_type = 'uuid'");
        Assert.Equal(tenantTables.OrderBy(n => n), tenantColumns.OrderBy(n => n));
    }

    [Fact]
    public void Ddl_is_identical_on_every_run_and_in_the_generated_model()
    {
        var first = DdlEmitter.Script(SchemaCompiler.Compile(RepositoryFiles.SchemaText).Model!);
        var second = DdlEmitter.Script(SchemaCompiler.Compile(RepositoryFiles.SchemaText).Model!);
        Assert.Equal(first, second);
        Assert.Equal(Narralytica.Model.NarralyticaSchema.CreateScript, first);
    }

    private static void RunPsql(string connectionString, string scriptPath)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var psql = Path.Combine(PostgresBinaries.Locate(), "psql");
        var start = new ProcessStartInfo(psql) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", builder.Host!, "-p", builder.Port.ToString(), "-U", builder.Username!, "-d", builder.Database!, "-f", scriptPath })
            start.ArgumentList.Add(argument);
        if (builder.Password is { } password)
            start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "psql failed: " + errors);
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection connection, string sql)
        => (await RowsAsync(connection, sql)).Select(r => r.Item1).ToList();

    private static async Task<List<(string, string, string, string, string)>> RowsAsync(NpgsqlConnection connection, string sql)
    {
        var rows = new List<(string, string, string, string, string)>();
        await using var reader = await new NpgsqlCommand(sql, connection).ExecuteReaderAsync();
        string Get(int i) => i < reader.FieldCount && !reader.IsDBNull(i) ? reader.GetValue(i).ToString()! : "";
        while (await reader.ReadAsync())
            rows.Add((Get(0), Get(1), Get(2), Get(3), Get(4)));
        return rows;
    }
}
