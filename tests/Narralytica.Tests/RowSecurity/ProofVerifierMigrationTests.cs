using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.RowSecurity;

/// <summary>
/// The signature-first verifier reaches a database that has the former one: the differ replaces the function in place
/// (from a snapshot without <c>signature_first_proof</c>), and drift sees the former body as a changed definition and
/// restores the current one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProofVerifierMigrationTests : IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly RepositoryCopy _copy = new();

    public ProofVerifierMigrationTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void A_snapshot_from_before_the_signature_first_verifier_gets_the_function_replaced_and_nothing_else()
    {
        var model = NotesSchema.Compile();
        var text = SnapshotWriter.Write(model, new SnapshotHeader("0001_a.sql", new string('0', 64)));
        Assert.Contains("\nsignature_first_proof: true\n", text);
        Assert.True(SchemaDiffer.Diff(SnapshotReader.Read(text, "snapshot").Model, model).IsEmpty);

        var before = SnapshotReader.Read(text.Replace("signature_first_proof: true\n", ""), "snapshot").Model;
        Assert.False(before.SignatureFirstProof);
        var plan = SchemaDiffer.Diff(before, model);
        Assert.Equal(new[] { TenantProof.CreateVerifyFunction }, plan.Statements.Select(s => s.Sql));
        Assert.StartsWith("replace function narralytica_proven_tenant: it checks a proof's signature", Assert.Single(plan.Changes).Description);

        // On the Citus target the replacement keeps the function's permission to read the key table on a worker.
        var citus = SchemaDiffer.Diff(before with { Target = DeploymentTarget.Citus }, model with { Target = DeploymentTarget.Citus });
        Assert.Equal(new[] { TenantProof.CreateVerifyFunction, "ALTER FUNCTION narralytica_proven_tenant() SET citus.allow_nested_distributed_execution = on;" },
            citus.Statements.Select(s => s.Sql));

        // A signed tenant created by the same migration is created with the current body, once.
        var unsigned = SnapshotReader.Read(text.Replace("signature_first_proof: true\n", "").Replace("tenant_proof: true\n", ""), "snapshot").Model;
        Assert.Single(SchemaDiffer.Diff(unsigned, model).Statements, s => s.Sql == TenantProof.CreateVerifyFunction);
    }

    [Fact]
    public async Task The_former_verifier_is_drift_and_the_printed_sql_puts_the_signature_first_one_back()
    {
        var connection = await DriftSql.MigratedAsync(_postgres, _copy);
        var signedTenant = File.ReadAllText(_copy.MigrationPath("0007_signed_tenant.sql"));
        var start = signedTenant.IndexOf("DO $$ BEGIN EXECUTE format('CREATE OR REPLACE FUNCTION " + TenantProof.VerifyFunction, StringComparison.Ordinal);
        var end = signedTenant.IndexOf("$body$); END $$;", start, StringComparison.Ordinal) + "$body$); END $$;".Length;
        Assert.True(start >= 0 && end > start);
        var former = signedTenant[start..end];
        Assert.Contains("string_to_array", former);
        await PostgresFixture.ExecuteAsync(connection, former);

        var output = await DriftSql.ReportAsync(_copy, connection);
        Assert.Contains("changed  function narralytica_proven_tenant: its definition differs from schema.yaml's", output);
        Assert.Contains("differs from schema.yaml in 1 way(s)", output);
        var sql = await DriftSql.ReadAsync(_copy, connection);
        Assert.Contains(TenantProof.CreateVerifyFunction, sql);
        await DriftSql.ReconcileAsync(_copy, connection, sql);
    }
}
