using System.Linq;
using Xunit;

namespace Narralytica.Tests.Analyzers;

/// <summary>NARR4002: raw SQL naming a tenant-scoped table, handed to an API that runs it.</summary>
public sealed class RawSqlAnalyzerTests
{
    [Fact]
    public void Npgsql_commands_naming_a_tenant_table_are_reported_at_the_sql()
    {
        var diagnostics = AnalyzerHarness.Analyze("""
            using Npgsql;

            public static class Store
            {
                public static void Run(NpgsqlConnection connection)
                {
                    using var read = new NpgsqlCommand("SELECT * FROM segments WHERE id = $1", connection);
                    read.CommandText = "DELETE FROM public.segments WHERE id = $1";
                    using var update = new NpgsqlCommand { CommandText = "UPDATE \"videos\" SET title = $2 WHERE id = $1" };
                    var batch = new NpgsqlBatchCommand("insert into Transcripts (id) values ($1)");
                    using var copy = connection.BeginBinaryImport("COPY layers (tenant_id, id) FROM STDIN (FORMAT BINARY)");
                }
            }
            """);

        Assert.Equal(new[]
        {
            "NARR4002 (7,44): \"SELECT * FROM segments WHERE id = $1\"",
            "NARR4002 (8,28): \"DELETE FROM public.segments WHERE id = $1\"",
            "NARR4002 (9,62): \"UPDATE \\\"videos\\\" SET title = $2 WHERE id = $1\"",
            "NARR4002 (10,44): \"insert into Transcripts (id) values ($1)\"",
            "NARR4002 (11,55): \"COPY layers (tenant_id, id) FROM STDIN (FORMAT BINARY)\"",
        }, diagnostics.Select(AnalyzerHarness.Describe));
        Assert.Equal(
            "SQL passed to new NpgsqlCommand names the tenant-scoped table 'segments', which no tenant scope guards; use db.ForTenant(tenantId).Segments (or a query declared in schema.yaml), or mark the member [AcrossTenants(\"why\")] when every tenant's rows are meant",
            diagnostics[0].GetMessage());
        Assert.Contains("NpgsqlCommand.CommandText", diagnostics[1].GetMessage());
        Assert.Contains("NpgsqlConnection.BeginBinaryImport", diagnostics[4].GetMessage());
    }

    [Fact]
    public void Linq2db_dapper_and_ef_core_raw_sql_is_reported()
    {
        var diagnostics = AnalyzerHarness.Analyze("""
            using System.Data;
            using System.Linq;
            using Dapper;
            using LinqToDB.Data;
            using Microsoft.EntityFrameworkCore;
            using Microsoft.EntityFrameworkCore.Infrastructure;
            using Narralytica.Model;

            public static class Store
            {
                public static void Run(NarralyticaDb db, IDbConnection connection, DatabaseFacade ef, IQueryable<Segment> set)
                {
                    db.Execute("DELETE FROM jobs");
                    db.Query<Segment>("SELECT * FROM segments");
                    db.SetCommand("UPDATE speakers SET label = 'x'");
                    connection.Query<int>("SELECT count(*) FROM layers");
                    connection.Execute("INSERT INTO event_logs (id) VALUES (@id)", new { id = 1 });
                    set.FromSqlRaw("SELECT * FROM segments");
                    ef.ExecuteSqlRaw("TRUNCATE audit_logs");
                    _ = ef.ExecuteSqlRawAsync("DELETE FROM memberships");
                    ef.SqlQueryRaw<int>("SELECT ordinal FROM segments");
                }
            }
            """, ThirdPartySqlApis.Source);

        Assert.Equal(new[]
        {
            "DataContextExtensions.Execute 'jobs'",
            "DataContextExtensions.Query 'segments'",
            "DataContextExtensions.SetCommand 'speakers'",
            "SqlMapper.Query 'layers'",
            "SqlMapper.Execute 'event_logs'",
            "RelationalQueryableExtensions.FromSqlRaw 'segments'",
            "RelationalDatabaseFacadeExtensions.ExecuteSqlRaw 'audit_logs'",
            "RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync 'memberships'",
            "RelationalDatabaseFacadeExtensions.SqlQueryRaw 'segments'",
        }, diagnostics.Select(d => ApiAndTable(d.GetMessage())));
        Assert.All(diagnostics, d => Assert.Equal("NARR4002", d.Id));
    }

    [Fact]
    public void Sql_is_read_from_interpolations_and_concatenations()
    {
        var diagnostics = AnalyzerHarness.Analyze("""
            using System;
            using Npgsql;

            public static class Store
            {
                private const string Table = "speakers";

                public static void Run(NpgsqlConnection connection, Guid tenantId, Guid id, string orderBy)
                {
                    new NpgsqlCommand($"SELECT * FROM segments WHERE tenant_id = '{tenantId}' ORDER BY {orderBy}", connection);
                    new NpgsqlCommand("SELECT * FROM " + "layers" + " WHERE id = '" + id + "'", connection);
                    new NpgsqlCommand("DELETE FROM " + Table, connection);
                    new NpgsqlCommand($"SELECT * FROM {Table}", connection);
                    new NpgsqlCommand("SELECT s.* FROM users u JOIN " + "jobs j ON j.id = u.id WHERE u.name = " + orderBy, connection);
                }
            }
            """);

        Assert.Equal(new[]
        {
            "NARR4002 (10,27): $\"SELECT * FROM segments WHERE tenant_id = '{tenantId}' ORDER BY {orderBy}\"",
            "NARR4002 (11,27): \"SELECT * FROM \" + \"layers\" + \" WHERE id = '\" + id + \"'\"",
            "NARR4002 (12,27): \"DELETE FROM \" + Table",
            "NARR4002 (13,27): $\"SELECT * FROM {Table}\"",
            "NARR4002 (14,27): \"SELECT s.* FROM users u JOIN \" + \"jobs j ON j.id = u.id WHERE u.name = \" + orderBy",
        }, diagnostics.Select(AnalyzerHarness.Describe));
    }

    [Fact]
    public void Sql_naming_only_global_tables_or_unknown_names_is_not_reported()
    {
        Assert.Empty(AnalyzerHarness.Analyze("""
            using System;
            using Npgsql;

            public static class Store
            {
                public static void Run(NpgsqlConnection connection, string table)
                {
                    new NpgsqlCommand("SELECT u.* FROM users u JOIN tenants t ON t.id = u.id", connection);
                    new NpgsqlCommand("INSERT INTO roles (id, name) VALUES ($1, $2)", connection);
                    new NpgsqlCommand("SELECT 'FROM segments' AS text -- FROM layers\n FROM users /* JOIN videos */", connection);
                    new NpgsqlCommand("SELECT $q$ FROM segments $q$, E'it\\' FROM layers' FROM users /* a /* JOIN videos */ JOIN jobs */", connection);
                    new NpgsqlCommand("SELECT segments FROM tenants", connection);
                    new NpgsqlCommand("SELECT * FROM \"Segments\"", connection);
                    new NpgsqlCommand($"SELECT * FROM {table}", connection);
                    new NpgsqlCommand("SELECT * FROM segments_archive", connection);
                    Console.WriteLine("SELECT * FROM segments");
                }
            }
            """));
    }

    // "SQL passed to X names the tenant-scoped table 'y', …" → "X 'y'"
    private static string ApiAndTable(string message)
    {
        var api = message.Substring("SQL passed to ".Length, message.IndexOf(" names", System.StringComparison.Ordinal) - "SQL passed to ".Length);
        var table = message.Split('\'')[1];
        return $"{api} '{table}'";
    }
}
