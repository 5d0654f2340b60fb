using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Narralytica.Tests.Generator;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Citus;

/// <summary>The data layer generated for schema.yaml's <c>target: citus</c>: its read paths in the forms Citus routes in a generic plan too.</summary>
public sealed class CitusGeneratorTests
{
    [Fact]
    public void The_citus_target_data_layer_compiles_without_any_warning_with_its_own_read_paths()
    {
        var (driver, output, generatorDiagnostics) = GeneratorHarness.Run("target: citus\n" + RepositoryFiles.SchemaText);

        // Only the Citus target's warnings about the queue and the stream (NARR2009, NARR2010).
        Assert.All(generatorDiagnostics, d => Assert.Contains(d.Id, new[] { "NARR2009", "NARR2010" }));
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
        var sources = driver.GetRunResult().Results.Single().GeneratedSources;
        var layer = sources.Single(s => s.HintName == "Layer.Access.g.cs").SourceText.ToString();
        var segment = sources.Single(s => s.HintName == "Segment.Access.g.cs").SourceText.ToString();
        Assert.Contains("FROM layers WHERE tenant_id = $1 AND segment_id = ANY($2) AND kind = $3 ORDER BY array_position($2, segment_id)", layer, StringComparison.Ordinal);
        Assert.Contains("public const string SegmentFeedLatest = ", segment, StringComparison.Ordinal);
        Assert.DoesNotContain("LATERAL", layer + segment, StringComparison.Ordinal);
        // Citus sends a SET LOCAL to the worker, never a set_config: the fast paths set the tenant by the procedure.
        var binding = sources.Single(s => s.HintName == "NarralyticaSchemaBinding.g.cs").SourceText.ToString();
        Assert.Contains("public bool SetsTenantByProcedure => true;", binding, StringComparison.Ordinal);
        // ... and only inside a transaction block: a tenant table's read opens its own when the caller has none.
        Assert.Contains(".BeginTransactionAsync(cancellationToken) : null;", layer, StringComparison.Ordinal);
        Assert.Contains(".BeginTransactionAsync(cancellationToken) : null;", segment, StringComparison.Ordinal);
        // So does a row write through the scope (Insert, Update, Delete), which the worker would otherwise refuse.
        var scope = sources.Single(s => s.HintName == "TenantScope.g.cs").SourceText.ToString();
        Assert.Contains("await using var ownTransaction = scope.Db.Transaction is null ? await scope.Db.BeginTransactionAsync(cancellationToken) : null;", scope, StringComparison.Ordinal);
        Assert.Contains("using var ownTransaction = scope.Db.Transaction is null ? scope.Db.BeginTransaction() : null;", scope, StringComparison.Ordinal);
        // The bulk insert is the multi-row INSERT … VALUES Citus routes, not the INSERT … SELECT … FROM unnest it would COPY.
        Assert.Contains("public const string CitusBulkInsertHead = \"INSERT INTO segments (tenant_id, id, transcript_id, ", segment, StringComparison.Ordinal);
        Assert.Contains("MultiRowInsert(CitusBulkInsertHead, \"narralytica_proven_tenant()\", 10, rows)", segment, StringComparison.Ordinal);
        Assert.Contains(".CitusBulkInsertAsync(scope.TenantId, SegmentRows.CitusBulkInsert, SegmentRows.CitusBulkInsertRows, rows, ", segment, StringComparison.Ordinal);
        Assert.DoesNotContain("unnest", segment, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plain_target_keeps_its_own_bulk_insert_and_row_writes()
    {
        var (driver, _, _) = GeneratorHarness.Run(RepositoryFiles.SchemaText);
        var sources = driver.GetRunResult().Results.Single().GeneratedSources;
        var segment = sources.Single(s => s.HintName == "Segment.Access.g.cs").SourceText.ToString();
        var scope = sources.Single(s => s.HintName == "TenantScope.g.cs").SourceText.ToString();
        Assert.Contains("FROM unnest(", segment, StringComparison.Ordinal);
        Assert.DoesNotContain("CitusBulkInsert", segment, StringComparison.Ordinal);
        Assert.DoesNotContain("ownTransaction", scope, StringComparison.Ordinal);
    }
}
