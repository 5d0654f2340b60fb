using System;
using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The migrations folder as text: the migration files in version order, the sum file and the
/// snapshot. Pure (no disk access), so the command line, the generator and the tests share it.
/// </summary>
public sealed class MigrationSet
{
    public const string SnapshotFileName = "schema.snapshot.yaml";

    private MigrationSet(IReadOnlyList<MigrationFile> migrations, IReadOnlyList<MigrationProblem> fileProblems, string? sumText, string? snapshotText)
    {
        Migrations = migrations;
        FileProblems = fileProblems;
        SumText = sumText;
        SnapshotText = snapshotText;
    }

    public IReadOnlyList<MigrationFile> Migrations { get; }
    public string? SumText { get; }
    public string? SnapshotText { get; }
    private IReadOnlyList<MigrationProblem> FileProblems { get; }

    /// <summary>From the folder's files (name without directory, text); other files are ignored, a misnamed .sql file is a problem.</summary>
    public static MigrationSet From(IEnumerable<(string FileName, string Text)> files)
    {
        var migrations = new List<MigrationFile>();
        var problems = new List<MigrationProblem>();
        string? sum = null, snapshot = null;
        foreach (var (fileName, text) in files.OrderBy(f => f.FileName, StringComparer.Ordinal))
        {
            if (fileName == MigrationSum.FileName)
                sum = text;
            else if (fileName == SnapshotFileName)
                snapshot = text;
            else if (fileName.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            {
                if (MigrationFile.IsMigrationFileName(fileName))
                    migrations.Add(MigrationFile.Read(fileName, text));
                else
                    problems.Add(new MigrationProblem(MigrationDiagnostics.BadMigrationFile, fileName, null,
                        "is not named like a migration (NNNN_name.sql: at least four digits, then lowercase letters, digits and _); rename it or move it out of the migrations folder"));
            }
        }
        migrations.Sort((a, b) => a.Version != b.Version ? a.Version.CompareTo(b.Version) : string.CompareOrdinal(a.FileName, b.FileName));
        foreach (var group in migrations.GroupBy(m => m.Version).Where(g => g.Count() > 1))
            problems.Add(new MigrationProblem(MigrationDiagnostics.BadMigrationFile, group.Last().FileName, null,
                $"has the same number as {group.First().FileName} (two branches each added a migration?). Renumber the one that is not applied anywhere after the newest migration, then run `narralytica migrations hash`"));
        return new MigrationSet(migrations, problems, sum, snapshot);
    }

    public int LastVersion => Migrations.Count == 0 ? 0 : Migrations[Migrations.Count - 1].Version;

    /// <summary>The schema the migrations build, as the snapshot records it; an empty schema before the first migration.</summary>
    public (SchemaModel Model, SnapshotHeader? Header) ReadSnapshot()
    {
        if (SnapshotText is null)
            return (SchemaDiffer.Empty, null);
        var (model, header) = SnapshotReader.Read(SnapshotText, SnapshotFileName);
        return (model, header);
    }

    /// <summary>Every integrity problem: misnamed or duplicated files, a sum that does not match, a snapshot written after other migrations.</summary>
    public IReadOnlyList<MigrationProblem> Verify()
    {
        var problems = new List<MigrationProblem>(FileProblems);
        var expected = MigrationSum.Compute(Migrations);
        if (SumText is null)
        {
            if (Migrations.Count > 0)
                problems.Add(Sum(null, $"is missing but the folder holds {Migrations.Count} migration(s). Restore it from version control, or write it with `narralytica migrations hash` after reviewing every migration"));
        }
        else
        {
            IReadOnlyList<SumLine>? recorded = null;
            try { recorded = MigrationSum.Parse(SumText); }
            catch (MigrationInputException e) { problems.Add(Sum(e.Span?.Line, e.Message.Substring(e.Message.IndexOf(' ') + 1))); }
            if (recorded is not null)
                problems.AddRange(CompareSum(recorded));
        }

        if (SnapshotText is null)
        {
            if (Migrations.Count > 0)
                problems.Add(new MigrationProblem(MigrationDiagnostics.SnapshotMismatch, SnapshotFileName, null,
                    "is missing, so the schema the migrations build is unknown. Restore it from version control"));
            return problems;
        }
        try
        {
            var (_, header) = ReadSnapshot();
            var last = expected.LastOrDefault();
            if (header!.LastMigration != (last?.FileName ?? "") || header.Sum != (last?.Hash ?? ""))
                problems.Add(new MigrationProblem(MigrationDiagnostics.SnapshotMismatch, SnapshotFileName, 3,
                    $"was written after {(header.LastMigration.Length == 0 ? "no migration" : header.LastMigration)}, but the migrations now end with {last?.FileName ?? "nothing"}" +
                    (header.LastMigration == last?.FileName ? " (whose text has changed since)" : "") +
                    ". A migration was added, removed or edited without `narralytica migrations add`. Restore the folder from version control; to undo the last migration, " +
                    "use `narralytica migrations remove`, which restores the snapshot too. Run `narralytica migrations hash` only after a reviewed hand edit that leaves the schema as the snapshot says"));
        }
        catch (MigrationInputException e)
        {
            problems.Add(new MigrationProblem(MigrationDiagnostics.SnapshotMismatch, SnapshotFileName, e.Span?.Line, e.Message.Substring(e.Message.IndexOf(' ') + 1)));
        }
        return problems;
    }

    private IEnumerable<MigrationProblem> CompareSum(IReadOnlyList<SumLine> recorded)
    {
        var byName = Migrations.ToDictionary(m => m.FileName);
        var recordedNames = new HashSet<string>(recorded.Select(r => r.FileName));
        var newestRecorded = recorded.Where(r => byName.ContainsKey(r.FileName)).Select(r => byName[r.FileName].Version).DefaultIfEmpty(0).Max();
        foreach (var migration in Migrations.Where(m => !recordedNames.Contains(m.FileName)))
        {
            yield return migration.Version < newestRecorded
                ? Sum(null, $"{migration.FileName} is not recorded and is older than {recorded.Last(r => byName.ContainsKey(r.FileName)).FileName}, the newest recorded migration: " +
                            "it was merged out of order from another branch, and databases that already ran the newer ones would never run it. " +
                            $"Renumber it after {LastVersion:D4} (git mv), regenerate it against the current snapshot if it depends on the order, then run `narralytica migrations hash`")
                : Sum(null, $"{migration.FileName} is not recorded: it was not written by `narralytica migrations add`. If it is a hand-written migration you mean to keep, review it and run `narralytica migrations hash`; otherwise delete it");
        }
        foreach (var line in recorded.Where(r => !byName.ContainsKey(r.FileName)))
            yield return Sum(null, $"records {line.FileName}, which is not in the folder: a migration was deleted or renamed. Restore it (git checkout); migrations that may have run anywhere are never removed");

        // Each line is checked on its own against the line before it, so an edit is found even when
        // other files are missing or unrecorded (and recording those cannot hide it).
        var previous = "";
        foreach (var line in recorded)
        {
            if (byName.TryGetValue(line.FileName, out var migration)
                && MigrationSum.Chain(previous, migration) != line.Hash)
                yield return new MigrationProblem(MigrationDiagnostics.SumMismatch, migration.FileName, null,
                    $"{migration.FileName} was edited after it was recorded (or narralytica.sum was). Applied migrations must not change: restore it (git checkout) and put the change in a new migration. " +
                    "If it has never been applied anywhere and the edit is deliberate, run `narralytica migrations hash`");
            previous = line.Hash;
        }
        var recordedOrder = recorded.Where(r => byName.ContainsKey(r.FileName)).Select(r => r.FileName).ToList();
        var versionOrder = Migrations.Where(m => recordedNames.Contains(m.FileName)).Select(m => m.FileName).ToList();
        if (!recordedOrder.SequenceEqual(versionOrder))
            yield return Sum(null, "lists the migrations in another order than their numbers: a migration was renumbered. Restore the old numbers (git checkout); applied migrations keep their number for good");
    }

    private static MigrationProblem Sum(int? line, string message) => new(MigrationDiagnostics.SumMismatch, MigrationSum.FileName, line, message);
}
