using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Runtime;

/// <summary>Ways the history of a database and the migrations can disagree; each stops <c>apply</c>.</summary>
public enum MigrationConflictKind
{
    /// <summary>An applied migration's text differs from what ran (the file, or the history, was edited).</summary>
    ChecksumMismatch,

    /// <summary>The database ran a migration these migrations do not have: it is ahead of this code.</summary>
    DatabaseAhead,

    /// <summary>A migration older than the newest applied one has not run: it was merged out of order.</summary>
    OutOfOrder,
}

/// <summary>One disagreement between history and migrations, with what happened and the way out.</summary>
public sealed record MigrationConflict(MigrationConflictKind Kind, int Version, string FileName, string Message);

/// <summary>
/// An applied migration whose history row holds the checksum of an earlier text that its file now declares it amends
/// (<see cref="SchemaMigration.Amends"/>): applied, and no conflict. The history keeps the checksum of what ran.
/// </summary>
public sealed record AmendedMigration(AppliedMigration Applied, SchemaMigration Migration);

/// <summary>What a database has applied, what is pending, and whether the two agree.</summary>
public sealed class MigrationStatus
{
    private MigrationStatus(IReadOnlyList<AppliedMigration> applied, IReadOnlyList<SchemaMigration> pending, IReadOnlyList<MigrationConflict> conflicts,
        IReadOnlyList<AmendedMigration> amended)
    {
        Applied = applied;
        Pending = pending;
        Conflicts = conflicts;
        Amended = amended;
    }

    /// <summary>The history, oldest first.</summary>
    public IReadOnlyList<AppliedMigration> Applied { get; }

    /// <summary>Migrations not applied yet, oldest first.</summary>
    public IReadOnlyList<SchemaMigration> Pending { get; }

    /// <summary>Every disagreement between history and migrations; apply refuses while there is one.</summary>
    public IReadOnlyList<MigrationConflict> Conflicts { get; }

    /// <summary>The applied migrations that ran as an earlier text their file declares it amends, oldest first.</summary>
    public IReadOnlyList<AmendedMigration> Amended { get; }

    /// <summary>True when everything is applied and history agrees with the migrations.</summary>
    public bool IsUpToDate => Pending.Count == 0 && Conflicts.Count == 0;

    /// <summary>Compares a database's history with the migrations.</summary>
    public static MigrationStatus Compare(IReadOnlyList<AppliedMigration> applied, IReadOnlyList<SchemaMigration> migrations)
    {
        var conflicts = new List<MigrationConflict>();
        var amended = new List<AmendedMigration>();
        var byVersion = migrations.ToDictionary(m => m.Version);
        foreach (var row in applied)
        {
            if (!byVersion.TryGetValue(row.Version, out var migration))
                conflicts.Add(new MigrationConflict(MigrationConflictKind.DatabaseAhead, row.Version, row.FileName,
                    $"the database has applied {row.FileName} ({row.AppliedAt:u} by {row.AppliedBy}), which these migrations do not have: the database is ahead of this code. " +
                    "Deploy a build that has the migration (never roll a database back by deleting history rows)."));
            else if (migration.Checksum == row.Checksum)
                continue;
            else if (migration.Amends.Contains(row.Checksum))
                amended.Add(new AmendedMigration(row, migration));
            else
                conflicts.Add(new MigrationConflict(MigrationConflictKind.ChecksumMismatch, row.Version, migration.FileName,
                    $"{migration.FileName} was applied with checksum {Short(row.Checksum)}, but its text now has {Short(migration.Checksum)}" +
                    (migration.Amends.Count == 0 ? "" : $" and amends only {string.Join(", ", migration.Amends.Select(Short))}") +
                    ": the file (or the history) was edited after it ran. " +
                    "Restore the file as it was applied (git log -p -- migrations/" + migration.FileName + ") and put the change in a new migration."));
        }
        var newest = applied.Count == 0 ? 0 : applied.Max(a => a.Version);
        var appliedVersions = new HashSet<int>(applied.Select(a => a.Version));
        var pending = migrations.Where(m => !appliedVersions.Contains(m.Version)).OrderBy(m => m.Version).ToList();
        foreach (var migration in pending.Where(m => m.Version < newest))
            conflicts.Add(new MigrationConflict(MigrationConflictKind.OutOfOrder, migration.Version, migration.FileName,
                $"{migration.FileName} is not applied, but the newer {applied.Last().FileName} is: it was merged out of order, and may depend on a schema this database no longer has. " +
                "Renumber it after the newest migration (git mv), then run `narralytica migrations hash`."));
        return new MigrationStatus(applied, pending, conflicts, amended);
    }

    private static string Short(string checksum) => checksum.Length > 12 ? checksum.Substring(0, 12) : checksum;
}
