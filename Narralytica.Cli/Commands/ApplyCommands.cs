using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// <c>migrations apply</c> and <c>migrations status</c>: the migrations folder against a live
/// database, through the data layer's <see cref="SchemaMigrator"/> (the same code an application
/// runs at start-up with the migrations compiled in).
/// </summary>
public static class ApplyCommands
{
    public static async Task<int> ApplyAsync(DatabaseOptions options, CancellationToken cancellationToken)
    {
        var json = options.Json;
        var migrations = Read(options);
        await using var target = await DatabaseTarget.OpenExistingAsync(options.Connection, "migrations apply");
        await using var dataSource = CreateDataSource(target, "narralytica migrations apply");
        var migrator = new SchemaMigrator(dataSource, migrations) { LockTimeout = options.LockTimeout };
        var applied = new List<(SchemaMigration Migration, TimeSpan Duration)>();
        var progress = new ImmediateProgress(e =>
        {
            if (e.Kind == MigrationEventKind.Applied)
                applied.Add((e.Migration!, e.Duration));
            // With --json this text goes to stderr: the progress of a long apply stays visible.
            if (e.Kind == MigrationEventKind.Starting)
                Console.Write($"  {e.Migration!.FileName} … ");
            else if (e.Kind == MigrationEventKind.Applied)
                Console.WriteLine($"done in {e.Duration.TotalMilliseconds:0} ms");
            else
                Console.WriteLine(e.Message);
        });
        Console.WriteLine($"Applying migrations to {target.Description}:");
        try
        {
            await migrator.ApplyAsync(progress, cancellationToken);
        }
        catch (Exception e) when (e is MigrationConflictException or MigrationFailedException or InvalidOperationException or NpgsqlException && !cancellationToken.IsCancellationRequested)
        {
            Console.WriteLine("failed");
            Console.Error.WriteLine("error: " + e.Message);
            if (json)
                CliOutput.WriteJson(new { applied = Applied(applied), error = new { code = ErrorCodes.MigrationFailed, message = e.Message } });
            return ExitCodes.Error;
        }
        if (json)
            CliOutput.WriteJson(new { applied = Applied(applied), upToDate = true });
        else
            Console.WriteLine(applied.Count == 0
                ? $"Nothing to apply: the database is at {migrations.LastOrDefault()?.FileName ?? "no migration"}."
                : $"Applied {applied.Count} migration(s) in {applied.Sum(a => a.Duration.TotalMilliseconds):0} ms; the database is at {applied.Last().Migration.FileName}.");
        return ExitCodes.Ok;
    }

    public static async Task<int> StatusAsync(DatabaseOptions options, CancellationToken cancellationToken)
    {
        var json = options.Json;
        var migrations = Read(options);
        await using var target = await DatabaseTarget.OpenExistingAsync(options.Connection, "migrations status");
        await using var dataSource = CreateDataSource(target, "narralytica migrations status");
        var status = await new SchemaMigrator(dataSource, migrations).StatusAsync(cancellationToken);
        if (json)
        {
            CliOutput.WriteJson(new
            {
                applied = status.Applied.Select(a => new
                {
                    version = a.Version, file = a.FileName, checksum = a.Checksum, appliedAt = a.AppliedAt, durationMs = a.DurationMs, appliedBy = a.AppliedBy,
                    amended = status.Amended.Any(m => m.Applied.Version == a.Version),
                }),
                pending = status.Pending.Select(m => new { version = m.Version, file = m.FileName, transactional = m.Transactional }),
                conflicts = status.Conflicts.Select(c => new { kind = c.Kind.ToString(), version = c.Version, file = c.FileName, message = c.Message }),
                upToDate = status.IsUpToDate,
            });
        }
        else
        {
            Console.WriteLine($"Migrations of {target.Description}:");
            foreach (var row in status.Applied)
                Console.WriteLine($"  applied  {row.FileName,-48} {row.AppliedAt:yyyy-MM-dd HH:mm:ss} UTC  {row.DurationMs,6} ms  by {row.AppliedBy}" +
                                  (status.Amended.Any(m => m.Applied.Version == row.Version)
                                      ? $"  (applied as an earlier text that this file amends, checksum {row.Checksum.Substring(0, Math.Min(12, row.Checksum.Length))})"
                                      : ""));
            foreach (var migration in status.Pending)
                Console.WriteLine($"  pending  {migration.FileName}{(migration.Transactional ? "" : " (outside a transaction)")}");
            foreach (var conflict in status.Conflicts)
                Console.Error.WriteLine($"  error: {conflict.Message}");
            Console.WriteLine(status.Conflicts.Count > 0 ? "History and migrations disagree (above); `migrations apply` refuses until that is resolved."
                : status.Pending.Count > 0 ? $"{status.Pending.Count} pending; run `narralytica migrations apply`."
                : "Up to date: every migration is applied and history agrees with the files.");
        }
        return status.Conflicts.Count > 0 ? ExitCodes.Error : status.Pending.Count > 0 ? ExitCodes.DifferenceFound : ExitCodes.Ok;
    }

    private static IReadOnlyList<SchemaMigration> Read(DatabaseOptions options)
    {
        var schemaPath = SchemaFile.Locate(options.SchemaPath);
        return MigrationsFolder.Locate(options.MigrationsPath, schemaPath).ReadVerified();
    }

    /// <summary>--lock-timeout 5s, 500ms or 2m.</summary>
    public static TimeSpan? ParseLockTimeout(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text.Trim(), @"^(\d+)(ms|s|m)$");
        if (!match.Success || long.Parse(match.Groups[1].Value) == 0)
            throw new CliError($"--lock-timeout {text}: write a duration such as 500ms, 5s or 2m.", ErrorCodes.Usage);
        var n = long.Parse(match.Groups[1].Value);
        return match.Groups[2].Value switch { "ms" => TimeSpan.FromMilliseconds(n), "s" => TimeSpan.FromSeconds(n), _ => TimeSpan.FromMinutes(n) };
    }

    private static NpgsqlDataSource CreateDataSource(DatabaseTarget target, string applicationName)
        => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(target.ConnectionString) { ApplicationName = applicationName }.ConnectionString);

    private static object Applied(List<(SchemaMigration Migration, TimeSpan Duration)> applied)
        => applied.Select(a => new { version = a.Migration.Version, file = a.Migration.FileName, durationMs = (int)a.Duration.TotalMilliseconds });

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; would post to the thread pool and scramble the lines).</summary>
    private sealed class ImmediateProgress : IProgress<MigrationEvent>
    {
        private readonly Action<MigrationEvent> _report;

        public ImmediateProgress(Action<MigrationEvent> report) => _report = report;

        public void Report(MigrationEvent value) => _report(value);
    }
}
