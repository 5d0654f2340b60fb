using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Database.Migrations;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;

namespace Narralytica.Cli.Commands;

/// <summary>
/// <c>migrations add | script | check | hash</c>: turn schema.yaml edits into reviewed, versioned
/// SQL files, print them, and check in CI that files, sum, snapshot and schema.yaml agree.
/// </summary>
public static class MigrationCommands
{
    public static async Task<int> AddAsync(MigrationAddOptions options, CancellationToken cancellationToken)
    {
        var (schemaPath, folder) = Locate(options.SchemaPath, options.MigrationsPath);
        var allowed = ParseAllow(options.Allow);
        var name = NormalizeName(options.Name);

        var set = folder.Read();
        if (folder.Report(set.Verify()))
            throw new CliError("The migrations folder has the problems above; fix them before adding a migration.");
        var target = SchemaFile.Load(schemaPath);
        if (options.Target is { } deployment)
            target = target with { Target = deployment };
        var (current, _) = ReadSnapshot(folder, set);
        var plan = SchemaDiffer.Diff(current, target);
        if (plan.IsEmpty)
        {
            if (options.Json)
                CliOutput.WriteJson(new { written = Array.Empty<object>(), changes = Array.Empty<string>() });
            else
                Console.WriteLine($"No changes: schema.yaml matches the migrations{(set.Migrations.Count > 0 ? $" (up to {set.Migrations.Last().FileName})" : "")}. Nothing written.");
            return ExitCodes.Ok;
        }

        // No SQL that PostgreSQL rejects reaches a migration.
        await SqlCheck.RunAsync(target, schemaPath, options.Connection);

        var refused = plan.Findings.Where(f => !allowed.Contains(f.Category)).ToList();
        if (refused.Count > 0)
        {
            foreach (var finding in refused)
                Console.Error.WriteLine($"{SchemaDisplay(schemaPath)}({finding.Span.Line},{finding.Span.Column}): error {finding.Rule.Id} ({LintCategories.Name(finding.Category)}): {finding.Message}");
            var categories = string.Join(",", plan.Categories.Select(LintCategories.Name));
            throw new CliError($"The change is unsafe ({refused.Count} finding(s) above); nothing written. Take the safer way each finding names, " +
                               $"or accept the risk with: narralytica migrations add {name} --allow {categories}", ErrorCodes.UnsafeChange,
                new { findings = refused.Select(f => new { line = f.Span.Line, column = f.Span.Column, rule = f.Rule.Id, kind = LintCategories.Name(f.Category), message = f.Message }) });
        }

        var files = PlanFiles(set, plan, name);
        var written = files.Select(f => MigrationFile.Read(f.FileName, f.Text)).ToList();
        var sum = MigrationSum.Compute(set.Migrations.Concat(written));
        var snapshot = SnapshotWriter.Write(target, new SnapshotHeader(sum.Last().FileName, sum.Last().Hash));
        folder.Write(files.Concat(new[] { (MigrationSum.FileName, MigrationSum.Render(sum)), (MigrationSet.SnapshotFileName, snapshot) }));
        if (options.Json)
        {
            CliOutput.WriteJson(new
            {
                written = written.Select(m => new { file = folder.Display(m.FileName), statements = m.Statements.Count, transactional = m.Transactional }),
                changes = plan.Changes.Select(c => c.Description),
                accepted = plan.Findings.Select(f => f.Rule.Id).Distinct(),
            });
            return ExitCodes.Ok;
        }

        foreach (var migration in written)
            Console.WriteLine($"Wrote {folder.Display(migration.FileName)}: {migration.Statements.Count} statement(s)" +
                              (migration.Transactional ? "" : ", outside a transaction"));
        foreach (var change in plan.Changes)
            Console.WriteLine("  " + change.Description);
        if (plan.Findings.Count > 0)
            Console.WriteLine($"Accepted: {string.Join(", ", plan.Findings.Select(f => f.Rule.Id).Distinct())} (recorded in the file header).");
        Console.WriteLine($"Updated {folder.Display(MigrationSum.FileName)} and {folder.Display(MigrationSet.SnapshotFileName)}. Review the SQL, then commit all of it.");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// One file per stage: enum values that later statements use are committed first, the main
    /// change runs in one transaction, concurrent index builds run last and outside a transaction.
    /// </summary>
    private static List<(string FileName, string Text)> PlanFiles(MigrationSet set, MigrationPlan plan, string name)
    {
        var stages = plan.Stages.ToList();
        var names = stages.Select((stage, i) => MigrationFile.FileNameFor(set.LastVersion + i + 1, name + stage switch
        {
            MigrationStage.EnumValues when stages.Count > 1 => "_enum_values",
            MigrationStage.Concurrent when stages.Count > 1 => "_indexes",
            _ => "",
        })).ToList();
        var files = new List<(string, string)>();
        for (var i = 0; i < stages.Count; i++)
            files.Add((names[i], MigrationFile.Render(names[i], plan.Changes, plan.StatementsOf(stages[i]), stages[i] != MigrationStage.Concurrent, plan.Findings.ToList(), names)));
        return files;
    }

    public static int Script(MigrationScriptOptions options)
    {
        var (_, folder) = Locate(options.SchemaPath, options.MigrationsPath);
        var from = options.From ?? 0;
        var set = folder.Read();
        var to = options.To ?? set.LastVersion;
        if (folder.Report(set.Verify()))
            throw new CliError("The migrations folder has the problems above; fix them first.");
        if (from > to)
            throw new CliError($"--from {from} is after --to {to}: --from is the version the database is at (0 for an empty one), --to the last migration to include.");
        if (to > set.LastVersion)
            throw new CliError($"--to {to}: the newest migration is {set.LastVersion:D4}.");

        var selected = set.Migrations.Where(m => m.Version > from && m.Version <= to).ToList();
        if (options.Json)
        {
            CliOutput.WriteJson(new { migrations = selected.Select(m => new { version = m.Version, file = m.FileName, transactional = m.Transactional, sql = m.Text.Replace("\r\n", "\n") }) });
            return ExitCodes.Ok;
        }
        // Ready for psql: each transactional migration wrapped in its own transaction.
        foreach (var migration in selected)
        {
            Console.Out.Write($"-- ───── {migration.FileName} ─────\n");
            Console.Out.Write(migration.Transactional ? "BEGIN;\n" : "-- (outside a transaction)\n");
            Console.Out.Write(migration.Text.Replace("\r\n", "\n").TrimEnd('\n') + "\n");
            Console.Out.Write(migration.Transactional ? "COMMIT;\n\n" : "\n");
        }
        return ExitCodes.Ok;
    }

    public static async Task<int> CheckAsync(MigrationCheckOptions options, CancellationToken cancellationToken)
    {
        var (schemaPath, folder) = Locate(options.SchemaPath, options.MigrationsPath);

        var set = folder.Read();
        var problems = set.Verify().Concat(UnacceptedFindings(set)).ToList();
        if (folder.Report(problems))
            throw new CliError($"{problems.Count} problem(s) in {folder.Display("")} (above).", ErrorCodes.MigrationsInvalid,
                new { problems = problems.Select(p => new { file = folder.Display(p.File), line = p.Line, rule = p.Rule.Id, message = p.Message }) });
        var target = SchemaFile.Load(schemaPath);
        var (current, _) = ReadSnapshot(folder, set);
        var plan = SchemaDiffer.Diff(current, target);
        if (!plan.IsEmpty)
        {
            Console.Error.WriteLine($"{SchemaDisplay(schemaPath)}: warning {MigrationDiagnostics.UncapturedChange.Id}: schema.yaml has changes no migration captures:");
            foreach (var change in plan.Changes)
                Console.Error.WriteLine($"  {SchemaDisplay(schemaPath)}({change.Span.Line},{change.Span.Column}): {change.Description}");
            Console.Error.WriteLine("Run `narralytica migrations add <name>` to write them as a migration. The pending SQL:");
            if (options.Json)
                CliOutput.WriteJson(new
                {
                    consistent = false,
                    uncaptured = plan.Changes.Select(c => new { line = c.Span.Line, column = c.Span.Column, change = c.Description }),
                    pendingSql = plan.Statements.Select(st => st.Sql),
                });
            else
                foreach (var statement in plan.Statements)
                    Console.Out.WriteLine(statement.Sql);
            return ExitCodes.DifferenceFound;
        }
        // The sum says the files are the ones recorded; only PostgreSQL says the snapshot is what they build.
        if (set.Migrations.Count > 0)
        {
            await using var server = await DatabaseTarget.OpenAsync(options.Connection, "narralytica_check");
            var built = await MigrationsBuild.CompareWithSnapshotAsync(server.ConnectionString, MigrationsFolder.ToSchemaMigrations(set.Migrations), current);
            if (built.HasDrift)
            {
                Console.Error.WriteLine($"{folder.Display(MigrationSet.SnapshotFileName)}: error {MigrationDiagnostics.SnapshotMismatch.Id}: the snapshot is not what the migrations build " +
                                        $"(built in a scratch database on {server.Description}); it differs in {built.Differences.Count} way(s):");
                foreach (var difference in built.Differences)
                    Console.Error.WriteLine($"  {difference.Kind,-8} {difference.What}");
                throw new CliError("A migration was edited, added or deleted by hand without its snapshot. Undo the last migration with `narralytica migrations remove`, " +
                                   "or restore the files from version control.");
            }
        }
        if (options.Json)
        {
            CliOutput.WriteJson(new { consistent = true, migrations = set.Migrations.Count });
            return ExitCodes.Ok;
        }
        Console.WriteLine($"Migrations are consistent: {set.Migrations.Count} migration(s), narralytica.sum matches, the snapshot is what the migrations build, schema.yaml has no uncaptured change.");
        return ExitCodes.Ok;
    }

    /// <summary><c>migrations remove</c>: <see cref="MigrationRemover"/>, then the folder written.</summary>
    public static async Task<int> RemoveAsync(MigrationRemoveOptions options, CancellationToken cancellationToken)
    {
        var (_, folder) = Locate(options.SchemaPath, options.MigrationsPath);
        await using var server = await DatabaseTarget.OpenAsync(options.Connection, "narralytica_remove");
        var removal = await MigrationRemover.PlanAsync(new MigrationRemovalOptions(folder.Read(), server.ConnectionString, server.IsThrowaway ? null : server.ConnectionString));
        folder.Write(removal.Written);
        folder.Delete(removal.Deleted);
        if (options.Json)
        {
            CliOutput.WriteJson(new { removed = removal.Removed.FileName, written = removal.Written.Select(w => w.FileName), checkedAgainstDatabase = removal.CheckedAgainstDatabase });
            return ExitCodes.Ok;
        }
        Console.WriteLine($"Removed {folder.Display(removal.Removed.FileName)}; " + (removal.Written.Count > 0
            ? $"{folder.Display(MigrationSum.FileName)} and {folder.Display(MigrationSet.SnapshotFileName)} are what the remaining migrations build. schema.yaml is unchanged: edit it, then add the migration again."
            : "no migration is left, and the sum and snapshot went with it."));
        if (!removal.CheckedAgainstDatabase)
            Console.WriteLine("No database was given (--connection or NARRALYTICA_DATABASE), so none was checked for having applied it: remove only a migration no database has applied.");
        return ExitCodes.Ok;
    }

    /// <summary><c>migrations baseline</c>: <see cref="MigrationBaseline"/> on the database given.</summary>
    public static async Task<int> BaselineAsync(DatabaseOptions options, CancellationToken cancellationToken)
    {
        var (schemaPath, folder) = Locate(options.SchemaPath, options.MigrationsPath);
        var schema = SchemaFile.Load(schemaPath);
        await using var target = await DatabaseTarget.OpenExistingAsync(options.Connection, "migrations baseline");
        var result = await MigrationBaseline.RunAsync(new MigrationBaselineOptions(folder.Read(), schema, target.ConnectionString));
        if (options.Json)
            CliOutput.WriteJson(new
            {
                adopted = result.Adopted,
                schema = result.Drift.Schema,
                differences = result.Drift.Differences.Select(d => new { kind = d.Kind, what = d.What }),
                recorded = result.Recorded.Select(m => m.FileName),
            });
        if (!result.Adopted)
        {
            Console.Error.WriteLine($"Not adopted: schema {result.Drift.Schema} of {target.Description} differs from schema.yaml in {result.Drift.Differences.Count} way(s):");
            foreach (var difference in result.Drift.Differences)
                Console.Error.WriteLine($"  {difference.Kind,-8} {difference.What}");
            Console.Error.WriteLine("Nothing was recorded. Bring the database to schema.yaml (`narralytica drift` prints the SQL), or schema.yaml to the database, then run the baseline again.");
            return ExitCodes.DifferenceFound;
        }
        if (!options.Json)
            Console.WriteLine($"Adopted schema {result.Drift.Schema} of {target.Description}: it matches schema.yaml, so {result.Recorded.Count} migration(s) up to " +
                              $"{result.Recorded[result.Recorded.Count - 1].FileName} are recorded as applied. Later migrations apply with `narralytica migrations apply`.");
        return ExitCodes.Ok;
    }

    public static int Hash(MigrationFolderOptions options)
    {
        var (_, folder) = Locate(options.SchemaPath, options.MigrationsPath);
        var set = folder.Read();
        if (set.Migrations.Count == 0)
            throw new CliError($"{folder.Display("")} holds no migrations; nothing to record.");
        if (set.SnapshotText is null)
            throw new CliError($"{folder.Display(MigrationSet.SnapshotFileName)} is missing; restore it from version control before recording the migrations.");
        var (model, _) = ReadSnapshot(folder, set);
        var sum = MigrationSum.Compute(set.Migrations);
        folder.Write(new[]
        {
            (MigrationSum.FileName, MigrationSum.Render(sum)),
            (MigrationSet.SnapshotFileName, SnapshotWriter.Write(model, new SnapshotHeader(sum.Last().FileName, sum.Last().Hash))),
        });
        if (options.Json)
        {
            CliOutput.WriteJson(new { recorded = sum.Count, last = sum.Last().FileName });
            return ExitCodes.Ok;
        }
        Console.WriteLine($"Recorded {sum.Count} migration(s) in {folder.Display(MigrationSum.FileName)}, up to {sum.Last().FileName}. " +
                          "The snapshot keeps its schema: if a hand-written migration changes the schema, schema.yaml and the snapshot must say the same.");
        return ExitCodes.Ok;
    }

    /// <summary>schema.yaml (--schema, or found upwards) and the migrations folder (--migrations, or next to schema.yaml).</summary>
    private static (string SchemaPath, MigrationsFolder Folder) Locate(string? schemaOption, string? migrationsOption)
    {
        var schemaPath = SchemaFile.Locate(schemaOption);
        return (schemaPath, MigrationsFolder.Locate(migrationsOption, schemaPath));
    }

    /// <summary>Statements the lint finds unsafe in a file whose header does not accept their category.</summary>
    private static IEnumerable<MigrationProblem> UnacceptedFindings(MigrationSet set)
    {
        foreach (var migration in set.Migrations)
            foreach (var finding in StatementLint.Lint(migration).Where(f => !migration.Allowed.Contains(f.Rule.Category)))
                yield return new MigrationProblem(MigrationDiagnostics.UnacceptedFinding, migration.FileName, finding.Line,
                    $"{finding.Rule.Id} ({LintCategories.Name(finding.Rule.Category)}): {finding.Message}, but the migration does not accept {LintCategories.Name(finding.Rule.Category)} changes. " +
                    $"Make the statement safe, or mark the acceptance in its header ('{MigrationFile.AllowDirective}{LintCategories.Name(finding.Rule.Category)}') and run `narralytica migrations hash`");
    }

    private static (SchemaModel, SnapshotHeader?) ReadSnapshot(MigrationsFolder folder, MigrationSet set)
    {
        try
        {
            return set.ReadSnapshot();
        }
        catch (MigrationInputException e)
        {
            throw new CliError(folder.Display(e.File) + e.Message.Substring(e.File.Length));
        }
    }

    private static HashSet<LintCategory> ParseAllow(string? text)
    {
        var allowed = new HashSet<LintCategory>();
        if (text is null)
            return allowed;
        foreach (var word in text.Split(',').Where(w => w.Trim().Length > 0))
            allowed.Add(LintCategories.Parse(word) ?? throw new CliError($"--allow {word.Trim()}: not a kind of change; write one or more of {LintCategories.AllNames}, separated by commas.", ErrorCodes.Usage));
        return allowed;
    }

    private static string NormalizeName(string? name)
    {
        if (name is null)
            throw new CliError("Name the migration: narralytica migrations add <name> (for example add_video_language).", ErrorCodes.Usage);
        var normalized = System.Text.RegularExpressions.Regex.Replace(name.Trim().ToLowerInvariant(), "[^a-z0-9]+", "_").Trim('_');
        if (normalized.Length == 0)
            throw new CliError($"'{name}' is not a usable migration name; use letters and digits, for example add_video_language.");
        return normalized.Length > 48 ? normalized.Substring(0, 48).TrimEnd('_') : normalized;
    }

    private static string SchemaDisplay(string schemaPath) => System.IO.Path.GetRelativePath(System.IO.Directory.GetCurrentDirectory(), schemaPath);
}
