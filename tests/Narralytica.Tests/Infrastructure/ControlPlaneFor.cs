using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Tests.Infrastructure;

/// <summary>
/// The control plane of the database a test's connection reaches, as the control plane's role: global tables are
/// written there only. The tests' login is a superuser, which may act as <c>narralytica_control</c> from the first
/// statement (<c>-c role=…</c>). One connection per database, kept until <see cref="ReleaseAsync"/> (the tests of a
/// collection run one at a time).
/// </summary>
public static class ControlPlaneFor
{
    private static readonly ConcurrentDictionary<string, (NpgsqlDataSource Source, NarralyticaDb Db)> Connections = new();

    public static ControlPlane Control(this NarralyticaDb db)
    {
        if (db.Lane == DatabaseLane.ControlPlane)
            return db.ControlPlane;
        var builder = new NpgsqlConnectionStringBuilder(db.OpenDbConnection().ConnectionString) { Options = "-c role=narralytica_control" };
        return ForConnectionString(builder.ConnectionString);
    }

    /// <summary>The control plane on <paramref name="connectionString"/> as it is (its login and options are the control plane's).</summary>
    public static ControlPlane ForConnectionString(string connectionString)
        => Connections.GetOrAdd(connectionString, cs =>
        {
            var source = NarralyticaDb.CreateDataSource(cs, lane: DatabaseLane.ControlPlane);
            return (source, new NarralyticaDb(source));
        }).Db.ControlPlane;

    /// <summary>Closes the control-plane connections to the database of <paramref name="connectionString"/>.</summary>
    public static async Task ReleaseAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        foreach (var key in Connections.Keys.Where(k => new NpgsqlConnectionStringBuilder(k).Database == database).ToList())
            if (Connections.TryRemove(key, out var connection))
            {
                await connection.Db.DisposeAsync();
                await connection.Source.DisposeAsync();
            }
    }
}
