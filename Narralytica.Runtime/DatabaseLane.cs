using System.Runtime.CompilerServices;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// The caller a data source serves, each with its own database role (none a member of another): what the API offers
/// on its connections follows it, and the database holds each role to the same.
/// </summary>
public enum DatabaseLane
{
    /// <summary>Requests of one tenant (<c>narralytica_app</c>): tenant tables through <see cref="NarralyticaDb.ForTenant"/>; global tables read-only.</summary>
    Requests,

    /// <summary>The control plane (<c>narralytica_control</c>): sign-up, tenant lifecycle, role definitions; writes global tables through <see cref="NarralyticaDb.ControlPlane"/>.</summary>
    ControlPlane,

    /// <summary>Workers (<c>narralytica_worker</c>): claim queue rows of every tenant, then work inside the claimed row's tenant.</summary>
    Worker,

    /// <summary>Derived systems (<c>narralytica_reader</c>): read across tenants, audited, through <see cref="NarralyticaDb.AcrossTenants"/>.</summary>
    Reader,
}

/// <summary>The lane each data source was created for (<c>NarralyticaDb.CreateDataSource(…, lane: …)</c>); a data source made elsewhere serves requests.</summary>
internal static class DataSourceLanes
{
    private static readonly ConditionalWeakTable<NpgsqlDataSource, object> Lanes = new();

    public static void Remember(NpgsqlDataSource dataSource, DatabaseLane lane) => Lanes.AddOrUpdate(dataSource, lane);

    public static DatabaseLane Of(NpgsqlDataSource dataSource) => Lanes.TryGetValue(dataSource, out var lane) ? (DatabaseLane)lane : DatabaseLane.Requests;
}
