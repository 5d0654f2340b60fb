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
/// A physical connection handed from one user to the next, as Npgsql's pool or PgBouncer in transaction mode does:
/// one connection in the pool and no reset on return (<c>No Reset On Close</c>, as behind PgBouncer), so whatever a
/// session kept would reach the next user. The data layer sets the tenant per transaction, so nothing does.
/// </summary>
public sealed class PooledConnectionTests : AppRoleTest
{
    public PooledConnectionTests(PostgresFixture postgres) : base(postgres) { }

    private NpgsqlDataSource OnePooledConnection() => TestTenantKey.CreateDataSource(AsApp(ConnectionString, c =>
    {
        c.MaxPoolSize = 1;
        c.NoResetOnClose = true;
    }));

    [Fact]
    public async Task A_pooled_connection_carries_no_tenant_to_its_next_user()
    {
        await using var dataSource = OnePooledConnection();
        int firstProcess;
        await using (var first = new NarralyticaDb(dataSource))
        {
            var scope = first.ForTenant(A.Scope.TenantId);
            Assert.NotNull(await scope.FindSegmentAsync(A.Segment.Id));                 // a fast path
            Assert.Equal(1, await scope.Segments.CountAsync());                         // a linq2db query
            await scope.BulkInsertAsync(new[] { new Speaker { Label = "SPEAKER_05", Metadata = "{}" } });
            await scope.InTransactionAsync(async s => await s.InsertAsync(new Speaker { Label = "SPEAKER_06", Metadata = "{}" }));
            firstProcess = await first.ExecuteAsync<int>("SELECT pg_backend_pid()");
        }

        await using (var next = new NarralyticaDb(dataSource))
        {
            Assert.Equal(firstProcess, await next.ExecuteAsync<int>("SELECT pg_backend_pid()"));
            Assert.True(string.IsNullOrEmpty(await TenantSettingAsync(next)));
            Assert.Equal(0L, await next.ExecuteAsync<long>("SELECT count(*) FROM segments"));
        }

        await using var raw = await dataSource.OpenConnectionAsync();
        Assert.Equal(firstProcess, raw.ProcessID);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM segments", raw);
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_session_setting_would_reach_the_next_user_of_the_same_connection()
    {
        // Why the tenant is never set for the session: on this pool it outlives its user.
        await using var dataSource = OnePooledConnection();
        await using (var first = await dataSource.OpenConnectionAsync())
        await using (var setForSession = new NpgsqlCommand("SELECT set_config('narralytica.tenant_proof', $1, false)", first))
        {
            setForSession.Parameters.AddWithValue(TestTenantKey.Proof(A.Scope.TenantId));
            await setForSession.ExecuteNonQueryAsync();
        }
        await using var next = await dataSource.OpenConnectionAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM segments", next);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }
}
