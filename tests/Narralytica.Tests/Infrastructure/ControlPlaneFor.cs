using System.Collections.Concurrent;
using Narralytica.Model;
using Npgsql;

namespace Narralytica.Tests.Infrastructure;

/// <summary>
/// The control plane of the database a test's connection reaches, as the control plane's role: global tables are
/// written there only. The tests' login is a superuser, which may act as <c>narralytica_control</c> from the first
/// statement (<c>-c role=…</c>); one connection per database, kept for the run, as the tests of a collection run one at a time.
/// </summary>
public static class ControlPlaneFor
{
    private static readonly ConcurrentDictionary<string, NarralyticaDb> Connections = new();

    public static ControlPlane Control(this NarralyticaDb db)
    {
        if (db.Lane == DatabaseLane.ControlPlane)
            return db.ControlPlane;
        var builder = new NpgsqlConnectionStringBuilder(db.OpenDbConnection().ConnectionString) { Options = "-c role=narralytica_control" };
        return ForConnectionString(builder.ConnectionString);
    }

    /// <summary>The control plane on <paramref name="connectionString"/> as it is (its login and options are the control plane's).</summary>
    public static ControlPlane ForConnectionString(string connectionString)
        => Connections.GetOrAdd(connectionString, cs => new NarralyticaDb(NarralyticaDb.CreateDataSource(cs, lane: DatabaseLane.ControlPlane))).ControlPlane;
}
