using System;
using System.Collections.Generic;
using System.Text;

namespace Narralytica.Tests.Attacks;

/// <summary>The Markdown table of attacks and outcomes in docs/security.md, between its two markers.</summary>
public static class AttackTable
{
    public const string Begin = "<!-- attacks: written by the test run (SecurityDocTests); edit outside these markers -->";
    public const string End = "<!-- end of attacks -->";

    public static string Render(IReadOnlyList<(Attack Attack, string Outcome)> observed)
    {
        var text = new StringBuilder();
        text.Append("| # | Goal | Through | Attempt | Stopped by | Outcome |\n");
        text.Append("|---|---|---|---|---|---|\n");
        for (var i = 0; i < observed.Count; i++)
        {
            var (attack, outcome) = observed[i];
            text.Append($"| {i + 1} | {Cell(attack.Goal)} | {attack.Through} | {Cell(attack.Attempt)} | {Cell(attack.StoppedBy)} | {Cell(outcome)} |\n");
        }
        return text.ToString();
    }

    /// <summary><paramref name="document"/> with the text between the markers replaced by <paramref name="table"/>.</summary>
    public static string Replace(string document, string table)
    {
        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
            throw new InvalidOperationException($"docs/security.md has lost its markers; put back the lines '{Begin}' and '{End}' where the table goes.");
        return document.Substring(0, begin + Begin.Length) + "\n" + table + document.Substring(end);
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
