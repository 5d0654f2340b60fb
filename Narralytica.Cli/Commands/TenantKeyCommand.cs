using System;
using System.Security.Cryptography;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Sql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// <c>narralytica tenant-key new</c> and <c>tenant-key retire</c>: the keys that sign tenant proofs. Nothing is sent to a
/// database: the command prints the key (for the application's secret store) and the SQL its database owner runs, so the
/// secret passes through no connection of this tool and no shell history.
/// </summary>
public static class TenantKeyCommand
{
    public static int New(TenantKeyNewOptions options)
    {
        if (options.ValidDays < 1)
            throw new CliError($"--days {options.ValidDays}: a key must be accepted for at least one day; give the number of days the database accepts proofs it signs.");
        var id = options.Id ?? "k" + DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        if (!TenantKey.IsValidId(id))
            throw new CliError($"--id '{id}': a key id is 1 to 64 letters, digits, '_' or '-'.");
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var install = TenantProof.InstallKey(id, secret, options.ValidDays);
        var retire = TenantProof.RetireKey(id);
        if (options.Json)
        {
            CliOutput.WriteJson(new { id, secret, validDays = options.ValidDays, install, retire });
            return ExitCodes.Ok;
        }
        Console.WriteLine($"Key id:  {id}");
        Console.WriteLine($"Secret:  {secret}");
        Console.WriteLine();
        Console.WriteLine($"1. Install it as the database owner ({DatabaseRoles.Owner}), in the schema of the tables (psql, or any client):");
        Console.WriteLine("   " + install);
        Console.WriteLine("2. Give it to the application's data source (keep the secret in a secret store, not in code):");
        Console.WriteLine($"   NarralyticaDb.CreateDataSource(connectionString, TenantKey.FromBase64(\"{id}\", secret))");
        Console.WriteLine("   For a rotation, give both keys and the new one's start: new[] { oldKey, TenantKey.FromBase64(\"" + id + "\", secret, activeFrom) }.");
        Console.WriteLine("3. Once no application signs with the old key any more, retire it (proofs it signed are refused from the next statement on):");
        Console.WriteLine("   " + TenantProof.RetireKey("<old key id>"));
        Console.WriteLine($"This key retires the same way: {retire}");
        return ExitCodes.Ok;
    }

    public static int Retire(TenantKeyRetireOptions options)
    {
        if (!TenantKey.IsValidId(options.Id))
            throw new CliError($"'{options.Id}' is not a key id (1 to 64 letters, digits, '_' or '-'); `SELECT id, expires_at FROM {TenantProof.KeyTable}` as the owner lists them.");
        var retire = TenantProof.RetireKey(options.Id);
        if (options.Json)
            CliOutput.WriteJson(new { id = options.Id, retire });
        else
        {
            Console.WriteLine($"Run as the database owner ({DatabaseRoles.Owner}); proofs signed with {options.Id} are refused from the next statement on:");
            Console.WriteLine("   " + retire);
        }
        return ExitCodes.Ok;
    }
}
