using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Cli.Commands;

/// <summary>
/// The handlers <c>narralytica worker</c> runs: small, real jobs that write an event row in the job's tenant, in the
/// transaction that completes the job.
/// <list type="bullet">
/// <item><c>sample.note</c>: writes the event at once.</item>
/// <item><c>sample.sleep</c>: waits <c>{"ms": …}</c> milliseconds (200 by default), then writes it; stops when the worker drains.</item>
/// <item><c>sample.flaky</c>: fails its first <c>{"failures": …}</c> attempts (1 by default), then writes it.</item>
/// </list>
/// </summary>
public static class SampleJobHandlers
{
    public const string Note = "sample.note";
    public const string Sleep = "sample.sleep";
    public const string Flaky = "sample.flaky";

    public static IReadOnlyDictionary<string, JobHandler> All { get; } = new Dictionary<string, JobHandler>
    {
        [Note] = WriteEventAsync,
        [Sleep] = async context =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Number(context.Job.Payload, "ms", 200)), context.CancellationToken);
            await WriteEventAsync(context);
        },
        [Flaky] = async context =>
        {
            var failures = Number(context.Job.Payload, "failures", 1);
            if (context.Job.Attempt <= failures)
                throw new InvalidOperationException($"attempt {context.Job.Attempt} failed on purpose ({failures} planned)");
            await WriteEventAsync(context);
        },
    };

    private static async Task WriteEventAsync(JobContext context)
        => await context.Scope.InsertAsync(new EventLog
        {
            EventType = context.Job.Kind + ".done",
            TargetType = "job",
            TargetId = context.Job.Id,
            Payload = JsonSerializer.Serialize(new { attempt = context.Job.Attempt, worker = context.Job.Owner }),
        }, context.CancellationToken);

    private static int Number(string payload, string name, int fallback)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value) && value.TryGetInt32(out var number)
            ? number
            : fallback;
    }
}
