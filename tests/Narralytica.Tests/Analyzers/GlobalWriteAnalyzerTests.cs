using System.Linq;
using Xunit;

namespace Narralytica.Tests.Analyzers;

/// <summary>NARR4004: linq2db's generic writes on a global table, outside the control plane.</summary>
public sealed class GlobalWriteAnalyzerTests
{
    [Fact]
    public void Generic_writes_of_global_rows_are_reported_at_the_method_name()
    {
        var diagnostics = AnalyzerHarness.Analyze("""
            using System;
            using System.Linq;
            using System.Threading.Tasks;
            using LinqToDB;
            using LinqToDB.Async;
            using Narralytica.Model;

            public static class Signup
            {
                public static int Add(NarralyticaDb db, User user) => db.Insert(user);
                public static Task<int> Suspend(NarralyticaDb db, Guid id) => db.GetTable<Tenant>().Where(t => t.Id == id).Set(t => t.Name, "x").UpdateAsync();
                public static int Purge(NarralyticaDb db) => db.GetTable<Role>().Delete(r => r.Name == "old");
                public static int Static(NarralyticaDb db, Permission permission) => DataExtensions.InsertOrReplace(db, permission);
            }
            """);

        Assert.Equal(new[]
        {
            "NARR4004 (10,62): Insert",
            "NARR4004 (11,134): UpdateAsync",
            "NARR4004 (12,70): Delete",
            "NARR4004 (13,89): InsertOrReplace",
        }, diagnostics.Select(AnalyzerHarness.Describe));
        Assert.Equal(
            "Insert writes the global table 'users' outside the control plane, and only narralytica_control may write it; use db.ControlPlane.Users (on a data source created with lane: DatabaseLane.ControlPlane)",
            diagnostics[0].GetMessage());
        Assert.Equal("https://github.com/narralytica/narralytica/blob/main/docs/diagnostics.md#narr4004", diagnostics[0].Descriptor.HelpLinkUri);
    }

    [Fact]
    public void Writes_through_the_control_plane_reads_and_tenant_writes_are_not_reported()
    {
        Assert.Empty(AnalyzerHarness.Analyze("""
            using System;
            using System.Linq;
            using System.Threading.Tasks;
            using LinqToDB;
            using LinqToDB.Async;
            using Narralytica.Model;

            public static class Admin
            {
                public static Task<int> Add(NarralyticaDb db, User user) => db.ControlPlane.InsertAsync(user);
                public static int Purge(NarralyticaDb db) => db.ControlPlane.Roles.Where(r => r.Name == "old").Delete();
                public static int Held(ControlPlane control) => control.Users.Delete(u => u.Email == "x@example.test");
                public static int Read(NarralyticaDb db) => db.GetTable<Tenant>().Count();
                public static Task<int> Tenant(NarralyticaDb db, Guid tenantId, Video video) => db.ForTenant(tenantId).InsertAsync(video);
            }
            """));
    }
}
