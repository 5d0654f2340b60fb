using System;
using System.Data;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime.Streams;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Streams;

/// <summary>
/// The stream's snapshot is read on the readers' lane, as the stream login: under an audit row that records who read
/// every tenant and why, written before the snapshot is taken (the read policy looks it up inside the snapshot) and
/// committed on its own (no rollback of the read erases it).
/// </summary>
public sealed class StreamSnapshotAuditTests : StreamTest
{
    public StreamSnapshotAuditTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task The_snapshot_reads_every_tenant_under_an_audit_row_that_a_rollback_does_not_erase()
    {
        var a = await NewTenantAsync("audit-a");
        var b = await NewTenantAsync("audit-b");
        await Db.ForTenant(a.Id).InsertAsync(new Video { Source = VideoSource.Upload, ExternalId = "a", Title = "A", Metadata = "{}" });
        await Db.ForTenant(b.Id).InsertAsync(new Video { Source = VideoSource.Upload, ExternalId = "b", Title = "B", Metadata = "{}" });

        await using var snapshot = await StreamSnapshot.CreateSlotAsync(Options(NewSlotName()), "rebuild of the test projection");
        await using (var source = new NpgsqlConnection(StreamLoginConnectionString))
        {
            await source.OpenAsync();
            await using var read = await snapshot.BeginReadAsync(source);
            Assert.Equal(2L, await ScalarAsync(source, read, "SELECT count(DISTINCT tenant_id) FROM videos"));
            await read.RollbackAsync();
        }
        Assert.Equal($"{StreamLoginName}|rebuild of the test projection|true",
            await ExecuteAsync($"SELECT database_user || '|' || justification || '|' || (expires_at > now())::text FROM narralytica_cross_tenant_audits WHERE id = '{snapshot.AuditId}'"));

        // The same snapshot imported without the audit row sees no tenant row: the row is what opens the read.
        Assert.Equal(0L, await ReadSnapshotAsync(snapshot.SnapshotName, null));
        // And an audit row committed after the snapshot was taken opens nothing inside it: the snapshot does not see the row,
        // which is why StreamSnapshot writes it before the slot exports the snapshot.
        Guid late;
        await using (var connection = new NpgsqlConnection(StreamLoginConnectionString))
        {
            await connection.OpenAsync();
            late = (Guid)(await new NpgsqlCommand("SELECT narralytica_open_cross_tenant_read('a row written after the snapshot')", connection).ExecuteScalarAsync())!;
        }
        Assert.Equal(0L, await ReadSnapshotAsync(snapshot.SnapshotName, late));
        Assert.Equal(2L, await ReadSnapshotAsync(snapshot.SnapshotName, snapshot.AuditId));
    }

    /// <summary>Counts the tenants of videos inside the exported snapshot as the stream login, naming <paramref name="audit"/> when given.</summary>
    private async Task<long> ReadSnapshotAsync(string snapshotName, Guid? audit)
    {
        await using var connection = new NpgsqlConnection(StreamLoginConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        await using (var set = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{snapshotName}'", connection, transaction))
            await set.ExecuteNonQueryAsync();
        if (audit is { } id)
            await using (var name = new NpgsqlCommand($"CALL {Narralytica.Runtime.TenantContext.SetCrossTenantAuditProcedure}($1)", connection, transaction) { Parameters = { new NpgsqlParameter<Guid> { TypedValue = id } } })
                await name.ExecuteNonQueryAsync();
        return await ScalarAsync(connection, transaction, "SELECT count(DISTINCT tenant_id) FROM videos");
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
