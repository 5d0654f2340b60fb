using System.CommandLine;
using System.CommandLine.Invocation;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Cli.CommandLine;

namespace Narralytica.Cli;

/// <summary>
/// <c>narralytica</c>: parses the command line (<see cref="CommandTree"/>), reports a line that does not parse with the
/// nearest known word, and runs the command, stopping any throwaway server it started when interrupted.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var parse = CommandTree.Create().Parse(args, CommandTree.Parsing);
        var json = args.Contains("--json");
        if (parse.Action is ParseErrorAction)
            return ParseErrors.Report(parse, json);

        using var interruption = new Interruption();
        // Signals are handled by Interruption, which knows what a command leaves running.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return await interruption.RunAsync(parse.InvokeAsync(invocation, interruption.Token), json);
    }
}
