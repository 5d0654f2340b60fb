using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using LinqToDB.Async;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Tests.Attacks;

public static partial class AttackCatalogue
{
    private const string InjectionGoal = "inject SQL";

    /// <summary>Strings that would change the statement if they were pasted into its text.</summary>
    private static string[] Payloads(AttackRun run) => new[]
    {
        "summary' OR '1'='1",
        "summary'; DELETE FROM layers; --",
        "summary' UNION ALL SELECT * FROM layers --",
        $"x'); SELECT set_config('narralytica.tenant_id', '{run.TenantA}', false); --",
        "summary\\' OR 1=1 --",
    };

    private static IEnumerable<Attack> Injection()
    {
        yield return new Attack("inject-generated-helpers", InjectionGoal, Api,
            "Each payload through every string parameter of every generated helper (NarralyticaQueries.All), B's scope",
            "parameters: every value is bound ($n), never written into the SQL",
            async run =>
            {
                var before = await CountEverythingAsync(run);
                var calls = 0;
                foreach (var (method, parameter) in GeneratedStringParameters())
                {
                    foreach (var payload in Payloads(run))
                    {
                        var rows = await InvokeAsync(run, method, parameter, payload);
                        AttackRun.Expect(rows.Count == 0, $"{method.Name}({parameter.Name}: {payload}) returned {rows.Count} rows");
                        calls++;
                    }
                }
                var after = await CountEverythingAsync(run);
                AttackRun.Expect(calls > 0 && before == after, $"{calls} calls; rows {before} before, {after} after");
                return $"{calls} calls ({string.Join(", ", GeneratedStringParameters().Select(p => $"{p.Method.Name}.{p.Parameter.Name}"))}): 0 rows, nothing changed";
            });

        yield return new Attack("inject-linq-and-insert", InjectionGoal, Api,
            "Each payload as a LINQ comparison value (scope.Segments.Where(s => s.Text == payload)) and as an inserted text, read back",
            "linq2db parameters; the binary COPY and INSERT take values, not SQL",
            async run =>
            {
                var before = await CountEverythingAsync(run);
                var ordinal = 100;
                foreach (var payload in Payloads(run))
                {
                    var matched = await run.B.Scope.Segments.Where(s => s.Text == payload).ToListAsync();
                    AttackRun.Expect(matched.Count == 0, $"'{payload}' matched {matched.Count} rows");
                    var stored = new Segment { TranscriptId = run.B.Transcript.Id, Ordinal = ordinal++, StartMs = 0, EndMs = 10, Text = payload };
                    await run.B.Scope.InsertAsync(stored);
                    var read = await run.B.Scope.FindSegmentAsync(stored.Id);
                    AttackRun.Expect(read?.Text == payload, $"'{payload}' read back as '{read?.Text}'");
                }
                var after = await CountEverythingAsync(run);
                AttackRun.Expect(after == before + Payloads(run).Length, $"rows {before} before, {after} after");
                return "0 rows matched; each payload stored and read back verbatim";
            });
    }

    /// <summary>
    /// Every generated helper of the tenant scope with a string parameter, and that parameter. The helpers are extension
    /// members of TenantScope: compiled as static methods of TenantScopeTables whose first parameter is the scope.
    /// </summary>
    private static IEnumerable<(MethodInfo Method, ParameterInfo Parameter)> GeneratedStringParameters()
        => from query in NarralyticaQueries.All
           where query.Helper.StartsWith("TenantScope.", StringComparison.Ordinal)
           let method = typeof(TenantScopeTables).GetMethod(query.Helper.Substring("TenantScope.".Length))!
           from parameter in method.GetParameters()
           where parameter.ParameterType == typeof(string)
           select (method, parameter);

    /// <summary>Calls a helper as B, with <paramref name="payload"/> for one parameter and B's own ids for the others.</summary>
    private static async Task<IList> InvokeAsync(AttackRun run, MethodInfo method, ParameterInfo injected, string payload)
    {
        var arguments = method.GetParameters().Select<ParameterInfo, object>(p => p == injected ? payload : p.ParameterType switch
        {
            var t when t == typeof(TenantScope) => run.B.Scope,
            var t when t == typeof(Guid) && p.Name!.StartsWith("segment", StringComparison.Ordinal) => run.B.Segment.Id,
            var t when t == typeof(Guid) && p.Name!.StartsWith("transcript", StringComparison.Ordinal) => run.B.Transcript.Id,
            var t when t == typeof(Guid) && p.Name!.StartsWith("speaker", StringComparison.Ordinal) => run.B.Speaker.Id,
            var t when t == typeof(Guid[]) => new[] { run.B.Segment.Id },
            var t when t == typeof(int) => p.Name == "from" ? 0 : 1_000_000,
            var t when t == typeof(string) => "summary",
            var t when t == typeof(CancellationToken) => CancellationToken.None,
            var t => throw new InvalidOperationException($"{method.Name}: no argument for {p.Name} ({t.Name}); extend the attack."),
        }).ToArray();
        var task = (Task)method.Invoke(null, arguments)!;
        await task;
        return (IList)task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    /// <summary>Every row of every tenant table, as the superuser sees them.</summary>
    private static async Task<long> CountEverythingAsync(AttackRun run)
    {
        long total = 0;
        foreach (var table in AttackRun.TenantTables)
            total += await run.AdminScalarAsync<long>($"SELECT count(*) FROM {table}");
        return total;
    }
}
