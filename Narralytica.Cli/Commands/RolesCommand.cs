using System;
using System.Threading.Tasks;
using Narralytica.Cli.Roles;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// <c>narralytica roles create</c>: the owner role (runs the migrations) and the application role (reads
/// and writes rows, nothing more), with LOGIN, on a server where the connecting user may create roles.
/// Passwords come from options or, to keep them out of shell history, from environment variables.
/// </summary>
public static class RolesCommand
{
    public const string OwnerPasswordVariable = "NARRALYTICA_OWNER_PASSWORD";
    public const string AppPasswordVariable = "NARRALYTICA_APP_PASSWORD";

    public static async Task<int> CreateAsync(Arguments arguments)
    {
        var connectionOption = arguments.Option("--connection");
        var appPassword = arguments.Option("--app-password") ?? Environment.GetEnvironmentVariable(AppPasswordVariable);
        var ownerPassword = arguments.Option("--owner-password") ?? Environment.GetEnvironmentVariable(OwnerPasswordVariable);
        arguments.EnsureAllUsed();

        await using var target = await DatabaseTarget.OpenExistingAsync(connectionOption, "roles create");
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        Console.WriteLine($"Roles on {target.Description}:");
        foreach (var line in await RoleSetup.CreateOrUpdateAsync(connection, NullIfEmpty(ownerPassword), NullIfEmpty(appPassword)))
            Console.WriteLine("  " + line);
        Console.WriteLine($"Apply migrations as {DatabaseRoles.Owner} (they grant {DatabaseRoles.App} its privileges); connect the application as {DatabaseRoles.App}.");
        return ExitCodes.Ok;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
