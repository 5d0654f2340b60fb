using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Cli.Roles;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// <c>narralytica roles create</c>: the owner role (runs the migrations) and one role per caller's lane (requests,
/// control plane, workers, readers: rows, nothing more), with LOGIN, on a server where the connecting user may create
/// roles. Passwords come from options or, to keep them out of shell history, from environment variables.
/// </summary>
public static class RolesCommand
{
    public const string OwnerPasswordVariable = "NARRALYTICA_OWNER_PASSWORD";
    public const string AppPasswordVariable = "NARRALYTICA_APP_PASSWORD";
    public const string ControlPasswordVariable = "NARRALYTICA_CONTROL_PASSWORD";
    public const string WorkerPasswordVariable = "NARRALYTICA_WORKER_PASSWORD";
    public const string ReaderPasswordVariable = "NARRALYTICA_READER_PASSWORD";
    public const string StreamPasswordVariable = "NARRALYTICA_STREAM_PASSWORD";

    public static async Task<int> CreateAsync(RolesCreateOptions options, CancellationToken cancellationToken)
    {
        var appPassword = options.AppPassword ?? Environment.GetEnvironmentVariable(AppPasswordVariable);
        var ownerPassword = options.OwnerPassword ?? Environment.GetEnvironmentVariable(OwnerPasswordVariable);
        if (NullIfEmpty(options.StreamLogin) is { } named)
            StreamLoginSetup.RequireOwnName(named);

        await using var target = await DatabaseTarget.OpenExistingAsync(options.Connection, "roles create");
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        Console.WriteLine($"Roles on {target.Description}:");
        var passwords = new RolePasswords(NullIfEmpty(ownerPassword), NullIfEmpty(appPassword))
        {
            Control = NullIfEmpty(options.ControlPassword ?? Environment.GetEnvironmentVariable(ControlPasswordVariable)),
            Worker = NullIfEmpty(options.WorkerPassword ?? Environment.GetEnvironmentVariable(WorkerPasswordVariable)),
            Reader = NullIfEmpty(options.ReaderPassword ?? Environment.GetEnvironmentVariable(ReaderPasswordVariable)),
        };
        var actions = new List<string>(await RoleSetup.CreateOrUpdateAsync(connection, passwords));
        actions.AddRange(await RequestTimeoutSetup.ApplyAsync(connection, options.Timeouts));
        actions.AddRange(await SessionGuardSetup.ApplyAsync(connection));
        if (NullIfEmpty(options.StreamLogin) is { } streamLogin)
            actions.AddRange(await StreamLoginSetup.CreateOrUpdateAsync(connection, streamLogin,
                NullIfEmpty(options.StreamPassword ?? Environment.GetEnvironmentVariable(StreamPasswordVariable))));
        foreach (var line in actions)
            Console.WriteLine("  " + line);
        if (options.Json)
            CliOutput.WriteJson(new { actions });
        Console.WriteLine($"Apply migrations as {DatabaseRoles.Owner} (they grant each lane its privileges); connect tenant requests as {DatabaseRoles.App}, " +
                          $"the control plane as {DatabaseRoles.Control}, workers as {DatabaseRoles.Worker} and derived systems as {DatabaseRoles.Reader}" +
                          (NullIfEmpty(options.StreamLogin) is { } login ? $" (their change streams as {login})." : "."));
        return ExitCodes.Ok;
    }

    /// <summary>A timeout option of <c>roles create</c>: 0 (none), or a duration such as 500ms, 5s or 2m.</summary>
    public static TimeSpan ParseTimeout(string option, string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text.Trim(), @"^(\d{1,10})(ms|s|m|min)?$");
        if (match.Success && (match.Groups[2].Success || long.Parse(match.Groups[1].Value) == 0))
        {
            var n = long.Parse(match.Groups[1].Value);
            var duration = match.Groups[2].Value switch { "ms" => TimeSpan.FromMilliseconds(n), "s" => TimeSpan.FromSeconds(n), _ => TimeSpan.FromMinutes(n) };
            // PostgreSQL keeps these settings in milliseconds, in a 32-bit integer.
            if (duration.TotalMilliseconds <= int.MaxValue)
                return duration;
        }
        throw new CliError($"{option} {text}: write 0 (no limit) or a duration such as 500ms, 5s or 2m, at most 24 days.", ErrorCodes.Usage);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
