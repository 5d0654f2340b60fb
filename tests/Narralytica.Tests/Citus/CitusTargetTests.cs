using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Narralytica.Database.Drift;
using Narralytica.Schema;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Sql.Citus;
using Narralytica.Tests.Attacks;
using Narralytica.Tests.Generator;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Citus;

/// <summary>
/// schema.yaml's <c>target: citus</c>: the setting itself, the migration that creates a new tenant table as Citus needs
/// it (its approved copy is Golden/new-tenant-table.sql), which plain PostgreSQL applies too, and drift comparing with the
/// Citus forms. Citus itself is never needed: its calls are guarded, and the forms are what plain PostgreSQL accepts.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CitusTargetTests
{
    private const string NewTable = "clip_notes";

    /// <summary>A tenant table that references a tenant table (videos) and a global one (users), added to the repository's schema.yaml.</summary>
    private const string NewTableYaml =
        "  " + NewTable + ":\n" +
        "    scope: tenant\n" +
        "    doc: A note on a video.\n" +
        "    columns:\n" +
        "      video_id:\n" +
        "        type: uuid?\n" +
        "        references: videos\n" +
        "        on_delete: cascade\n" +
        "      author_id:\n" +
        "        type: uuid?\n" +
        "        references: users\n" +
        "        on_delete: set_null\n" +
        "      body: text\n" +
        "    indexes:\n" +
        "      - [video_id]\n\n";

    private static readonly SchemaModel Repository = SchemaWorkspace.Compile(RepositoryFiles.SchemaText);

    private static readonly SchemaModel WithNewTable = SchemaWorkspace.Compile("target: citus\n" + RepositoryFiles.SchemaText.Replace("\ntables:\n", "\ntables:\n" + NewTableYaml));

    private static string GoldenPath => Path.Combine(RepositoryFiles.Root, "tests", "Narralytica.Tests", "Citus", "Golden", "new-tenant-table.sql");

    private readonly PostgresFixture _postgres;

    public CitusTargetTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public void The_target_is_postgres_unless_schema_yaml_says_citus()
    {
        Assert.Equal(DeploymentTarget.Postgres, Repository.Target);
        Assert.Equal(DeploymentTarget.Citus, SchemaWorkspace.Compile("target: citus\n" + RepositoryFiles.SchemaText).Target);
        Assert.Equal(DeploymentTarget.Postgres, SchemaWorkspace.Compile("target: postgres\n" + RepositoryFiles.SchemaText).Target);
    }

    [Fact]
    public void An_unknown_target_is_NARR1045_naming_the_closest()
    {
        var compilation = SchemaCompiler.Compile("target: cytus\n" + RepositoryFiles.SchemaText);
        Assert.Null(compilation.Model);
        var diagnostic = Assert.Single(compilation.Diagnostics);
        Assert.Equal("NARR1045", diagnostic.Id);
        Assert.Equal("schema.yaml(1,9): error NARR1045: 'target' is 'cytus'; did you mean 'citus'? write 'postgres' (one server, the default) or 'citus' (sharded by tenant_id)",
            diagnostic.Format("schema.yaml"));
    }

    [Fact]
    public void The_migration_of_a_new_tenant_table_matches_its_approved_copy()
    {
        var sql = string.Join("\n\n", Plan().Statements.Select(s => s.Sql)) + "\n";
        if (Environment.GetEnvironmentVariable(GoldenFileTests.AcceptVariable) == "1")
        {
            File.WriteAllText(GoldenPath, sql, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }
        var approved = File.Exists(GoldenPath) ? File.ReadAllText(GoldenPath) : "";
        Assert.True(approved == sql,
            $"The Citus target's migration of a new tenant table differs from {GoldenPath}:\n{GoldenFileTests.FirstDifference(approved, sql)}\n" +
            $"If the change is intended, approve it: {GoldenFileTests.AcceptVariable}=1 dotnet test tests/Narralytica.Tests --filter FullyQualifiedName~CitusTargetTests, " +
            "check it on a Citus coordinator (docs/citus.md), then commit it.");
    }

    [Fact]
    public void A_new_tenant_table_is_created_without_foreign_keys_with_Citus_policies_distributed_then_its_foreign_keys_added()
    {
        var statements = Plan().Statements.Select(s => s.Sql).ToList();
        var create = statements.FindIndex(s => s.StartsWith($"CREATE TABLE {NewTable} ", StringComparison.Ordinal));
        var distribute = statements.FindIndex(s => s.Contains($"create_distributed_table('{NewTable}', 'tenant_id', colocate_with => 'memberships')", StringComparison.Ordinal));
        var keys = statements.Select((s, i) => (s, i)).Where(p => p.s.StartsWith($"ALTER TABLE {NewTable} ADD CONSTRAINT fk_", StringComparison.Ordinal)).Select(p => p.i).ToList();
        Assert.True(create >= 0 && distribute > create, "the table is created, then distributed");
        Assert.DoesNotContain("REFERENCES", statements[create]);
        Assert.Equal(3, keys.Count); // tenants, videos, users
        Assert.All(keys, k => Assert.True(k > distribute, "a foreign key is added before the table is distributed"));
        var policies = statements.Where(s => s.StartsWith("CREATE POLICY ", StringComparison.Ordinal) && s.Contains($" ON {NewTable} ", StringComparison.Ordinal)).ToList();
        Assert.Contains(CitusForms.CreateTenantPolicy(WithNewTable.FindTable(NewTable)!, signedTenant: true), policies);
        Assert.Contains(CitusForms.CreateReaderReadPolicy(WithNewTable.FindTable(NewTable)!), policies);
        Assert.All(policies, p => Assert.DoesNotContain("(SELECT", p));
    }

    [Fact]
    public void On_the_plain_target_the_same_table_is_created_as_before()
    {
        var plain = SchemaDiffer.Diff(Repository, WithNewTable with { Target = DeploymentTarget.Postgres }).Statements.Select(s => s.Sql).ToList();
        Assert.DoesNotContain(plain, s => s.Contains("create_distributed_table", StringComparison.Ordinal));
        Assert.Contains(TenantIsolation.CreatePolicy(WithNewTable.FindTable(NewTable)!, TenantIsolation.TenantPolicy, signedTenant: true), plain);
        Assert.Contains(plain, s => s.StartsWith($"CREATE POLICY {TenantIsolation.TenantPolicy} ON {NewTable} ", StringComparison.Ordinal) && s.Contains("(SELECT", StringComparison.Ordinal));
    }

    /// <summary>
    /// The migration on plain PostgreSQL (a database with the Citus forms installed, as distribute leaves it): the guarded
    /// Citus call does nothing, and the new table isolates tenants, attacked by a login that is only a member of the
    /// application role with a valid proof of tenant A.
    /// </summary>
    [Fact]
    public async Task The_migration_applies_on_plain_PostgreSQL_and_the_new_table_keeps_tenants_apart()
    {
        var database = CitusFormAttackTests.Unpooled(await CitusFormAttackTests.CreateAsync(_postgres));
        var (tenantA, tenantB) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var owner = new NpgsqlConnection(database))
        {
            await owner.OpenAsync();
            await using (var transaction = await owner.BeginTransactionAsync())
            {
                foreach (var statement in Plan().Statements)
                    await ExecuteAsync(owner, statement.Sql, transaction);
                await transaction.CommitAsync();
            }
            foreach (var (tenant, slug) in new[] { (tenantA, "a"), (tenantB, "b") })
                await ExecuteAsync(owner, $"INSERT INTO tenants (id, slug, name) VALUES ('{tenant}', 'citus-target-{slug}', '{slug}')");
            // Rows written by the owner under each tenant's context (the table forces row security on its owner too).
            foreach (var tenant in new[] { tenantA, tenantB })
            {
                await using var transaction = await owner.BeginTransactionAsync();
                await ExecuteAsync(owner, $"CALL narralytica_set_tenant_proof('{TestTenantKey.Proof(tenant)}')", transaction);
                await ExecuteAsync(owner, $"INSERT INTO {NewTable} (tenant_id, id, body) VALUES ('{tenant}', '{Guid.NewGuid()}', 'note')", transaction);
                await transaction.CommitAsync();
            }
        }

        var login = new NpgsqlConnectionStringBuilder(database) { Username = AttackDatabase.LoginOf(DatabaseRoles.App), Password = AttackDatabase.AttackerPassword }.ConnectionString;
        await using var attacker = new NpgsqlConnection(login);
        await attacker.OpenAsync();
        await using (var transaction = await attacker.BeginTransactionAsync())
        {
            await ExecuteAsync(attacker, $"CALL narralytica_set_tenant_proof('{TestTenantKey.Proof(tenantA)}')", transaction);
            Assert.Equal(1L, await ScalarAsync(attacker, $"SELECT count(*) FROM {NewTable}", transaction));
            Assert.Equal(0L, await ScalarAsync(attacker, $"SELECT count(*) FROM {NewTable} WHERE tenant_id = '{tenantB}'", transaction));
            var refused = await Assert.ThrowsAsync<PostgresException>(() =>
                ExecuteAsync(attacker, $"INSERT INTO {NewTable} (tenant_id, id, body) VALUES ('{tenantB}', '{Guid.NewGuid()}', 'planted')", transaction));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
        await using (var transaction = await attacker.BeginTransactionAsync())
            Assert.Equal(0L, await ScalarAsync(attacker, $"SELECT count(*) FROM {NewTable}", transaction));
    }

    [Fact]
    public async Task Drift_with_the_Citus_target_sees_no_difference_in_the_Citus_forms_and_the_plain_target_still_does()
    {
        var citus = Repository with { Target = DeploymentTarget.Citus };
        await using var connection = new NpgsqlConnection(CitusFormAttackTests.Unpooled(await AttackDatabase.CreateAsync(_postgres)));
        await connection.OpenAsync();
        // A migrated database has the plain forms: the Citus target reports them.
        Assert.NotEmpty((await SchemaDrift.CompareAsync(connection, citus)).Differences);

        foreach (var statement in CitusDistribution.FormsPlainPostgresAccepts(Repository))
            await ExecuteAsync(connection, statement);
        var onCitus = await SchemaDrift.CompareAsync(connection, citus);
        Assert.True(onCitus.Differences.Count == 0, "drift on the Citus target: " + string.Join("; ", onCitus.Differences.Select(d => $"{d.Kind} {d.What}")));

        var plain = await SchemaDrift.CompareAsync(connection, Repository);
        Assert.Contains(plain.Differences, d => d.What.Contains(TenantIsolation.TenantPolicy, StringComparison.Ordinal));
        Assert.Contains(plain.Differences, d => d.What.Contains(TenantIsolation.SetTenantProcedure, StringComparison.Ordinal));
    }

    private static MigrationPlan Plan() => SchemaDiffer.Diff(Repository, WithNewTable);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
