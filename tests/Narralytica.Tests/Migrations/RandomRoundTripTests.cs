using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Migrations;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Migrations;

/// <summary>
/// The differ's property on 200 generated schema pairs (random edits over every construct of the
/// language, renames with hints included, type changes under checks, predicates and defaults; on some, row-level
/// security flipped by <see cref="IsolationFlips"/>), with rows loaded into A first (<see cref="RowLoader"/>):
/// fresh(A) + diff(A, B) has the catalog of fresh(B) and every shared value unchanged, or refuses the rows loudly
/// where the differ warned; and diff(B, B) is empty. A failing seed is printed with
/// its edits and both schemas, to replay with <c>RandomSchemaPairs.Generate(seed)</c>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RandomRoundTripTests
{
    // 200 in every run; NARRALYTICA_ROUNDTRIP_PAIRS=5000 (say) searches deeper.
    private static readonly int Pairs = int.TryParse(System.Environment.GetEnvironmentVariable("NARRALYTICA_ROUNDTRIP_PAIRS"), out var n) && n > 0 ? n : 200;

    private readonly PostgresFixture _postgres;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public RandomRoundTripTests(PostgresFixture postgres, Xunit.Abstractions.ITestOutputHelper output) => (_postgres, _output) = (postgres, output);

    [Fact]
    public async Task Every_generated_pair_round_trips_on_postgresql_with_rows_loaded_first()
    {
        await using var workspace = await SchemaWorkspace.OpenAsync(_postgres);
        var failures = new List<string>();
        var refused = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var seed = 0; seed < Pairs; seed++)
        {
            var pair = RandomSchemaPairs.Generate(seed);
            var (before, after, flip) = IsolationFlips.Apply(seed, SchemaWorkspace.Compile(pair.Before), SchemaWorkspace.Compile(pair.After));
            var outcome = await RoundTrip.CheckWithRowsAsync(workspace, before, after, rowsSeed: seed);
            if (outcome.RefusedOnRows)
                refused++;
            if (outcome.Failure is not null)
                failures.Add($"seed {seed}: {string.Join("; ", pair.Edits.Append(flip).OfType<string>())}\n{outcome.Failure}\n--- A ---\n{pair.Before}\n--- B ---\n{pair.After}");
        }
        _output.WriteLine($"{Pairs} pairs in {clock.Elapsed.TotalSeconds:0.0} s: {Pairs - refused - failures.Count} migrated their rows, {refused} refused them loudly as warned, {failures.Count} failed");
        Assert.True(failures.Count == 0, $"{failures.Count} of {Pairs} pairs failed:\n\n" + string.Join("\n\n", failures.Take(3)));
        // Rows that every migration refuses would prove nothing about migrating data.
        Assert.True(refused < Pairs / 2, $"{refused} of {Pairs} pairs refused their rows");
    }

    [Fact]
    public void The_statement_lint_never_flags_more_than_the_differ_accepted_on_any_pair()
    {
        var failures = new List<string>();
        for (var seed = 0; seed < Pairs; seed++)
        {
            var pair = RandomSchemaPairs.Generate(seed);
            var (before, after, _) = IsolationFlips.Apply(seed, SchemaWorkspace.Compile(pair.Before), SchemaWorkspace.Compile(pair.After));
            var plan = SchemaDiffer.Diff(before, after);
            foreach (var stage in plan.Stages)
            {
                var text = MigrationFile.Render("0002_x.sql", plan.Changes, plan.StatementsOf(stage), stage != MigrationStage.Concurrent, plan.Findings.ToList());
                var file = MigrationFile.Read("0002_x.sql", text);
                failures.AddRange(StatementLint.Lint(file).Where(f => !file.Allowed.Contains(f.Rule.Category))
                    .Select(f => $"seed {seed} ({string.Join("; ", pair.Edits)}): {f.Rule.Id} at line {f.Line}: {f.Message}"));
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
    }
}
