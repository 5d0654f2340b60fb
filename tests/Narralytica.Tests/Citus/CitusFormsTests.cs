using System;
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
/// The Citus forms on plain PostgreSQL, beyond the attacks: each form step knows when it is done (so <c>distribute</c>
/// run again changes nothing), and the <c>SET LOCAL</c> procedures hold the tenant for their transaction only, as
/// <c>set_config(…, true)</c> did.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CitusFormsTests
{
    private static readonly SchemaModel Model = SchemaWorkspace.Compile(RepositoryFiles.SchemaText);

    private readonly PostgresFixture _postgres;

    public CitusFormsTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task Each_form_step_is_not_done_on_a_migrated_database_and_done_once_installed()
    {
        var steps = CitusDistribution.FormSteps(Model);
        await using (var before = new NpgsqlConnection(CitusFormAttackTests.Unpooled(await AttackDatabase.CreateAsync(_postgres))))
        {
            await before.OpenAsync();
            foreach (var step in steps)
                Assert.False(await DoneAsync(before, step), $"\"{step.Description}\" says it is done before it ran");
        }
        await using var after = new NpgsqlConnection(CitusFormAttackTests.Unpooled(await CitusFormAttackTests.CreateAsync(_postgres)));
        await after.OpenAsync();
        foreach (var step in steps)
            Assert.True(await DoneAsync(after, step), $"\"{step.Description}\" does not see its own result");
    }

    [Fact]
    public async Task The_tenant_set_by_the_SET_LOCAL_procedure_ends_with_its_transaction()
    {
        await using var connection = new NpgsqlConnection(CitusFormAttackTests.Unpooled(await CitusFormAttackTests.CreateAsync(_postgres)));
        await connection.OpenAsync();
        var tenant = Guid.NewGuid();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var call = new NpgsqlCommand("CALL narralytica_set_tenant($1)", connection, transaction) { Parameters = { new() { Value = tenant } } })
                await call.ExecuteNonQueryAsync();
            Assert.Equal(tenant.ToString(), await SettingAsync(connection, "narralytica.tenant_id", transaction));
            Assert.Equal("local", await SettingAsync(connection, "citus.propagate_set_commands", transaction));
            await transaction.CommitAsync();
        }
        Assert.True(string.IsNullOrEmpty(await SettingAsync(connection, "narralytica.tenant_id")));
        Assert.True(string.IsNullOrEmpty(await SettingAsync(connection, "citus.propagate_set_commands")));
    }

    private static async Task<bool> DoneAsync(NpgsqlConnection connection, DistributionStep step)
    {
        await using var command = new NpgsqlCommand(step.DoneWhen!, connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string?> SettingAsync(NpgsqlConnection connection, string setting, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand("SELECT current_setting($1, true)", connection, transaction) { Parameters = { new() { Value = setting } } };
        return await command.ExecuteScalarAsync() as string;
    }
}
