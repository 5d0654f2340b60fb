using System;
using System.Threading.Tasks;
using Narralytica.Tests.Attacks;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Citus;

/// <summary>
/// The check both bulk statements of the Citus forms must pass: with no policy on the write (row-level security off
/// on <c>segments</c>, as during Citus' COPY), a statement that takes <c>tenant_id</c> from the verified proof still
/// writes only the proven tenant's rows, and nothing without a proof or with a forged one.
/// </summary>
internal static class ProvenTenantBulkWrites
{
    /// <summary>
    /// Runs <paramref name="write"/> (rows of a transcript from an ordinal; returns the rows written) as the app's login:
    /// as B into B's transcript, as B into A's, with no proof, and with a proof signed by a key of the caller's own.
    /// </summary>
    public static async Task AssertOnlyTheProvenTenantAsync(PostgresFixture postgres, int rowsPerWrite, int firstOrdinal,
        Func<NpgsqlConnection, Guid, int, Task<int>> write)
    {
        await using var run = await AttackRun.StartAsync(await CitusFormAttackTests.CreateAsync(postgres));
        await using (var admin = new NpgsqlConnection(run.AdminConnectionString))
        {
            await admin.OpenAsync();
            await AttackRun.ExecuteAsync(admin, "ALTER TABLE segments DISABLE ROW LEVEL SECURITY");
        }
        var victimBefore = await run.VictimRowsAsync("segments");
        int Ordinal(int attempt) => firstOrdinal + attempt * rowsPerWrite;

        // B's proof: the rows are B's, whatever the caller meant; A's transcript does not exist under B.
        var written = await run.AsAppAsync(run.TenantB, connection => write(connection, run.B.Transcript.Id, Ordinal(0)));
        var ofB = await run.AdminScalarAsync<long>("SELECT count(*) FROM segments WHERE tenant_id = $1 AND ordinal >= $2 AND ordinal < $3",
            run.TenantB, Ordinal(0), Ordinal(1));
        var crossing = await AttackRun.RefusedAsync(() => run.AsAppAsync(run.TenantB, connection => write(connection, run.A.Transcript.Id, Ordinal(1))),
            PostgresErrorCodes.ForeignKeyViolation);

        // No proof, or one signed with a key of the caller's own: no tenant, and tenant_id's NOT NULL refuses the rows.
        var none = await AttackRun.RefusedAsync(() => run.AsAppAsync(null, connection => write(connection, run.A.Transcript.Id, Ordinal(2))),
            PostgresErrorCodes.NotNullViolation);
        var forged = await AttackRun.RefusedAsync(() => run.AsAppAsync(null, async connection =>
        {
            var proof = TestTenantKey.Proof(run.TenantA, secret: System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            await AttackRun.ScalarAsync<string>(connection, $"SELECT set_config('{Narralytica.Runtime.TenantContext.TenantProofSetting}', $1, true)", proof);
            return await write(connection, run.A.Transcript.Id, Ordinal(3));
        }), PostgresErrorCodes.NotNullViolation);

        Assert.Equal(rowsPerWrite, written);
        Assert.Equal(rowsPerWrite, ofB);
        Assert.Equal(victimBefore, await run.VictimRowsAsync("segments"));
        Assert.Contains("23503", crossing);
        Assert.Contains("23502", none);
        Assert.Contains("23502", forged);
    }
}
