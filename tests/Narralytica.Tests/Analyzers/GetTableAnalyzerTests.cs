using System.Linq;
using Xunit;

namespace Narralytica.Tests.Analyzers;

/// <summary>NARR4001: linq2db's GetTable&lt;T&gt;() on a tenant entity, outside the scope and the escape hatch.</summary>
public sealed class GetTableAnalyzerTests
{
    [Fact]
    public void GetTable_of_a_tenant_entity_is_reported_at_the_method_name()
    {
        var diagnostics = AnalyzerHarness.Analyze("""
            using System.Linq;
            using LinqToDB;
            using Narralytica.Model;

            public static class Reports
            {
                public static int Count(NarralyticaDb db) => db.GetTable<Segment>().Count();
                public static int CountStatic(NarralyticaDb db) => DataExtensions.GetTable<Layer>(db).Count();
            }
            """);

        Assert.Equal(new[]
        {
            "NARR4001 (7,53): GetTable<Segment>",
            "NARR4001 (8,71): GetTable<Layer>",
        }, diagnostics.Select(AnalyzerHarness.Describe));
        Assert.Equal(
            "GetTable<Segment>() reaches the tenant-scoped table 'segments' without a tenant filter; use db.ForTenant(tenantId).Segments, or db.AcrossTenants(\"why\").Segments when every tenant's rows are meant",
            diagnostics[0].GetMessage());
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostics[0].Severity);
        Assert.Equal("https://github.com/narralytica/narralytica/blob/main/docs/diagnostics.md#narr4001", diagnostics[0].Descriptor.HelpLinkUri);
    }

    [Fact]
    public void GetTable_in_a_generic_helper_over_tenant_entities_is_reported()
    {
        var diagnostics = AnalyzerHarness.Analyze("""
            using System.Linq;
            using LinqToDB;
            using Narralytica.Model;

            public static class Helpers
            {
                public static IQueryable<T> All<T>(NarralyticaDb db) where T : class, ITenantEntity => db.GetTable<T>();
            }
            """);

        Assert.Equal(new[] { "NARR4001 (7,95): GetTable<T>" }, diagnostics.Select(AnalyzerHarness.Describe));
        Assert.Contains("db.ForTenant(tenantId).<collection of T>", diagnostics[0].GetMessage());
    }

    [Fact]
    public void The_tenant_scope_the_escape_hatch_and_global_tables_are_not_reported()
    {
        Assert.Empty(AnalyzerHarness.Analyze("""
            using System;
            using System.Linq;
            using LinqToDB;
            using Narralytica.Model;

            public static class Reports
            {
                public static int Scoped(NarralyticaDb db, Guid tenantId) => db.ForTenant(tenantId).Segments.Count(s => s.StartMs > 0);
                public static int Everyone(NarralyticaDb db) => db.AcrossTenants("usage statistics for billing").Layers.Count();
                public static int Users(NarralyticaDb db) => db.GetTable<User>().Count() + db.GetTable<Tenant>().Count();
            }
            """));
    }

    [Fact]
    public void Pragma_warning_disable_silences_it()
    {
        Assert.Empty(AnalyzerHarness.Analyze("""
            using System.Linq;
            using LinqToDB;
            using Narralytica.Model;

            public static class Reports
            {
            #pragma warning disable NARR4001 // a one-off script, reviewed
                public static int Count(NarralyticaDb db) => db.GetTable<Segment>().Count();
            #pragma warning restore NARR4001
            }
            """));
    }
}
