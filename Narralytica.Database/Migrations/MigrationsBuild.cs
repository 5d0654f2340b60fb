using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Database.Drift;
using Narralytica.Database.Scratch;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Model;
using Npgsql;

namespace Narralytica.Database.Migrations;

/// <summary>
/// What the migrations themselves build, as opposed to what their snapshot says they build: the migrations are
/// applied by <see cref="SchemaMigrator"/> to a scratch database, and that database is compared with a model by
/// <see cref="SchemaDrift"/>, PostgreSQL's re-print on both sides. A hand edit of a migration, or a snapshot left
/// behind by deleting a migration, shows up as a difference.
/// </summary>
public static class MigrationsBuild
{
    /// <summary>A scratch database on the server of <paramref name="serverConnectionString"/> holding what <paramref name="migrations"/> build.</summary>
    public static async Task<ScratchDatabase> BuildAsync(string serverConnectionString, IReadOnlyList<SchemaMigration> migrations, CancellationToken cancellationToken = default)
    {
        var scratch = await ScratchDatabase.CreateAsync(serverConnectionString, cancellationToken);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(scratch.ConnectionString);
            await new SchemaMigrator(dataSource, migrations).ApplyAsync(null, cancellationToken);
            return scratch;
        }
        catch
        {
            await scratch.DisposeAsync();
            throw;
        }
    }

    /// <summary>How the schema <paramref name="migrations"/> build differs from <paramref name="snapshot"/>; no drift when they agree.</summary>
    public static async Task<DriftReport> CompareWithSnapshotAsync(string serverConnectionString, IReadOnlyList<SchemaMigration> migrations, SchemaModel snapshot,
        CancellationToken cancellationToken = default)
    {
        await using var scratch = await BuildAsync(serverConnectionString, migrations, cancellationToken);
        await using var connection = new NpgsqlConnection(scratch.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await SchemaDrift.CompareAsync(connection, snapshot);
    }
}
