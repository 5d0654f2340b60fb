using System;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Integration;
using Narralytica.Schema.Sql;
using Npgsql;
using Xunit.Sdk;

namespace Narralytica.Tests.Attacks;

/// <summary>
/// The scene of one attack: a fresh database with two tenants, A (the victim) and B (the attacker), seeded
/// through the API as the application role, and the ways an attacker acting as <c>narralytica_app</c> reaches
/// the database: the data layer (<see cref="Db"/>) and hand-written SQL on its own connections, all through a login
/// that is only a member of the role. The test's own login is a superuser, which row-level security does not bind;
/// it only looks at the truth (what an attack changed) and plants what an attack needs.
/// </summary>
public sealed class AttackRun : IAsyncDisposable
{
    private AttackRun(string adminConnectionString, string appConnectionString)
    {
        // Unpooled: a pool per attack database would keep its idle connections open long after the attack.
        AdminConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false }.ConnectionString;
        AppConnectionString = appConnectionString;
        AppSource = TestTenantKey.CreateDataSource(appConnectionString);
        Db = new NarralyticaDb(AppSource);
    }

    /// <summary>The superuser's connection string (sees every row; for checking what an attack changed).</summary>
    public string AdminConnectionString { get; }

    /// <summary>
    /// The same database as <c>narralytica_app</c>: the login <see cref="AttackDatabase.AttackerLogin"/>, a member of
    /// the role and nothing else, which sets the role at connection start (<c>-c role=…</c>).
    /// </summary>
    public string AppConnectionString { get; }

    /// <summary>Connections as the application role, pooled.</summary>
    public NpgsqlDataSource AppSource { get; }

    /// <summary>The data layer, as the application runs it.</summary>
    public NarralyticaDb Db { get; }

    /// <summary>The victim's rows.</summary>
    public TenantGraph A { get; private set; } = null!;

    /// <summary>The attacker's rows, and the attacker's scope (<c>B.Scope</c>).</summary>
    public TenantGraph B { get; private set; } = null!;

    public Guid TenantA => A.Scope.TenantId;
    public Guid TenantB => B.Scope.TenantId;

    /// <summary>The tenant tables of the schema, in schema.yaml's order.</summary>
    public static string[] TenantTables { get; } = NarralyticaSchema.Tables.Where(t => t.TenantScoped).Select(t => t.Table).ToArray();

    public static async Task<AttackRun> StartAsync(string adminConnectionString)
    {
        var run = new AttackRun(adminConnectionString, LaneConnectionString(adminConnectionString, DatabaseRoles.App));
        // Sign-up is the control plane's, as its own login; the tenants' rows are written by their requests.
        await using var controlSource = NarralyticaDb.CreateDataSource(run.LaneConnectionString(DatabaseRoles.Control), lane: DatabaseLane.ControlPlane);
        await using var control = new NarralyticaDb(controlSource);
        run.A = await TenantGraph.CreateAsync(run.Db, await NewTenantAsync(control.ControlPlane, "victim"), control.ControlPlane);
        run.B = await TenantGraph.CreateAsync(run.Db, await NewTenantAsync(control.ControlPlane, "attacker"), control.ControlPlane);
        return run;
    }

    private static async Task<Tenant> NewTenantAsync(ControlPlane control, string slug)
    {
        var tenant = new Tenant { Slug = slug + "-" + Guid.NewGuid().ToString("N").Substring(0, 6), Name = slug };
        await control.InsertAsync(tenant);
        return tenant;
    }

    /// <summary>
    /// The database as <paramref name="role"/>: the login <see cref="AttackDatabase.LoginOf"/> the role, a member of
    /// it and nothing else, which sets the role at connection start (<c>-c role=…</c>).
    /// </summary>
    public string LaneConnectionString(string role) => LaneConnectionString(AdminConnectionString, role);

    private static string LaneConnectionString(string adminConnectionString, string role)
        => new NpgsqlConnectionStringBuilder(adminConnectionString)
        {
            Username = AttackDatabase.LoginOf(role), Password = AttackDatabase.AttackerPassword, Options = $"-c role={role}", Pooling = true,
        }.ConnectionString;

    /// <summary>
    /// Runs <paramref name="work"/> as <paramref name="role"/>'s login in one transaction, with <paramref name="tenant"/>
    /// set for it or none, and, when given, <paramref name="audit"/> named as its cross-tenant audit row. Committed when it returns.
    /// </summary>
    public async Task<T> AsLaneAsync<T>(string role, Guid? tenant, Func<NpgsqlConnection, Task<T>> work, Guid? audit = null)
    {
        // Unpooled: each attempt starts on a connection of its own, as a fresh caller would.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(LaneConnectionString(role)) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (tenant is { } id)
            await ScalarAsync<string>(connection, $"SELECT set_config('{Narralytica.Runtime.TenantContext.TenantSetting}', $1, true)", id.ToString());
        if (audit is { } auditId)
            await ScalarAsync<string>(connection, $"SELECT set_config('{Narralytica.Runtime.TenantContext.CrossTenantAuditSetting}', $1, true)", auditId.ToString());
        var result = await work(connection);
        await transaction.CommitAsync();
        return result;
    }

    /// <summary>A statement as <paramref name="role"/>, with <paramref name="tenant"/> set or none; the rows it affected.</summary>
    public Task<int> LaneExecuteAsync(string role, Guid? tenant, string sql, params object[] parameters)
        => AsLaneAsync(role, tenant, connection => ExecuteAsync(connection, sql, parameters));

    /// <summary>A count as <paramref name="role"/>, with <paramref name="tenant"/> set or none, under <paramref name="audit"/> when given.</summary>
    public Task<long> LaneCountAsync(string role, Guid? tenant, Guid? audit, string sql, params object[] parameters)
        => AsLaneAsync(role, tenant, connection => ScalarAsync<long>(connection, sql, parameters), audit);

    /// <summary>An audit row opened by the readers' function as the reader's login, committed at once; its id.</summary>
    public Task<Guid> OpenReaderAuditAsync(string justification)
        => AsLaneAsync(DatabaseRoles.Reader, null, connection => ScalarAsync<Guid>(connection, "SELECT narralytica_open_cross_tenant_read($1)", justification));

    /// <summary>
    /// Runs <paramref name="work"/> as the application role in one transaction, with <paramref name="tenant"/> set
    /// for it (its signed proof, <c>set_config(…, true)</c>) or, when null, with no tenant at all. Committed when it returns.
    /// </summary>
    public async Task<T> AsAppAsync<T>(Guid? tenant, Func<NpgsqlConnection, Task<T>> work)
    {
        await using var connection = await AppSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (tenant is { } id)
            await ScalarAsync<string>(connection, $"SELECT set_config('{Narralytica.Runtime.TenantContext.TenantProofSetting}', $1, true)", TestTenantKey.Proof(id));
        var result = await work(connection);
        await transaction.CommitAsync();
        return result;
    }

    /// <summary>A count (<c>SELECT count(*) …</c>) as the application role, with <paramref name="tenant"/> set or none.</summary>
    public Task<long> CountAsync(Guid? tenant, string sql, params object[] parameters)
        => AsAppAsync(tenant, connection => ScalarAsync<long>(connection, sql, parameters));

    /// <summary>A statement as the application role, with <paramref name="tenant"/> set or none; the rows it affected.</summary>
    public Task<int> ExecuteAsync(Guid? tenant, string sql, params object[] parameters)
        => AsAppAsync(tenant, connection => ExecuteAsync(connection, sql, parameters));

    /// <summary>The truth, as the superuser sees it (row-level security does not apply to it).</summary>
    public async Task<T> AdminScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        return await ScalarAsync<T>(connection, sql, parameters);
    }

    /// <summary>How many rows tenant A has in <paramref name="table"/>, seen by the superuser.</summary>
    public Task<long> VictimRowsAsync(string table) => AdminScalarAsync<long>($"SELECT count(*) FROM {table} WHERE tenant_id = $1", TenantA);

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.AddWithValue(parameter);
        return command;
    }

    /// <summary>
    /// Runs an attempt that must be refused, and describes the refusal as observed: PostgreSQL's SQLSTATE and
    /// message, or the data layer's exception. An attempt that succeeds, or that PostgreSQL refuses for another
    /// reason than <paramref name="sqlState"/> (when given; <see cref="ScopeRefusal"/> for none), fails the attack's test.
    /// </summary>
    /// <summary>For <see cref="RefusedAsync"/>: only the tenant scope's own refusal counts, not PostgreSQL's.</summary>
    public const string ScopeRefusal = "the tenant scope";

    public static async Task<string> RefusedAsync(Func<Task> attempt, string? sqlState = null)
    {
        try
        {
            await attempt();
        }
        catch (PostgresException e) when (sqlState is null || e.SqlState == sqlState)
        {
            return $"refused: {e.SqlState} {e.MessageText}";
        }
        catch (PostgresException e)
        {
            throw new XunitException($"Refused for another reason than {sqlState}: {e.SqlState} {e.MessageText}");
        }
        catch (TenantMismatchException e)
        {
            return $"refused by the tenant scope: {nameof(TenantMismatchException)} ({e.Table})";
        }
        throw new XunitException("The attempt was not refused.");
    }

    /// <summary>Fails the attack's test when <paramref name="held"/> is false, saying what was observed.</summary>
    public static void Expect(bool held, string observed)
    {
        if (!held)
            throw new XunitException("The attack got through: " + observed);
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        await AppSource.DisposeAsync();
        // The run's database is never used again: its idle pooled connections would only count against max_connections.
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
            NpgsqlConnection.ClearPool(admin);
    }
}
