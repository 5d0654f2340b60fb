using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Generator;

/// <summary>
/// Every file the generator writes for the repository's schema.yaml, compared with its approved copy in
/// <c>Generator/Golden</c>, so a change in the generated layer shows in review as a diff of those copies.
/// Set <see cref="AcceptVariable"/>=1 to rewrite the copies from the current output, then review them with git diff.
/// </summary>
public sealed class GoldenFileTests
{
    public const string AcceptVariable = "NARRALYTICA_ACCEPT_GOLDEN";

    /// <summary>A generated file's approved copy is named after its hint name plus this, which no build compiles.</summary>
    private const string Extension = ".txt";

    private static string GoldenFolder => Path.Combine(RepositoryFiles.Root, "tests", "Narralytica.Tests", "Generator", "Golden");

    [Fact]
    public void Every_generated_file_matches_its_approved_copy()
    {
        var generated = GeneratorHarness.Run(RepositoryFiles.SchemaText).Driver.GetRunResult().Results.Single().GeneratedSources
            .ToDictionary(s => s.HintName + Extension, s => s.SourceText.ToString(), StringComparer.Ordinal);
        Assert.NotEmpty(generated);
        var approved = Directory.Exists(GoldenFolder)
            ? Directory.GetFiles(GoldenFolder, "*" + Extension).ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Accept(generated, approved.Keys);
            return;
        }

        var problems = new List<string>();
        foreach (var name in generated.Keys.Except(approved.Keys).OrderBy(n => n, StringComparer.Ordinal))
            problems.Add($"{name}: generated, but has no approved copy.");
        foreach (var name in approved.Keys.Except(generated.Keys).OrderBy(n => n, StringComparer.Ordinal))
            problems.Add($"{name}: approved, but no longer generated.");
        foreach (var (name, text) in generated.OrderBy(g => g.Key, StringComparer.Ordinal))
            if (approved.TryGetValue(name, out var expected) && expected != text)
                problems.Add($"{name}: differs from its approved copy.\n{FirstDifference(expected, text)}");

        Assert.True(problems.Count == 0,
            $"The generated sources differ from the approved copies in {GoldenFolder}:\n\n{string.Join("\n\n", problems)}\n\n" +
            $"If the change is intended, approve it: {AcceptVariable}=1 dotnet test tests/Narralytica.Tests --filter FullyQualifiedName~GoldenFileTests, " +
            "then review and commit the changed copies (git diff tests/Narralytica.Tests/Generator/Golden).");
    }

    private static void Accept(Dictionary<string, string> generated, IEnumerable<string> approved)
    {
        Directory.CreateDirectory(GoldenFolder);
        foreach (var stale in approved.Except(generated.Keys))
            File.Delete(Path.Combine(GoldenFolder, stale));
        foreach (var (name, text) in generated)
        {
            var path = Path.Combine(GoldenFolder, name);
            if (!File.Exists(path) || File.ReadAllText(path) != text)
                File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
    }

    /// <summary>The first run of differing lines, approved (-) against generated (+), after two lines of context.</summary>
    internal static string FirstDifference(string expected, string actual)
    {
        const int shown = 6;
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        var first = 0;
        while (first < want.Length && first < got.Length && want[first] == got[first])
            first++;
        // The run ends where the two files agree again (compared from the end), so unchanged lines are not listed as changed.
        var common = 0;
        while (common < want.Length - first && common < got.Length - first && want[want.Length - 1 - common] == got[got.Length - 1 - common])
            common++;
        var report = new StringBuilder($"  first difference at line {first + 1} (approved {want.Length} lines, generated {got.Length}):\n");
        for (var i = Math.Max(0, first - 2); i < first; i++)
            report.Append("    ").Append(want[i]).Append('\n');
        Append(report, "  - ", want, first, want.Length - common, shown);
        Append(report, "  + ", got, first, got.Length - common, shown);
        return report.ToString().TrimEnd('\n');
    }

    private static void Append(StringBuilder report, string marker, string[] lines, int from, int to, int most)
    {
        for (var i = from; i < Math.Min(to, from + most); i++)
            report.Append(marker).Append(lines[i]).Append('\n');
        if (to - from > most)
            report.Append(marker).Append($"… {to - from - most} more line(s)\n");
    }
}
