using System.Linq;
using Xunit;

namespace Narralytica.Tests.Analyzers;

/// <summary>[AcrossTenants("why")] accepts cross-tenant code (NARR4001, NARR4002) and needs a reason (NARR4003).</summary>
public sealed class AcrossTenantsMarkTests
{
    [Fact]
    public void Marked_methods_types_properties_constructors_and_lambdas_are_not_reported()
    {
        Assert.Empty(AnalyzerHarness.Analyze("""
            using System;
            using System.Linq;
            using LinqToDB;
            using Narralytica.Model;
            using Npgsql;

            public class Maintenance
            {
                [AcrossTenants("nightly purge of expired jobs of every tenant")]
                public static void Purge(NpgsqlConnection connection)
                    => new NpgsqlCommand("DELETE FROM jobs WHERE finished_at < now() - interval '30 days'", connection).ExecuteNonQuery();

                [AcrossTenants("warms the connection pool with a cheap query on the largest table")]
                public Maintenance(NarralyticaDb db) => _ = db.GetTable<Segment>().Take(1).ToList();

                [AcrossTenants("operators' dashboard: segments of every tenant")]
                public static Func<NarralyticaDb, int> SegmentCount => db => db.GetTable<Segment>().Count();

                public static Action<NpgsqlConnection> Reset { get; } =
                    [AcrossTenants("test fixture reset")] (NpgsqlConnection c) => new NpgsqlCommand("TRUNCATE layers", c).ExecuteNonQuery();
            }

            [AcrossTenants("the search index is rebuilt from every tenant's rows")]
            public static class IndexRebuild
            {
                public static int Count(NarralyticaDb db) => db.GetTable<Layer>().Count();

                public static class Nested
                {
                    public static void Copy(NpgsqlConnection connection) => connection.BeginBinaryExport("COPY segments TO STDOUT (FORMAT BINARY)").Dispose();
                }
            }
            """));
    }

    [Fact]
    public void The_mark_covers_only_what_it_is_written_on()
    {
        var diagnostics = AnalyzerHarness.Analyze("""
            using System.Linq;
            using LinqToDB;
            using Narralytica.Model;

            public static class Reports
            {
                [AcrossTenants("billing counts every tenant's segments")]
                public static int Billing(NarralyticaDb db) => db.GetTable<Segment>().Count();

                public static int Unmarked(NarralyticaDb db) => db.GetTable<Segment>().Count();
            }
            """);

        Assert.Equal(new[] { "NARR4001 (10,56): GetTable<Segment>" }, diagnostics.Select(AnalyzerHarness.Describe));
    }

    [Fact]
    public void A_blank_justification_is_reported_at_the_argument_and_still_marks_the_code()
    {
        var diagnostics = AnalyzerHarness.Analyze("""
            using System.Linq;
            using LinqToDB;
            using Narralytica.Model;

            [AcrossTenants("")]
            public static class Reports
            {
                [AcrossTenants("   ")]
                public static int Count(NarralyticaDb db) => db.GetTable<Segment>().Count();

                [AcrossTenants("exports every tenant's videos for the yearly audit")]
                public static int Export(NarralyticaDb db) => db.GetTable<Video>().Count();
            }
            """);

        Assert.Equal(new[]
        {
            "NARR4003 (5,16): \"\"",
            "NARR4003 (8,20): \"   \"",
        }, diagnostics.Select(AnalyzerHarness.Describe));
        Assert.Equal(
            "[AcrossTenants] has no justification; say why this code needs every tenant's rows, e.g. [AcrossTenants(\"rebuild of the search index\")]",
            diagnostics[0].GetMessage());
    }
}
