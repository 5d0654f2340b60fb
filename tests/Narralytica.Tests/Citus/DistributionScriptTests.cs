using System;
using System.IO;
using System.Linq;
using System.Text;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql.Citus;
using Narralytica.Tests.Generator;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Xunit;

namespace Narralytica.Tests.Citus;

/// <summary>
/// The distribution of the repository's schema.yaml on Citus (<see cref="CitusDistribution"/>): its script is the
/// approved copy (Golden/distribute.sql, what was run on a real coordinator and worker, docs/citus.md), and its order is
/// the one Citus needs, whatever schema.yaml holds.
/// </summary>
public sealed class DistributionScriptTests
{
    private static readonly SchemaModel Model = SchemaWorkspace.Compile(RepositoryFiles.SchemaText);

    private static string GoldenPath => Path.Combine(RepositoryFiles.Root, "tests", "Narralytica.Tests", "Citus", "Golden", "distribute.sql");

    [Fact]
    public void The_script_matches_its_approved_copy()
    {
        var script = CitusDistribution.Script(Model);
        if (Environment.GetEnvironmentVariable(GoldenFileTests.AcceptVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(GoldenPath)!);
            File.WriteAllText(GoldenPath, script, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }
        var approved = File.Exists(GoldenPath) ? File.ReadAllText(GoldenPath) : "";
        Assert.True(approved == script,
            $"The distribution script differs from {GoldenPath}:\n{GoldenFileTests.FirstDifference(approved, script)}\n" +
            $"If the change is intended, approve it: {GoldenFileTests.AcceptVariable}=1 dotnet test tests/Narralytica.Tests --filter FullyQualifiedName~DistributionScriptTests, " +
            "check it on a Citus coordinator (docs/citus.md), then commit it.");
    }

    [Fact]
    public void Global_tables_are_reference_tables_and_tenant_tables_are_distributed_by_tenant_id_in_one_colocation_group()
    {
        var statements = AllStatements();
        foreach (var table in Model.Tables.Where(t => !t.IsTenantScoped))
            Assert.Contains($"SELECT create_reference_table('{table.Name}');", statements);
        var tenantTables = Model.Tables.Where(t => t.IsTenantScoped).Select(t => t.Name).ToList();
        var distributed = statements.Where(s => s.StartsWith("SELECT create_distributed_table(", StringComparison.Ordinal)).ToList();
        Assert.Equal(tenantTables.Count, distributed.Count);
        Assert.All(distributed, s => Assert.Contains(", 'tenant_id'", s));
        // The first anchors the group; every other one joins it.
        Assert.DoesNotContain("colocate_with", distributed[0]);
        Assert.All(distributed.Skip(1), s => Assert.EndsWith(", colocate_with => 'memberships');", s));
        Assert.Contains("'tenants'", string.Join("\n", statements.Where(s => s.Contains("create_reference_table", StringComparison.Ordinal))));
    }

    [Fact]
    public void Foreign_keys_are_dropped_before_the_first_Citus_call_and_added_back_by_their_names_after_the_last()
    {
        var statements = AllStatements();
        int First(Func<string, bool> match) => statements.FindIndex(s => match(s));
        int Last(Func<string, bool> match) => statements.FindLastIndex(s => match(s));
        bool IsCitusCall(string s) => s.Contains("create_reference_table(", StringComparison.Ordinal) || s.Contains("create_distributed_table(", StringComparison.Ordinal);

        Assert.True(Last(s => s.Contains("DROP CONSTRAINT", StringComparison.Ordinal)) < First(IsCitusCall));
        Assert.True(Last(s => s.Contains("create_reference_table(", StringComparison.Ordinal)) < First(s => s.Contains("create_distributed_table(", StringComparison.Ordinal)));
        Assert.True(Last(IsCitusCall) < First(s => s.Contains(" ADD CONSTRAINT ", StringComparison.Ordinal)));
        foreach (var key in Model.Tables.SelectMany(t => t.ForeignKeys))
        {
            Assert.Single(statements, s => s.Contains($"DROP CONSTRAINT IF EXISTS {key.Name};", StringComparison.Ordinal));
            Assert.Single(statements, s => s.Contains($"ADD CONSTRAINT {key.Name} FOREIGN KEY", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void No_policy_holds_a_subquery_and_no_procedure_uses_set_config()
    {
        var forms = CitusDistribution.FormSteps(Model).SelectMany(s => s.Statements).ToList();
        var policies = forms.Where(s => s.StartsWith("CREATE POLICY", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * Model.Tables.Count(t => t.RowSecurity), policies.Count);
        Assert.All(policies, p => Assert.DoesNotContain("(SELECT", p, StringComparison.OrdinalIgnoreCase));
        var procedures = forms.Where(s => s.StartsWith("CREATE OR REPLACE PROCEDURE", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, procedures.Count);
        Assert.All(procedures, p => Assert.Contains("SET LOCAL citus.propagate_set_commands = 'local'; EXECUTE format('SET LOCAL narralytica.", p));
        Assert.All(procedures, p => Assert.DoesNotContain("set_config", p));
    }

    [Fact]
    public void Every_step_says_when_it_is_done()
        => Assert.All(CitusDistribution.Steps(Model), s => Assert.NotNull(s.DoneWhen));

    private static System.Collections.Generic.List<string> AllStatements()
        => CitusDistribution.Steps(Model).SelectMany(s => s.Statements).ToList();
}
