using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Cli.Roles;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// <c>narralytica roles create</c>: the owner role (runs the migrations, LOGIN) and one NOLOGIN role per caller's lane
/// (requests, control plane, workers, readers: rows, nothing more), the member logins applications connect as
/// (<c>--login NAME=LANE</c>), on a server where the connecting user may create roles. Passwords come from an option
/// (the owner's) or, to keep them out of shell history, from environment variables.
/// </summary>
public static class RolesCommand
{
    public const string OwnerPasswordVariable = "NARRALYTICA_OWNER_PASSWORD";
    public const string StreamPasswordVariable = "NARRALYTICA_STREAM_PASSWORD";

    /// <summary>The variables that held the lane roles' passwords when the lane roles were logged in as; read only to say they are not any more.</summary>
    private static readonly string[] FormerLanePasswordVariables =
        { "NARRALYTICA_APP_PASSWORD", "NARRALYTICA_CONTROL_PASSWORD", "NARRALYTICA_WORKER_PASSWORD", "NARRALYTICA_READER_PASSWORD" };

    public static async Task<int> CreateAsync(RolesCreateOptions options, CancellationToken cancellationToken)
    {
        var ownerPassword = options.OwnerPassword ?? Environment.GetEnvironmentVariable(OwnerPasswordVariable);
        if (NullIfEmpty(options.StreamLogin) is { } named)
            StreamLoginSetup.RequireOwnName(named);
        var logins = options.Logins.Select(MemberLoginSetup.Parse).ToList();
        if (logins.GroupBy(l => l.Login).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new CliError($"--login {twice.Key} is given {twice.Count()} times: a member login belongs to one lane only.", ErrorCodes.Usage);
        if (logins.FirstOrDefault(l => l.Login == NullIfEmpty(options.StreamLogin)) is { Login: { } both })
            throw new CliError($"--login {both} names the --stream-login too: the stream login is a member of {StreamLogin.MemberOf} only; give the application a login of its own.", ErrorCodes.Usage);

        await using var target = await DatabaseTarget.OpenExistingAsync(options.Connection, "roles create");
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        Console.WriteLine($"Roles on {target.Description}:");
        var actions = new List<string>(await RoleSetup.CreateOrUpdateAsync(connection, NullIfEmpty(ownerPassword)));
        actions.AddRange(await SessionGuardSetup.ApplyAsync(connection));
        actions.AddRange(await LargeObjectSetup.ApplyAsync(connection));
        foreach (var (login, role) in logins)
            actions.AddRange(await MemberLoginSetup.CreateOrUpdateAsync(connection, login, role,
                NullIfEmpty(Environment.GetEnvironmentVariable(MemberLoginSetup.PasswordVariable(login))), options.Timeouts));
        var streamLogin = NullIfEmpty(options.StreamLogin);
        if (streamLogin is not null)
            actions.AddRange(await StreamLoginSetup.CreateOrUpdateAsync(connection, streamLogin,
                NullIfEmpty(options.StreamPassword ?? Environment.GetEnvironmentVariable(StreamPasswordVariable)), options.Timeouts));
        var namedLogins = logins.Select(l => l.Login).Concat(streamLogin is null ? Array.Empty<string>() : new[] { streamLogin }).ToList();
        actions.AddRange(await RequestTimeoutSetup.ReportAsync(connection, options.Timeouts, namedLogins));
        foreach (var variable in FormerLanePasswordVariables.Where(v => NullIfEmpty(Environment.GetEnvironmentVariable(v)) is not null))
            actions.Add($"note: {variable} is not read: the lane roles are NOLOGIN and have no password; give each application a member login (--login NAME=LANE, its password in {MemberLoginSetup.PasswordVariable("NAME")})");
        foreach (var line in actions)
            Console.WriteLine("  " + line);
        if (options.Json)
            CliOutput.WriteJson(new { actions });
        var connectAs = logins.Count == 0
            ? $"give each application a login of its own in its lane: roles create --login NAME=LANE ({string.Join(", ", MemberLogins.Lanes.Select(l => l.Lane))})"
            : "connect each application as its login: " + string.Join(", ", logins.Select(l => $"{l.Login} ({MemberLogins.LaneOfRole(l.Role)})"));
        Console.WriteLine($"Apply migrations as {DatabaseRoles.Owner} (they grant each lane its privileges); {connectAs}" +
                          (NullIfEmpty(options.StreamLogin) is { } stream ? $"; change streams as {stream}." : "."));
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
