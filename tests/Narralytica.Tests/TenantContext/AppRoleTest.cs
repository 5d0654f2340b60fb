using System;
using System.Threading.Tasks;
using LinqToDB.Data;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Integration;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.TenantContext;

/// <summary>
/// Base of the tests that run the data layer as the application runs it: connected as <c>narralytica_app</c>
/// (<see cref="App"/>), so row-level security applies; the tests' login is a superuser, which RLS exempts, and
/// <see cref="DatabaseTest.Db"/> stays that login, to check what the application role did. Each test class gets a
/// fresh database with two tenants' rows, written through the data layer as the application role.
/// </summary>
public abstract class AppRoleTest : DatabaseTest
{
    protected AppRoleTest(PostgresFixture postgres) : base(postgres) { }

    protected NpgsqlDataSource AppDataSource { get; private set; } = null!;
    protected NarralyticaDb App { get; private set; } = null!;
    protected TenantGraph A { get; private set; } = null!;
    protected TenantGraph B { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        AppDataSource = TestTenantKey.CreateDataSource(AsApp(ConnectionString));
        App = new NarralyticaDb(AppDataSource);
        Assert.Equal("narralytica_app", await App.ExecuteAsync<string>("SELECT current_user"));
        A = await TenantGraph.CreateAsync(App, await NewTenantAsync(App, "tenant-a"));
        B = await TenantGraph.CreateAsync(App, await NewTenantAsync(App, "tenant-b"));
    }

    public override async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await AppDataSource.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary><paramref name="connectionString"/>, acting as <c>narralytica_app</c> from the first statement.</summary>
    public static string AsApp(string connectionString, Action<NpgsqlConnectionStringBuilder>? configure = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=narralytica_app" };
        configure?.Invoke(builder);
        return builder.ConnectionString;
    }

    /// <summary>The tenant the connection of <paramref name="db"/> names right now (null or empty: none).</summary>
    public static Task<string?> TenantSettingAsync(DataConnection db)
        => db.ExecuteAsync<string?>("SELECT narralytica_proven_tenant()::text");
}
