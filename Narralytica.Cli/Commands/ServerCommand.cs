using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Cli.Roles;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// A PostgreSQL to try things on by hand: a throwaway server with the schema applied, the owner and the lane roles
/// created with a member login of each lane (<see cref="MemberLogins.DefaultLoginOf"/>) and a tenant key installed; it
/// prints how to connect as the owner and each lane's login and runs until Ctrl-C, which stops the server and removes its folder.
/// </summary>
public static class ServerCommand
{
    public static async Task<int> RunAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        await using var target = await DatabaseTarget.StartThrowawayAsync("narralytica", cancellationToken);
        Console.WriteLine($"Server:   {target.Description}");
        await DemoCommand.MigrateAsync(target.ConnectionString, cancellationToken);

        await using (var connection = new NpgsqlConnection(target.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await RoleSetup.CreateOrUpdateAsync(connection, null);
            foreach (var lane in DatabaseRoles.Lanes)
                await MemberLoginSetup.CreateOrUpdateAsync(connection, MemberLogins.DefaultLoginOf(lane), lane, null, SessionTimeouts.RequestDefaults);
        }
        var keyId = "dev-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using (var install = new NpgsqlConnection(target.ConnectionString))
        {
            await install.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(TenantProof.InstallKey(keyId, secret, 30), install);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        // Trust authentication on 127.0.0.1: each login logs in without a password. The lane roles are NOLOGIN: each lane is
        // reached through its member login, under the lane role's name.
        var logins = new[] { (Name: DatabaseRoles.Owner, Login: DatabaseRoles.Owner) }
            .Concat(DatabaseRoles.Lanes.Select(lane => (Name: lane, Login: MemberLogins.DefaultLoginOf(lane)))).ToArray();
        var connections = logins.ToDictionary(l => l.Name, l =>
            new NpgsqlConnectionStringBuilder(target.ConnectionString) { Username = l.Login, Password = null, Pooling = true }.ConnectionString);
        if (options.Json)
            CliOutput.WriteJson(new
            {
                server = target.Description,
                superuser = target.ConnectionString,
                connections,
                tenantKey = new { id = keyId, secret },
            });
        else
        {
            Console.WriteLine($"Key:      tenant key {keyId}, secret {secret} (valid 30 days): new TenantKey(\"{keyId}\", Convert.FromBase64String(\"{secret}\"))");
            Console.WriteLine("Connect:");
            Console.WriteLine($"  {"superuser",-20} {target.ConnectionString}");
            foreach (var (role, connectionString) in connections)
                Console.WriteLine($"  {role,-20} {connectionString}");
        }
        CliOutput.Progress("Ready: Ctrl-C stops the server and removes its folder.");
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return ExitCodes.Ok;
    }
}
