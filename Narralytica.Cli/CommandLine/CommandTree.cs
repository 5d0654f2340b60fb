using System.CommandLine;
using System.CommandLine.Help;
using System.Linq;
using Narralytica.Cli.Commands;

namespace Narralytica.Cli.CommandLine;

/// <summary>
/// Every command of <c>narralytica</c>, in one place: a new command is one line here (or in its group's file) and a
/// handler taking its typed options.
/// </summary>
public static class CommandTree
{
    /// <summary>No response files: a value starting with '@' (a password) stays a value.</summary>
    public static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    public static Command Create()
    {
        // Named, not a RootCommand (which takes the running executable's name: 'dotnet', or a test host).
        var root = new Command("narralytica", "narralytica: the Narralytica data layer's command line")
        {
            new HelpOption(),
            new VersionOption(),
            CommonOptions.JsonOption(),
            SchemaCommandLine.Create(),
            MigrationsCommandLine.Create(),
            DatabaseCommandLine.Drift(),
            DistributeCommandLine.Create(),
            DatabaseCommandLine.Roles(),
            TenantKeyCommandLine.Create(),
            DatabaseCommandLine.Demo(),
            DatabaseCommandLine.Server(),
            StreamCommandLine.Create(),
            WorkerCommandLine.Create(),
            Help(),
        };
        root.WithEpilogue(
            "Run 'narralytica <command> --help' (or 'narralytica help <command>') for a command's options.\n" +
            "Exit codes: 0 nothing wrong, or nothing to do; 1 an error; 2 a difference found (migrations check, migrations status, drift); " +
            "130 interrupted (Ctrl-C), after stopping any throwaway server.\n" +
            "Environment: NARRALYTICA_DATABASE (the server when --connection is not given), NARRALYTICA_PG_BIN (initdb and pg_ctl for a throwaway server).");
        HelpText.ShowHelpWhenRunAlone(root);
        HelpText.Configure(root);
        return root;
    }

    /// <summary><c>help [command…]</c>: the help of the root or of the named command, exit 0.</summary>
    private static Command Help()
    {
        var words = new Argument<string[]>("command") { Description = "The command to explain, e.g. migrations apply", Arity = ArgumentArity.ZeroOrMore };
        var help = new Command("help", "Print this help, or a command's: narralytica help migrations apply") { words };
        help.SetAction(parse =>
        {
            var target = parse.RootCommandResult.Command.Parse(parse.GetValue(words)!.Append("--help").ToArray(), Parsing);
            return target.Errors.Count > 0 ? ParseErrors.Report(target, json: false) : target.Invoke();
        });
        return help;
    }
}
