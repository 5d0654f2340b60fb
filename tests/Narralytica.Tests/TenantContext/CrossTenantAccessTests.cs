using System;
using System.Linq;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.TenantContext;

/// <summary>
/// The escape hatch on the readers' lane (<c>narralytica_reader</c>): each use leaves a row in
/// narralytica_cross_tenant_audits, written by the database (who, when, until when) on a connection of its own and
/// committed at once; its commands name that row, and the database then lets them read every tenant's rows, and write
/// none. Requests (<c>narralytica_app</c>) have no hatch at all.
/// </summary>
public sealed class CrossTenantAccessTests : AppRoleTest
{
    public CrossTenantAccessTests(PostgresFixture postgres) : base(postgres) { }

    private NpgsqlDataSource _readerSource = null!;
    private NarralyticaDb Reader { get; set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _readerSource = NarralyticaDb.CreateDataSource(new NpgsqlConnectionStringBuilder(ConnectionString) { Options = "-c role=narralytica_reader" }.ConnectionString,
            TestTenantKey.Key, lane: DatabaseLane.Reader);
        Reader = new NarralyticaDb(_readerSource);
        Assert.Equal("narralytica_reader", await Reader.ExecuteAsync<string>("SELECT current_user"));
    }

    public override async Task DisposeAsync()
    {
        await Reader.DisposeAsync();
        await _readerSource.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task<(string Justification, string DatabaseUser, DateTime CreatedAt, DateTime ExpiresAt)?> AuditRowAsync(Guid id)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT justification, database_user, created_at, expires_at FROM narralytica_cross_tenant_audits WHERE id = $1", connection);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetString(1), reader.GetDateTime(2), reader.GetDateTime(3)) : null;
    }

    [Fact]
    public async Task It_reads_every_tenants_rows_and_the_database_records_who_when_and_why()
    {
        var hatch = Reader.AcrossTenants("test: rebuild every tenant's search index");
        var tenants = await hatch.Segments.Select(s => s.TenantId).Distinct().ToListAsync();
        Assert.Equal(new[] { A.Scope.TenantId, B.Scope.TenantId }.OrderBy(t => t), tenants.OrderBy(t => t));
        Assert.Equal(2, await hatch.AuditLogs.CountAsync());
        Assert.StartsWith("CALL narralytica_set_tenant_proof(NULL);\nCALL narralytica_set_cross_tenant_audit(", Reader.LastQuery);
        Assert.True(string.IsNullOrEmpty(await Reader.ExecuteAsync<string?>("SELECT current_setting('narralytica.cross_tenant_audit', true)")));

        var audit = await AuditRowAsync(hatch.AuditId);
        Assert.NotNull(audit);
        Assert.Equal("test: rebuild every tenant's search index", audit.Value.Justification);
        Assert.Equal(await Reader.ExecuteAsync<string>("SELECT session_user"), audit.Value.DatabaseUser);
        Assert.InRange(audit.Value.CreatedAt, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(TimeSpan.FromMinutes(10), audit.Value.ExpiresAt - audit.Value.CreatedAt);
    }

    [Fact]
    public async Task The_async_way_in_records_the_same_row()
    {
        var hatch = await Reader.AcrossTenantsAsync("test: nightly usage report");
        Assert.Equal(2, await hatch.Videos.CountAsync());
        Assert.Equal("test: nightly usage report", (await AuditRowAsync(hatch.AuditId))!.Value.Justification);
        await Assert.ThrowsAsync<ArgumentException>(() => Reader.AcrossTenantsAsync("  "));
    }

    [Fact]
    public async Task Requests_have_no_hatch()
    {
        var error = Assert.Throws<InvalidOperationException>(() => App.AcrossTenants("test: a request reads across tenants"));
        Assert.Contains("DatabaseLane.Reader", error.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => App.AcrossTenantsAsync("test: a request reads across tenants"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM narralytica_cross_tenant_audits"));
    }

    [Fact]
    public async Task The_audit_row_survives_a_rollback_of_the_callers_transaction()
    {
        Guid auditId;
        await using (var transaction = await Reader.BeginTransactionAsync())
        {
            var hatch = Reader.AcrossTenants("test: support looks at a customer's video");
            auditId = hatch.AuditId;
            Assert.Equal(2, await hatch.Videos.CountAsync());
            await transaction.RollbackAsync();
        }
        Assert.NotNull(await AuditRowAsync(auditId));
    }

    [Fact]
    public async Task An_expired_audit_row_opens_nothing()
    {
        var hatch = Reader.AcrossTenants("test: a long rebuild outlives its audit row");
        Assert.Equal(2, await hatch.Segments.CountAsync());
        await ScalarAsync<int>("WITH a AS (UPDATE narralytica_cross_tenant_audits SET expires_at = now() - interval '1 second' WHERE id = $1 RETURNING 1) SELECT count(*)::int FROM a", hatch.AuditId);
        Assert.Equal(0, await hatch.Segments.CountAsync());
    }

    [Fact]
    public async Task Writes_through_the_hatch_are_refused()
    {
        var hatch = Reader.AcrossTenants("test: try to write through the hatch");
        var update = await Assert.ThrowsAnyAsync<PostgresException>(() => hatch.Segments.Set(s => s.Text, "rewritten").UpdateAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, update.SqlState); // the readers hold SELECT only
        var delete = await Assert.ThrowsAnyAsync<PostgresException>(() => hatch.Jobs.DeleteAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, delete.SqlState);
        var insert = await Assert.ThrowsAnyAsync<PostgresException>(() => hatch.Speakers
            .Where(s => s.Id == A.Speaker.Id)
            .InsertAsync(Reader.GetTable<Speaker>(), s => new Speaker { TenantId = s.TenantId, Id = Guid.CreateVersion7(), Label = "COPY", Metadata = "{}" }));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, insert.SqlState);

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM segments WHERE text = 'rewritten'"));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM jobs"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM speakers WHERE label = 'COPY'"));
    }

    [Fact]
    public async Task A_scope_still_sees_only_its_tenant_after_the_hatch_in_the_same_transaction()
    {
        await using var transaction = await Reader.BeginTransactionAsync();
        var hatch = Reader.AcrossTenants("test: compare one tenant with every tenant");
        Assert.Equal(2, await hatch.Segments.CountAsync());
        var scope = Reader.ForTenant(B.Scope.TenantId);
        Assert.Equal(B.Segment.Id, (await scope.Segments.SingleAsync()).Id);
        Assert.Null(await scope.FindSegmentAsync(A.Segment.Id));
        await transaction.CommitAsync();
    }
}
