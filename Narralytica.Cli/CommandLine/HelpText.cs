using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Linq;
using System.Runtime.CompilerServices;
using Narralytica.Cli.Commands;

namespace Narralytica.Cli.CommandLine;

/// <summary>
/// Help beyond the generated usage: a closing paragraph per command (exit codes, environment variables), and a
/// group or the root run without a command prints its help instead of an error.
/// </summary>
public static class HelpText
{
    private static readonly ConditionalWeakTable<Command, string> Epilogues = new();

    /// <summary>Text printed after the options in <paramref name="command"/>'s help.</summary>
    public static T WithEpilogue<T>(this T command, string text) where T : Command
    {
        Epilogues.AddOrUpdate(command, text);
        return command;
    }

    /// <summary>A command that only groups others: run alone, it prints its help and exits 1 (a command is missing).</summary>
    public static Command Group(string name, string description, params Command[] subcommands)
    {
        var group = new Command(name, description);
        foreach (var subcommand in subcommands)
            group.Subcommands.Add(subcommand);
        ShowHelpWhenRunAlone(group);
        return group;
    }

    public static void ShowHelpWhenRunAlone(Command command)
        => command.SetAction(parse =>
        {
            Print(parse);
            return ExitCodes.Error;
        });

    /// <summary>Prints the help of the command <paramref name="parse"/> ended on.</summary>
    public static void Print(ParseResult parse)
        => (parse.RootCommandResult.Command.Options.OfType<HelpOption>().First().Action as SynchronousCommandLineAction)?.Invoke(parse);

    /// <summary>Makes the root's --help print each command's epilogue after the generated help.</summary>
    public static void Configure(Command root)
    {
        var option = root.Options.OfType<HelpOption>().First();
        if (option.Action is SynchronousCommandLineAction generated)
            option.Action = new HelpWithEpilogue(generated);
    }

    private sealed class HelpWithEpilogue : SynchronousCommandLineAction
    {
        private readonly SynchronousCommandLineAction _generated;

        public HelpWithEpilogue(SynchronousCommandLineAction generated) => _generated = generated;

        public override int Invoke(ParseResult parseResult)
        {
            var exit = _generated.Invoke(parseResult);
            if (Epilogues.TryGetValue(parseResult.CommandResult.Command, out var text))
                (parseResult.InvocationConfiguration.Output ?? Console.Out).WriteLine(text.TrimEnd() + Environment.NewLine);
            return exit;
        }
    }
}
