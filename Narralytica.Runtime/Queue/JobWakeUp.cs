using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// Wakes an idle worker when a job is enqueued: a connection of its own LISTENs on the queue's channel, which every
/// enqueue notifies when its transaction commits. <see cref="WaitAsync"/> returns on a notification or after the poll
/// interval, whichever comes first, so a lost notification or a dropped connection only costs one interval.
/// </summary>
internal sealed class JobWakeUp : IAsyncDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listening;

    public JobWakeUp(NpgsqlDataSource dataSource, TimeSpan retryDelay)
    {
        _listening = Task.Run(() => ListenAsync(dataSource, retryDelay, _stop.Token));
    }

    /// <summary>Waits for a notification (one that came since the last wait counts) or <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        => await _signal.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);

    private void Signal()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every enqueue before it.
        }
    }

    private async Task ListenAsync(NpgsqlDataSource dataSource, TimeSpan retryDelay, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, _) => Signal();
                await using (var listen = new NpgsqlCommand("LISTEN " + JobQueueSql.Channel, connection))
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                // Work may have arrived while not listening.
                Signal();
                while (!stop.IsCancellationRequested)
                    await connection.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.IO.IOException or TimeoutException)
            {
                // The worker keeps polling meanwhile; listen again after a pause.
                try
                {
                    await Task.Delay(retryDelay, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _listening.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _signal.Dispose();
    }
}
