using System;
using System.IO;
using System.Threading.Tasks;

namespace Narralytica.Tests.Infrastructure;

/// <summary>Runs the `narralytica` command in-process and captures its exit code, stdout and stderr.</summary>
public static class CommandLine
{
    private static readonly System.Threading.SemaphoreSlim ConsoleLock = new(1, 1);

    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        // Console is process-wide: one command at a time, whatever test class runs it.
        await ConsoleLock.WaitAsync();
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = await Narralytica.Cli.Program.Main(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            ConsoleLock.Release();
        }
    }
}
