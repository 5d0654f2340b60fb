using System.IO;
using System.Threading.Tasks;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Citus;

/// <summary><c>narralytica distribute</c> where Citus is not: it prints its script without a server, and refuses a server without Citus, saying what to install.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DistributeCommandTests
{
    private readonly PostgresFixture _postgres;

    public DistributeCommandTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task Print_writes_the_approved_script_and_connects_to_nothing()
    {
        var (exit, output, errors) = await CommandLine.RunAsync("distribute", "--print", "--schema", RepositoryFiles.SchemaPath);
        Assert.True(exit == 0, errors);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryFiles.Root, "tests", "Narralytica.Tests", "Citus", "Golden", "distribute.sql")), output);
    }

    [Fact]
    public async Task A_server_without_Citus_is_refused_before_any_change_with_what_to_do()
    {
        var database = await _postgres.CreateSchemaDatabaseAsync();
        var (exit, _, errors) = await CommandLine.RunAsync("distribute", "--connection", database, "--schema", RepositoryFiles.SchemaPath);
        Assert.Equal(1, exit);
        Assert.Contains("Citus", errors);
        Assert.Contains("shared_preload_libraries", errors);
        Assert.Contains("docs/citus.md", errors);
        // Nothing was rewritten: the policies keep the plain target's form.
        await using var connection = new Npgsql.NpgsqlConnection(CitusFormAttackTests.Unpooled(database));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT qual FROM pg_policies WHERE tablename = 'segments' AND policyname = 'tenant_isolation'", connection);
        Assert.Contains("SELECT", (string)(await command.ExecuteScalarAsync())!);
    }
}
