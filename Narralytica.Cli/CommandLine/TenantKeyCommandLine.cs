using System.CommandLine;
using Narralytica.Cli.Commands;

namespace Narralytica.Cli.CommandLine;

/// <summary><c>narralytica tenant-key new</c> and <c>retire</c>: the keys that sign tenant proofs.</summary>
public static class TenantKeyCommandLine
{
    public static Command Create()
    {
        var id = new Option<string?>("--id") { Description = "The key id [default: k<date>-<random>]", HelpName = "ID" };
        var days = new Option<int>("--days") { Description = "How many days the database accepts proofs the key signs", DefaultValueFactory = _ => 365, HelpName = "N" };
        var create = new Command("new", "Make a key that signs tenant proofs: print its id and base64 secret, the SQL that installs it (run as the owner) and how to retire one")
            { id, days };
        create.Handle(parse => new TenantKeyNewOptions(parse.GetValue(id), parse.GetValue(days), CommonOptions.Json(parse)), TenantKeyCommand.New);

        var keyId = new Argument<string>("id") { Description = "The id of the key to retire" };
        var retire = new Command("retire", "Print the SQL that retires a key now (run as the owner): proofs it signed are refused from then on") { keyId };
        retire.Handle(parse => new TenantKeyRetireOptions(parse.GetValue(keyId)!, CommonOptions.Json(parse)), TenantKeyCommand.Retire);
        return HelpText.Group("tenant-key", "The keys that sign tenant proofs (the database accepts a tenant only with one)", create, retire);
    }
}
