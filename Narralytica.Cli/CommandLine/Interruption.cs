using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Cli.Commands;
using Narralytica.DevServer;

namespace Narralytica.Cli.CommandLine;

/// <summary>
/// Ctrl-C (SIGINT), SIGTERM and a closed terminal (SIGHUP) while a command runs: the command is cancelled and given
/// a moment to stop on its own; then every throwaway PostgreSQL this process started is stopped and its folder removed,
/// and the process exits 128 + the signal number. A process killed outright (SIGKILL) cannot do this: its folder is
/// removed by the next start of a throwaway server (<see cref="ThrowawayFolders"/>).
/// </summary>
public sealed class Interruption : IDisposable
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource<PosixSignal> _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration[] _registrations;

    public Interruption()
        => _registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }
            .Select(signal => PosixSignalRegistration.Create(signal, OnSignal))
            .ToArray();

    public CancellationToken Token => _cancel.Token;

    private void OnSignal(PosixSignalContext context)
    {
        // Handled here: the runtime's default would end the process before the cleanup.
        context.Cancel = true;
        if (_signal.TrySetResult(context.Signal))
            _cancel.Cancel();
    }

    /// <summary>The command's exit code, or, when a signal came first, the cleanup and 128 + the signal number.</summary>
    public async Task<int> RunAsync(Task<int> command, bool json)
    {
        await Task.WhenAny(command, _signal.Task);
        if (!_signal.Task.IsCompleted)
            return await command;

        var signal = await _signal.Task;
        CliOutput.Progress($"Interrupted ({signal}): stopping…");
        await Task.WhenAny(command, Task.Delay(GracePeriod));
        foreach (var folder in await ThrowawayPostgres.StopAllAsync())
            CliOutput.Progress($"Stopped the throwaway PostgreSQL and removed {folder}.");
        CliOutput.WriteError(new CliError($"interrupted by {signal}; nothing is left running.", ErrorCodes.Interrupted), json);
        return 128 + signal switch { PosixSignal.SIGHUP => 1, PosixSignal.SIGINT => 2, _ => 15 };
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _cancel.Dispose();
    }
}
