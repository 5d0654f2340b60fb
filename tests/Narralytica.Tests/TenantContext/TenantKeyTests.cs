using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.TenantContext;

/// <summary>
/// The key a data source signs its tenants' proofs with: made by <c>narralytica tenant-key new</c>, installed by the owner,
/// accepted until it is retired; two keys for a rotation; none, and a tenant scope says how to get one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TenantKeyTests : AppRoleTest
{
    public TenantKeyTests(PostgresFixture postgres) : base(postgres) { }

    private async Task<long> SegmentsOfASeenWithAsync(params TenantKey[] keys)
    {
        await using var dataSource = NarralyticaDb.CreateDataSource(AsApp(ConnectionString), keys);
        await using var db = new NarralyticaDb(dataSource);
        return await db.ForTenant(A.Scope.TenantId).Segments.LongCountAsync();
    }

    private static async Task<JsonElement> CommandAsync(params string[] args)
    {
        var (exit, output, errors) = await Infrastructure.CommandLine.RunAsync(args.Append("--json").ToArray());
        Assert.True(exit == 0, errors);
        using var json = JsonDocument.Parse(output);
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task A_key_made_by_tenant_key_new_and_installed_by_the_owner_is_accepted_until_it_is_retired()
    {
        var key = await CommandAsync("tenant-key", "new", "--days", "2");
        var (id, secret) = (key.GetProperty("id").GetString()!, key.GetProperty("secret").GetString()!);
        var tenantKey = TenantKey.FromBase64(id, secret);
        Assert.Equal(0, await SegmentsOfASeenWithAsync(tenantKey)); // not installed yet

        await PostgresFixture.ExecuteAsync(ConnectionString, key.GetProperty("install").GetString()!);
        var seen = await SegmentsOfASeenWithAsync(tenantKey);
        Assert.True(seen > 0);

        var retire = await CommandAsync("tenant-key", "retire", id);
        await PostgresFixture.ExecuteAsync(ConnectionString, retire.GetProperty("retire").GetString()!);
        Assert.Equal(0, await SegmentsOfASeenWithAsync(tenantKey));
    }

    [Fact]
    public async Task Of_two_keys_the_newest_that_is_active_signs()
    {
        var notInstalled = new TenantKey("not-installed", new byte[32]);
        var later = new TenantKey(notInstalled.Id, new byte[32], DateTimeOffset.UtcNow.AddHours(1));
        var earlier = new TenantKey(notInstalled.Id, new byte[32], DateTimeOffset.UtcNow.AddHours(-1));
        Assert.True(await SegmentsOfASeenWithAsync(TestTenantKey.Key, later) > 0); // the test key signs until the new one starts
        Assert.Equal(0, await SegmentsOfASeenWithAsync(TestTenantKey.Key, earlier)); // the new one signs, and the database does not know it
    }

    [Fact]
    public async Task A_data_source_without_a_key_reaches_global_tables_and_says_how_to_get_one_for_a_tenant()
    {
        await using var dataSource = NarralyticaDb.CreateDataSource(AsApp(ConnectionString));
        await using var db = new NarralyticaDb(dataSource);
        Assert.True(await db.Tenants.LongCountAsync() >= 2);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.ForTenant(A.Scope.TenantId).Segments.LongCountAsync());
        Assert.Contains("no tenant key", error.Message);
        Assert.Contains("narralytica tenant-key new", error.Message);
        var helper = await Assert.ThrowsAsync<InvalidOperationException>(() => db.ForTenant(A.Scope.TenantId).TranscriptSegmentsAsync(A.Transcript.Id));
        Assert.Contains("no tenant key", helper.Message);
    }

    [Fact]
    public void A_key_refuses_an_id_the_database_would_refuse_and_a_short_secret()
    {
        Assert.Contains("1 to 64 letters", Assert.Throws<ArgumentException>(() => new TenantKey("a.b", new byte[32])).Message);
        Assert.Contains("at least 32", Assert.Throws<ArgumentException>(() => new TenantKey("short", new byte[16])).Message);
        Assert.Contains("not base64", Assert.Throws<ArgumentException>(() => TenantKey.FromBase64("k", "not base64!")).Message);
        Assert.DoesNotContain("AAAA", new TenantKey("k", new byte[32]).ToString());
    }
}
