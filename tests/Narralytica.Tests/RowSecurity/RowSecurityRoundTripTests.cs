using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Model;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Migrations;
using Xunit;

namespace Narralytica.Tests.RowSecurity;

/// <summary>
/// The row-level security changes the random pairs do not make, on PostgreSQL: fresh(A) + diff(A, B) has the
/// catalog of fresh(B), policies and row security included. A table changing scope loses its policies before
/// its tenant_id goes, and gets them after its tenant_id comes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RowSecurityRoundTripTests
{
    private readonly PostgresFixture _postgres;

    public RowSecurityRoundTripTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task Scope_changes_renames_and_the_tenant_context_round_trip_both_ways()
    {
        var notes = NotesSchema.Compile();
        var global = SchemaWorkspace.Compile(NotesSchema.Text().Replace("scope: tenant", "scope: global"));
        var renamed = SchemaWorkspace.Compile(NotesSchema.Text().Replace("  notes:\n", "  memos:\n    renamed_from: notes\n"));
        var withoutContext = notes with { TenantContext = false };
        var withoutIsolation = withoutContext with { Tables = notes.Tables.Select(t => t with { RowSecurity = false }).ToEquatableArray() };
        var pairs = new (string Name, SchemaModel Before, SchemaModel After)[]
        {
            ("tenant to global", notes, global),
            ("global to tenant", global, notes),
            ("renamed", notes, renamed),
            ("context dropped", notes, withoutContext),
            ("context created", withoutContext, notes),
            ("everything created", withoutIsolation, notes),
            ("everything dropped", notes, withoutIsolation),
            ("new tenant table", NotesSchema.WithoutNotes(), notes),
        };
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        foreach (var (name, before, after) in pairs)
        {
            var failure = await RoundTrip.CheckAsync(workspace, before, after);
            Assert.True(failure is null, $"{name}: {failure}");
        }
    }
}
