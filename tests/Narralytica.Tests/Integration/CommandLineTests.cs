using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Integration;

/// <summary>The `narralytica` command: its output and exit codes, the demo on an existing server included.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CommandLineTests
{
    private readonly PostgresFixture _postgres;

    public CommandLineTests(PostgresFixture postgres) => _postgres = postgres;

    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CommandLine.RunAsync(args);

    [Fact]
    public async Task Schema_sql_prints_the_ddl()
    {
        var (exit, output, _) = await RunAsync("schema", "sql", "--schema", RepositoryFiles.SchemaPath);
        Assert.Equal(0, exit);
        Assert.Contains("CREATE TABLE segments (", output);
        Assert.Contains("CONSTRAINT pk_segments PRIMARY KEY (tenant_id, id)", output);
    }

    [Fact]
    public async Task Schema_queries_lists_each_declared_helper_with_its_index_and_the_SQL_the_model_sends()
    {
        var (exit, output, _) = await RunAsync("schema", "queries", "--schema", RepositoryFiles.SchemaPath);
        Assert.Equal(0, exit);
        var declared = Narralytica.Model.NarralyticaQueries.All.Where(q => !q.Helper.Contains(".Find")).ToList();
        Assert.Equal(6, declared.Count);
        foreach (var query in declared)
        {
            Assert.Contains($"→ {query.Helper}, answered by {query.Index}", output);
            Assert.Contains("  " + query.Sql + "\n", output.Replace("\r\n", "\n"));
        }
        Assert.Contains("6 helper(s)", output);
    }

    [Fact]
    public async Task Schema_check_reports_problems_with_file_line_and_column_and_exits_1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, "tables:\n  tenants:\n    scope: global\n    columns:\n      name: txet\n");
        try
        {
            var (exit, _, errors) = await RunAsync("schema", "check", "--schema", path);
            Assert.Equal(1, exit);
            Assert.Matches(@"\(5,13\): error NARR1003: column 'tenants.name': unknown type 'txet'", errors);
        }
        finally
        {
            File.Delete(path);
        }
        var (okExit, okOutput, _) = await RunAsync("schema", "check", "--schema", RepositoryFiles.SchemaPath, "--connection", await _postgres.CreateEmptyDatabaseAsync());
        Assert.Equal(0, okExit);
        Assert.Contains("16 tables (11 tenant-scoped", okOutput);
        Assert.Contains("PostgreSQL accepts its SQL", okOutput);
    }

    [Theory]
    [InlineData("schema sql --schema /nonexistent/schema.yaml", "no such file")]
    [InlineData("schema sql --frobnicate", "Unknown argument(s): --frobnicate")]
    [InlineData("migrate-everything", "Unknown command")]
    [InlineData("demo --connection Host=127.0.0.1;Port=1;Username=nobody;Timeout=2", "Nothing accepts connections on 127.0.0.1:1")]
    [InlineData("demo --connection Hots=nowhere", "not a valid connection string")]
    public async Task Bad_input_gets_a_clear_error_and_exit_code_1(string commandLine, string message)
    {
        var (exit, _, errors) = await RunAsync(commandLine.Split(' '));
        Assert.Equal(1, exit);
        Assert.Contains(message, errors);
    }

    [Fact]
    public async Task Demo_runs_on_an_existing_server_and_leaves_it_as_it_was()
    {
        var connectionString = await _postgres.CreateEmptyDatabaseAsync();
        var (exit, output, errors) = await RunAsync("demo", "--connection", connectionString);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("the tour runs as narralytica_app", output);
        Assert.Contains("DELETE of a layer: refused by PostgreSQL", output);
        Assert.Contains("generated query: B's window over A's transcript is empty: held", output);
        Assert.Contains("raw SQL: a segment written without naming its tenant is refused by row-level security: refused by PostgreSQL", output);
        Assert.Contains("control plane: B's request cannot suspend tenant A: refused by PostgreSQL", output);
        Assert.Contains("All 23 checks held.", output);
        Assert.DoesNotContain("FAIL", output);

        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var leftovers = (long)(await new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'narralytica_demo_%'", connection).ExecuteScalarAsync())!;
        Assert.Equal(0, leftovers);
    }

    [Fact]
    public async Task Demo_runs_on_a_database_where_migrations_apply_already_created_the_schema()
    {
        // `migrations apply` puts the schema in public; the demo then migrates a copy into a schema of its own,
        // so the database holds every enum type twice.
        var connectionString = await _postgres.CreateEmptyDatabaseAsync();
        var (applyExit, applyOutput, applyErrors) = await RunAsync("migrations", "apply", "--connection", connectionString);
        Assert.True(applyExit == 0, applyOutput + applyErrors);
        var (exit, output, errors) = await RunAsync("demo", "--connection", connectionString);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("All 23 checks held.", output);
        Assert.DoesNotContain("FAIL", output);
    }

    [Fact]
    public async Task Demo_with_json_prints_only_the_result_document_on_stdout()
    {
        var connectionString = await _postgres.CreateEmptyDatabaseAsync();
        var (exit, output, errors) = await RunAsync("demo", "--connection", connectionString, "--json");
        Assert.True(exit == 0, output + errors);
        Assert.Contains("Creating the schema: applying", errors);
        Assert.Contains("All 23 checks held.", errors);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(23, json.RootElement.GetProperty("passed").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("failed").GetInt32());
        Assert.Equal(23, json.RootElement.GetProperty("checks").GetArrayLength());
        Assert.True(json.RootElement.GetProperty("asApplicationRole").GetBoolean());
    }

    [Fact]
    public async Task Demo_as_a_user_that_may_not_become_the_app_role_says_so_and_runs_as_that_user()
    {
        var connectionString = await _postgres.CreateEmptyDatabaseAsync();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database;
        // Roles are cluster-wide: created once, whichever test class or run comes first.
        await PostgresFixture.ExecuteAsync(connectionString,
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'narralytica_demo_user') THEN CREATE ROLE narralytica_demo_user LOGIN; END IF; END $$; " +
            $"GRANT CREATE ON DATABASE {database} TO narralytica_demo_user");
        var asUser = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Username = "narralytica_demo_user" }.ConnectionString;

        var (exit, output, errors) = await RunAsync("demo", "--connection", asUser);
        Assert.True(exit == 0, output + errors);
        Assert.Contains("the tour runs as narralytica_demo_user, which may not SET ROLE to each of narralytica_app", output);
        Assert.Contains("Global rows: not checked", output);
        Assert.Contains("Escape hatch: not checked", output);
        Assert.Contains("Append-only: not checked", output);
        Assert.Contains("All 13 checks held.", output);
    }
}
