using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Database.Drift;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;
using Npgsql;

namespace Narralytica.Database.Migrations;

/// <param name="Folder">The migrations folder as read (files, sum, snapshot); verified before anything is removed.</param>
/// <param name="ScratchServer">A server where the remaining migrations are built in a scratch database (dropped after).</param>
/// <param name="DeployedDatabase">A database the migrations are applied to: removal is refused when it has applied the last one. Null: not checked.</param>
public sealed record MigrationRemovalOptions(MigrationSet Folder, string ScratchServer, string? DeployedDatabase);

/// <summary>What to do to the folder: delete <see cref="Removed"/>, write <see cref="Written"/> (the sum and the snapshot), or delete them too when no migration is left.</summary>
public sealed record MigrationRemoval(MigrationFile Removed, IReadOnlyList<(string FileName, string Text)> Written, IReadOnlyList<string> Deleted, bool CheckedAgainstDatabase);

/// <summary>
/// <c>migrations remove</c>: undoes the last migration that no database has applied. Its file goes, the sum is
/// computed again for the rest, and the snapshot becomes what the rest builds: they are applied to a scratch
/// database and the catalog read back (<see cref="SnapshotRestore"/>), then compared with that snapshot by drift, so
/// the restored snapshot is exactly what the remaining migrations build.
/// </summary>
public static class MigrationRemover
{
    public static async Task<MigrationRemoval> PlanAsync(MigrationRemovalOptions options, CancellationToken cancellationToken = default)
    {
        var set = options.Folder;
        if (set.Migrations.Count == 0)
            throw new LiveSchemaException("there is no migration to remove.");
        SchemaMigrations.EnsureVerified(set);
        var last = set.Migrations[set.Migrations.Count - 1];
        if (options.DeployedDatabase is { } deployed)
            await RefuseIfAppliedAsync(deployed, set.Migrations, last, cancellationToken);

        var rest = set.Migrations.Take(set.Migrations.Count - 1).ToList();
        if (rest.Count == 0)
            return new MigrationRemoval(last, Array.Empty<(string, string)>(), new[] { last.FileName, MigrationSum.FileName, MigrationSet.SnapshotFileName }, options.DeployedDatabase is not null);

        var (snapshot, _) = set.ReadSnapshot();
        var migrations = SchemaMigrations.From(rest);
        await using var scratch = await MigrationsBuild.BuildAsync(options.ScratchServer, migrations, cancellationToken);
        await using var connection = new NpgsqlConnection(scratch.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var restored = await SnapshotRestore.RestoreAsync(connection, snapshot, cancellationToken);
        var drift = await SchemaDrift.CompareAsync(connection, restored);
        if (drift.HasDrift)
            throw new LiveSchemaException($"the schema the migrations before {last.FileName} build cannot be written as a snapshot exactly; nothing was removed:\n" +
                                          string.Join("\n", drift.Differences.Select(d => $"  {d.Kind} {d.What}")));
        var sum = MigrationSum.Compute(rest);
        var header = new SnapshotHeader(sum[sum.Count - 1].FileName, sum[sum.Count - 1].Hash);
        return new MigrationRemoval(last,
            new[] { (MigrationSum.FileName, MigrationSum.Render(sum)), (MigrationSet.SnapshotFileName, SnapshotWriter.Write(restored, header)) },
            new[] { last.FileName }, options.DeployedDatabase is not null);
    }

    private static async Task RefuseIfAppliedAsync(string deployed, IReadOnlyList<MigrationFile> all, MigrationFile last, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(deployed);
        var status = await new SchemaMigrator(dataSource, SchemaMigrations.From(all)).StatusAsync(cancellationToken);
        if (status.Applied.Any(a => a.Version == last.Version))
            throw new LiveSchemaException($"{last.FileName} is applied to the database given; removing it would leave that database ahead of the files. " +
                                          "Keep it, and write a new migration that reverses it (edit schema.yaml back, then narralytica migrations add).");
    }
}
