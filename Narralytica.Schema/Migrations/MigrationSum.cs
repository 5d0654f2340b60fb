using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Narralytica.Schema.Migrations;

/// <summary>One line of the sum file: a migration and the hash that covers it and every migration before it.</summary>
public sealed record SumLine(string FileName, string Hash);

/// <summary>
/// <c>narralytica.sum</c>: line N holds SHA-256(hash of line N-1, file name N, checksum of file N).
/// Editing, deleting, renumbering or reordering any migration changes its line and every line
/// after it; a migration merged below the newest recorded one has no line where it sits.
/// </summary>
public static class MigrationSum
{
    public const string FileName = "narralytica.sum";

    private const string Header =
        "# narralytica.sum: each line is a migration and a SHA-256 chained over it and every migration before it.\n" +
        "# Written by `narralytica migrations add` (or `migrations hash`); `migrations check` and `migrations apply` verify it. Do not edit.\n";

    public static IReadOnlyList<SumLine> Compute(IEnumerable<MigrationFile> migrations)
    {
        var lines = new List<SumLine>();
        var previous = "";
        foreach (var migration in migrations)
        {
            previous = Chain(previous, migration);
            lines.Add(new SumLine(migration.FileName, previous));
        }
        return lines;
    }

    /// <summary>The hash of a migration's line, given the hash of the line before it ("" for the first).</summary>
    public static string Chain(string previousHash, MigrationFile migration)
        => MigrationFile.Sha256(previousHash + "\n" + migration.FileName + "\n" + migration.Checksum);

    public static string Render(IEnumerable<SumLine> lines)
    {
        var text = new StringBuilder(Header);
        foreach (var line in lines)
            text.Append(line.FileName).Append(' ').Append(line.Hash).Append('\n');
        return text.ToString();
    }

    public static IReadOnlyList<SumLine> Parse(string text)
    {
        var lines = new List<SumLine>();
        var number = 0;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("#", System.StringComparison.Ordinal))
                continue;
            var parts = line.Split(new[] { ' ' }, System.StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || parts[1].Length != 64 || !parts[1].All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
                throw new MigrationInputException(FileName, new Model.SourceSpan(number, 1),
                    "is not '<file> <64 hex digits>'; the sum file is written by `narralytica migrations add`: restore it from version control, or rewrite it with `narralytica migrations hash`");
            lines.Add(new SumLine(parts[0], parts[1]));
        }
        return lines;
    }
}
