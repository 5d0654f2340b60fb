using System;
using System.Linq;
using System.Threading.Tasks;
using LinqToDB.Data;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.TenantContext;

/// <summary>
/// BulkInsertAsync (binary COPY) as <c>narralytica_app</c>: COPY cannot share a batch, so the tenant is set by a
/// statement of its own first, in the caller's transaction or in one the copy begins and commits itself.
/// </summary>
public sealed class BulkInsertTenantTests : AppRoleTest
{
    public BulkInsertTenantTests(PostgresFixture postgres) : base(postgres) { }

    private Segment[] NewSegments(int count, int firstOrdinal) => Enumerable.Range(firstOrdinal, count)
        .Select(i => new Segment { TranscriptId = B.Transcript.Id, Ordinal = i, StartMs = i * 1000, EndMs = i * 1000 + 900, Text = $"bulk {i}" })
        .ToArray();

    private Task<long> SegmentsOfBAsync() => ScalarAsync<long>("SELECT count(*) FROM segments WHERE tenant_id = $1", B.Scope.TenantId);

    [Fact]
    public async Task Outside_a_transaction_the_copy_runs_in_one_of_its_own_and_leaves_no_tenant()
    {
        var scope = App.ForTenant(B.Scope.TenantId);
        var before = await SegmentsOfBAsync();
        Assert.Equal(50UL, await scope.BulkInsertAsync(NewSegments(50, 100)));
        Assert.Null(App.Transaction);
        Assert.True(string.IsNullOrEmpty(await TenantSettingAsync(App)));
        Assert.Equal(before + 50, await SegmentsOfBAsync());
        Assert.Equal(50, (await scope.TranscriptSegmentsAsync(B.Transcript.Id)).Count(s => s.Text.StartsWith("bulk ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Outside_a_transaction_a_failed_copy_leaves_nothing_and_no_tenant()
    {
        var scope = App.ForTenant(B.Scope.TenantId);
        var before = await SegmentsOfBAsync();
        var rows = NewSegments(20, 200);
        rows[15].TranscriptId = A.Transcript.Id; // another tenant's transcript: the composite foreign key refuses it
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => scope.BulkInsertAsync(rows));
        Assert.True(string.IsNullOrEmpty(await TenantSettingAsync(App)));
        Assert.Equal(before, await SegmentsOfBAsync());
        Assert.Equal(20UL, await scope.BulkInsertAsync(NewSegments(20, 200))); // the connection is usable again
    }

    [Fact]
    public async Task Inside_a_transaction_the_copy_sets_the_tenant_for_it_and_commits_or_rolls_back_with_it()
    {
        var scope = App.ForTenant(B.Scope.TenantId);
        var before = await SegmentsOfBAsync();
        await using (var transaction = await App.BeginTransactionAsync())
        {
            Assert.Equal(30UL, await scope.BulkInsertAsync(NewSegments(30, 300)));
            Assert.Equal(B.Scope.TenantId.ToString(), await TenantSettingAsync(App));
            Assert.Equal(before, await SegmentsOfBAsync()); // not committed yet
            await transaction.RollbackAsync();
        }
        Assert.Equal(before, await SegmentsOfBAsync());
        Assert.True(string.IsNullOrEmpty(await TenantSettingAsync(App)));

        await scope.InTransactionAsync(async s =>
        {
            await s.BulkInsertAsync(NewSegments(30, 300));
            await s.BulkInsertAsync(NewSegments(5, 400));
            Assert.Equal(B.Scope.TenantId.ToString(), await TenantSettingAsync(App));
        });
        Assert.Equal(before + 35, await SegmentsOfBAsync());
        Assert.True(string.IsNullOrEmpty(await TenantSettingAsync(App)));
    }

    [Fact]
    public async Task A_global_table_copies_without_a_tenant()
    {
        var users = Enumerable.Range(0, 3).Select(i => new User { Email = $"bulk-{i}-{Guid.NewGuid():N}@example.test", DisplayName = "Bulk" }).ToArray();
        Assert.Equal(3UL, await App.Control().BulkInsertAsync(users));
        Assert.True(string.IsNullOrEmpty(await TenantSettingAsync(App)));
        Assert.Equal(3L, await ScalarAsync<long>("SELECT count(*) FROM users WHERE display_name = 'Bulk'"));
    }
}
