using System;
using System.Linq;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using Narralytica.Model;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.TenantContext;

/// <summary>
/// The escape hatch as <c>narralytica_app</c>: each use leaves a row in narralytica_cross_tenant_audits, written on a
/// connection of its own and committed at once; its commands name that row, and the database then lets them read
/// every tenant's rows, and write none.
/// </summary>
public sealed class CrossTenantAccessTests : AppRoleTest
{
    public CrossTenantAccessTests(PostgresFixture postgres) : base(postgres) { }

    private async Task<(string Justification, string DatabaseUser, DateTime CreatedAt)?> AuditRowAsync(Guid id)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT justification, database_user, created_at FROM narralytica_cross_tenant_audits WHERE id = $1", connection);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetString(1), reader.GetDateTime(2)) : null;
    }

    [Fact]
    public async Task It_reads_every_tenants_rows_and_records_who_and_why()
    {
        var hatch = App.AcrossTenants("test: rebuild every tenant's search index");
        var tenants = await hatch.Segments.Select(s => s.TenantId).Distinct().ToListAsync();
        Assert.Equal(new[] { A.Scope.TenantId, B.Scope.TenantId }.OrderBy(t => t), tenants.OrderBy(t => t));
        Assert.Equal(2, await hatch.AuditLogs.CountAsync());
        Assert.StartsWith("CALL narralytica_set_tenant_proof(NULL);\nCALL narralytica_set_cross_tenant_audit(", App.LastQuery);
        Assert.True(string.IsNullOrEmpty(await App.ExecuteAsync<string?>("SELECT current_setting('narralytica.cross_tenant_audit', true)")));

        var audit = await AuditRowAsync(hatch.AuditId);
        Assert.NotNull(audit);
        Assert.Equal("test: rebuild every tenant's search index", audit.Value.Justification);
        Assert.Equal(await App.ExecuteAsync<string>("SELECT session_user"), audit.Value.DatabaseUser);
        Assert.InRange(audit.Value.CreatedAt, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(7, hatch.AuditId.Version);
    }

    [Fact]
    public async Task The_async_way_in_records_the_same_row()
    {
        var hatch = await App.AcrossTenantsAsync("test: nightly usage report");
        Assert.Equal(2, await hatch.Videos.CountAsync());
        Assert.Equal("test: nightly usage report", (await AuditRowAsync(hatch.AuditId))!.Value.Justification);
        await Assert.ThrowsAsync<ArgumentException>(() => App.AcrossTenantsAsync("  "));
    }

    [Fact]
    public async Task The_audit_row_survives_a_rollback_of_the_callers_transaction()
    {
        Guid auditId;
        await using (var transaction = await App.BeginTransactionAsync())
        {
            var hatch = App.AcrossTenants("test: support looks at a customer's video");
            auditId = hatch.AuditId;
            Assert.Equal(2, await hatch.Videos.CountAsync());
            await transaction.RollbackAsync();
        }
        Assert.NotNull(await AuditRowAsync(auditId));
    }

    [Fact]
    public async Task Writes_through_the_hatch_are_refused()
    {
        var hatch = App.AcrossTenants("test: try to write through the hatch");
        Assert.Equal(0, await hatch.Segments.Set(s => s.Text, "rewritten").UpdateAsync());
        Assert.Equal(0, await hatch.Jobs.DeleteAsync());
        var insert = await Assert.ThrowsAnyAsync<PostgresException>(() => hatch.Speakers
            .Where(s => s.Id == A.Speaker.Id)
            .InsertAsync(App.GetTable<Speaker>(), s => new Speaker { TenantId = s.TenantId, Id = Guid.CreateVersion7(), Label = "COPY", Metadata = "{}" }));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, insert.SqlState); // new row violates row-level security policy

        // Not even inside a transaction where a scope has just set its tenant.
        await using (var transaction = await App.BeginTransactionAsync())
        {
            Assert.Equal(1, await App.ForTenant(A.Scope.TenantId).Segments.CountAsync());
            Assert.Equal(0, await hatch.Segments.Set(s => s.Text, "rewritten").UpdateAsync());
            await transaction.CommitAsync();
        }

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM segments WHERE text = 'rewritten'"));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM jobs"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM speakers WHERE label = 'COPY'"));
    }

    [Fact]
    public async Task A_scope_still_sees_only_its_tenant_after_the_hatch_in_the_same_transaction()
    {
        await using var transaction = await App.BeginTransactionAsync();
        var hatch = App.AcrossTenants("test: compare one tenant with every tenant");
        Assert.Equal(2, await hatch.Segments.CountAsync());
        var scope = App.ForTenant(B.Scope.TenantId);
        Assert.Equal(B.Segment.Id, (await scope.Segments.SingleAsync()).Id);
        Assert.Null(await scope.FindSegmentAsync(A.Segment.Id));
        Assert.Equal(0, await scope.Segments.Where(s => s.Id == A.Segment.Id).Set(s => s.Text, "crossed").UpdateAsync());
        await transaction.CommitAsync();
    }
}
