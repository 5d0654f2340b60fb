using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql.Citus;
using Narralytica.Tests.Attacks;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Citus;

/// <summary>
/// The Citus forms of the tenant isolation (<see cref="CitusForms"/>: policies without subqueries, procedures that
/// <c>SET LOCAL</c>) under attack, on plain PostgreSQL: a migrated database gets the forms as <c>narralytica distribute</c>
/// installs them (<see cref="CitusDistribution.FormSteps"/>), then each attack on the policies and the tenant context is
/// tried as on the plain target, by a login that is only a member of the role under attack. The data layer seeds the
/// tenants through the same procedures, unchanged.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CitusFormAttackTests
{
    private static readonly SchemaModel Model = SchemaWorkspace.Compile(RepositoryFiles.SchemaText);

    private readonly PostgresFixture _postgres;

    public CitusFormAttackTests(PostgresFixture postgres) => _postgres = postgres;

    public static IEnumerable<object[]> Attacks => AttackCatalogue.OnPolicyForms.Select(a => new object[] { a.Id });

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task The_attack_gets_nowhere_under_the_Citus_forms(string id)
    {
        var database = await CreateAsync(_postgres);
        await using var run = await AttackRun.StartAsync(database);
        var outcome = await AttackCatalogue.OnPolicyForms.Single(a => a.Id == id).Run(run);
        Assert.False(string.IsNullOrWhiteSpace(outcome));
    }

    /// <summary>
    /// <paramref name="connectionString"/> without pooling: each test has databases of its own, and a pool per database would
    /// keep idle connections open long after the test, taking the server's connection slots from the others.
    /// </summary>
    public static string Unpooled(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    /// <summary>A migrated database with the Citus forms installed (as the superuser that owns it); returns its connection string.</summary>
    public static async Task<string> CreateAsync(PostgresFixture postgres)
    {
        var database = await AttackDatabase.CreateAsync(postgres);
        await using var connection = new NpgsqlConnection(Unpooled(database));
        await connection.OpenAsync();
        foreach (var step in CitusDistribution.FormSteps(Model))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var statement in step.Statements)
            {
                await using var command = new NpgsqlCommand(statement, connection, transaction);
                await command.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        return database;
    }
}
