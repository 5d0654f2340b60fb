using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Cli;

/// <summary>
/// A real <c>narralytica server</c> process (a throwaway PostgreSQL that runs until interrupted, so the signal never
/// races the command's end): Ctrl-C (SIGINT) stops the server and removes its folder; a run killed outright (SIGKILL)
/// leaves them, and the next run removes them.
/// </summary>
[Collection(Name)]
public sealed class InterruptionTests
{
    /// <summary>Alone, after the parallel tests: a throwaway server started meanwhile by another test would remove the stale folder first.</summary>
    public const string Name = "Interruption";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Ctrl_C_stops_the_throwaway_server_and_removes_its_folder()
    {
        using var cli = CliProcess.Start();
        var (folder, postmaster) = await cli.WaitForServerAsync();
        await cli.WaitForAsync("Ready: Ctrl-C stops the server");
        await AssertConnectsAsAsync(cli.Output, "narralytica_app");

        Signal("INT", cli.Process.Id);
        Assert.True(cli.Process.WaitForExit((int)Patience.TotalMilliseconds), "the command did not exit after SIGINT");
        cli.Process.WaitForExit(); // and its stderr is read to the end
        Assert.Equal(130, cli.Process.ExitCode);
        Assert.Contains("interrupted by SIGINT", cli.Errors);
        Assert.False(Directory.Exists(folder), $"{folder} is still there");
        Assert.False(IsRunning(postmaster), $"the throwaway server (pid {postmaster}) still runs");
    }

    [Fact]
    public async Task A_folder_left_by_a_killed_run_is_removed_by_the_next_run()
    {
        string folder;
        int postmaster, killedPid;
        using (var killed = CliProcess.Start())
        {
            (folder, postmaster) = await killed.WaitForServerAsync();
            killedPid = killed.Process.Id;
            killed.Process.Kill(entireProcessTree: false); // SIGKILL: no handler runs
            killed.Process.WaitForExit();
        }
        Assert.True(Directory.Exists(folder), "a killed run cannot clean up: the folder should still be there");
        Assert.True(IsRunning(postmaster), "a killed run cannot stop its server: it should still run");

        using var next = CliProcess.Start();
        await next.WaitForServerAsync();
        Assert.Contains($"Removing a throwaway PostgreSQL left by process {killedPid}, which no longer runs: {folder}", next.Errors);
        Assert.False(Directory.Exists(folder), $"{folder} is still there");
        Assert.False(IsRunning(postmaster), $"the stale server (pid {postmaster}) still runs");
        Signal("INT", next.Process.Id);
        Assert.True(next.Process.WaitForExit((int)Patience.TotalMilliseconds));
    }

    /// <summary>
    /// The connection string the server printed for the lane role <paramref name="role"/> logs in as the lane's member
    /// login (the lane roles are NOLOGIN), which holds the role's privileges.
    /// </summary>
    private static async Task AssertConnectsAsAsync(string output, string role)
    {
        var line = output.Split('\n').Single(l => l.TrimStart().StartsWith(role + " "));
        await using var connection = new NpgsqlConnection(line.Trim().Substring(role.Length).Trim());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT current_user::text || ' ' || pg_has_role('{role}', 'USAGE')", connection);
        Assert.Equal($"{role}_login true", await command.ExecuteScalarAsync());
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", $"-{signal} {pid}");
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary><c>dotnet narralytica.dll server</c> with its stderr (the progress lines) collected as it comes.</summary>
    private sealed class CliProcess : IDisposable
    {
        private readonly ConcurrentQueue<string> _errors = new();
        private readonly ConcurrentQueue<string> _output = new();

        private CliProcess(Process process) => Process = process;

        public Process Process { get; }

        public string Errors => string.Join("\n", _errors);

        public string Output => string.Join("\n", _output);

        public static CliProcess Start()
        {
            // Through env --default-signal=INT: a process started in the background by a non-interactive shell (as CI runs
            // the tests) ignores SIGINT, and so would the CLI it starts; a terminal's Ctrl-C reaches it with the default.
            var start = new ProcessStartInfo("env")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "narralytica.dll"));
            start.ArgumentList.Add("server");
            start.Environment.Remove("NARRALYTICA_DATABASE");
            var cli = new CliProcess(new Process { StartInfo = start });
            cli.Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) cli._errors.Enqueue(e.Data); };
            cli.Process.OutputDataReceived += (_, e) => { if (e.Data is not null) cli._output.Enqueue(e.Data); };
            cli.Process.Start();
            cli.Process.BeginErrorReadLine();
            cli.Process.BeginOutputReadLine();
            return cli;
        }

        /// <summary>The server's folder and postmaster pid, once the command says the server is ready.</summary>
        public async Task<(string Folder, int Postmaster)> WaitForServerAsync()
        {
            await WaitForAsync("Starting a throwaway PostgreSQL: ready");
            var folder = Regex.Match(Errors, @"Starting a throwaway PostgreSQL in (\S+): creating").Groups[1].Value;
            Assert.True(Directory.Exists(folder), Errors);
            var postmaster = int.Parse(File.ReadLines(Path.Combine(folder, "data", "postmaster.pid")).First());
            return (folder, postmaster);
        }

        public async Task WaitForAsync(string text)
        {
            var clock = Stopwatch.StartNew();
            while (!Errors.Contains(text))
            {
                Assert.False(Process.HasExited, $"the command exited before '{text}':\n{Errors}");
                Assert.True(clock.Elapsed < Patience, $"no '{text}' after {Patience}:\n{Errors}");
                await Task.Delay(50);
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
                Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }
}

[CollectionDefinition(InterruptionTests.Name, DisableParallelization = true)]
public sealed class InterruptionCollection
{
}
