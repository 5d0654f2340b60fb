using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// A header line <c>-- narralytica:amends &lt;checksum&gt;: &lt;why&gt;</c>: this migration's text replaces an earlier text
/// of the same file, the one whose checksum (<see cref="MigrationFile.Checksum"/>, as <c>narralytica_schema_history</c>
/// records it) is named. A database that applied the earlier text has applied this migration; its history keeps the
/// checksum of what ran. Amending is a reviewed act by hand, for a statement that fails where it should not: the new text
/// must have the same effect on a database that ran the earlier one. <c>migrations add</c> never writes the line.
/// </summary>
public sealed record MigrationAmendment(string Checksum, string Reason, int Line)
{
    private static readonly Regex Pattern = new(@"^(?<checksum>[0-9a-f]{64}):[ \t]*(?<reason>\S.*)$", RegexOptions.CultureInvariant);
    private static readonly Regex ChecksumOnly = new(@"^[0-9a-f]{64}:?[ \t]*$", RegexOptions.CultureInvariant);

    private const string Form = "write `-- narralytica:amends <checksum>: <why>`, the checksum being the SHA-256 of the earlier text " +
                                "(64 lowercase hex digits, as narralytica_schema_history.checksum records it)";

    /// <summary>
    /// Every amends line of a migration's <paramref name="lines"/>, whose first <paramref name="headerLines"/> are its
    /// header. A malformed line, or one after the header, is an error naming the file and the line.
    /// </summary>
    internal static IReadOnlyList<MigrationAmendment> ReadAll(string fileName, IReadOnlyList<string> lines, int headerLines)
    {
        var amendments = new List<MigrationAmendment>();
        var directive = MigrationFile.AmendsDirective.TrimEnd();
        for (var index = 0; index < lines.Count; index++)
        {
            var line = lines[index].TrimEnd();
            if (!line.StartsWith(directive, StringComparison.Ordinal))
                continue;
            var span = new SourceSpan(index + 1, 1);
            if (index >= headerLines)
                throw new MigrationInputException(fileName, span,
                    "has an amends line after its first statement; it is a directive of the header: move it into the comment lines at the top of the file");
            var rest = line.Substring(directive.Length).Trim();
            if (ChecksumOnly.IsMatch(rest))
                throw new MigrationInputException(fileName, span,
                    "says which text it amends but not why: " + Form + ", the reason saying what failed and why this text has the same effect");
            var match = Pattern.Match(rest);
            if (!match.Success)
                throw new MigrationInputException(fileName, span, "has an amends line that names no checksum: " + Form);
            amendments.Add(new MigrationAmendment(match.Groups["checksum"].Value, match.Groups["reason"].Value.Trim(), index + 1));
        }
        return amendments;
    }
}
