using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// One migration: <c>NNNN_name.sql</c>, plain SQL with a comment header. Three header lines are
/// directives: <c>-- narralytica:transaction none</c> (run statement by statement, outside a
/// transaction: concurrent index builds), <c>-- narralytica:allow destructive, locking</c> (the
/// safety findings its author accepted) and <c>-- narralytica:amends &lt;checksum&gt;: &lt;why&gt;</c>
/// (an earlier text of this file, which databases may have applied, that this text replaces by hand;
/// see <see cref="MigrationAmendment"/>).
/// </summary>
public sealed class MigrationFile
{
    public const string TransactionDirective = "-- narralytica:transaction none";
    public const string AllowDirective = "-- narralytica:allow ";
    public const string AmendsDirective = "-- narralytica:amends ";

    private static readonly Regex FileNamePattern = new(@"^(?<version>\d{4,})_(?<name>[a-z0-9][a-z0-9_]*)\.sql$", RegexOptions.CultureInvariant);

    private MigrationFile(string fileName, int version, string name, string text)
    {
        FileName = fileName;
        Version = version;
        Name = name;
        Text = text;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var header = lines.TakeWhile(l => l.StartsWith("--", StringComparison.Ordinal) || l.Trim().Length == 0).ToList();
        Transactional = !header.Any(l => l.Trim() == TransactionDirective);
        Allowed = header.Where(l => l.StartsWith(AllowDirective, StringComparison.Ordinal))
            .SelectMany(l => l.Substring(AllowDirective.Length).Split(','))
            .Select(LintCategories.Parse).Where(c => c is not null).Select(c => c!.Value).Distinct().OrderBy(c => c).ToList();
        Checksum = ChecksumOf(text);
        Amends = MigrationAmendment.ReadAll(fileName, lines, header.Count);
    }

    public string FileName { get; }
    public int Version { get; }

    /// <summary>The name after the number: <c>add_video_language</c>.</summary>
    public string Name { get; }

    public string Text { get; }
    public bool Transactional { get; }
    public IReadOnlyList<LintCategory> Allowed { get; }

    /// <summary>SHA-256 of the text with line endings made \n, so a checkout with CRLF does not count as an edit.</summary>
    public string Checksum { get; }

    /// <summary>
    /// The earlier texts of this file that it amends (its <c>-- narralytica:amends</c> lines): a database whose
    /// history holds one of their checksums has applied this migration. Empty for every file <c>migrations add</c> writes.
    /// </summary>
    public IReadOnlyList<MigrationAmendment> Amends { get; }

    public IReadOnlyList<SqlStatement> Statements => SqlScript.Split(Text);

    public static bool IsMigrationFileName(string fileName) => FileNamePattern.IsMatch(fileName);

    /// <summary>Reads a migration; a file name not of the form <c>NNNN_name.sql</c> is an error that says so.</summary>
    public static MigrationFile Read(string fileName, string text)
    {
        var match = FileNamePattern.Match(fileName);
        if (!match.Success)
            throw new MigrationInputException(fileName, null,
                "is not named like a migration: write NNNN_name.sql (a number of at least four digits, then lowercase letters, digits and _)");
        return new MigrationFile(fileName, int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["name"].Value, text);
    }

    public static string FileNameFor(int version, string name) => $"{version:D4}_{name}.sql";

    public static string ChecksumOf(string text) => Sha256(text.Replace("\r\n", "\n"));

    internal static string Sha256(string text)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        return string.Concat(hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// The text of a new migration: a header a reviewer reads first (what changes, what was
    /// accepted and why it is unsafe), the directives, then the statements.
    /// </summary>
    public static string Render(string fileName, IEnumerable<SchemaChange> changes, IEnumerable<string> statements, bool transactional,
        IReadOnlyCollection<LintFinding> accepted, IReadOnlyList<string>? parts = null)
    {
        var text = new StringBuilder();
        text.Append("-- Narralytica migration ").Append(fileName.Substring(0, fileName.Length - 4)).Append('\n');
        text.Append("-- Written by `narralytica migrations add` from schema.yaml; narralytica.sum records its text.\n");
        if (parts is { Count: > 1 })
            text.Append("-- One change in ").Append(parts.Count).Append(" migrations, applied in order: ").Append(string.Join(", ", parts)).Append(".\n");
        text.Append("--\n-- Changes:\n");
        foreach (var change in changes)
            text.Append("--   ").Append(change.Description.Replace("\n", " ")).Append('\n');
        if (!transactional)
        {
            text.Append("--\n-- Runs outside a transaction, one statement at a time (CREATE INDEX CONCURRENTLY cannot run in one);\n");
            text.Append("-- every statement is safe to run again after an interruption.\n");
            text.Append(TransactionDirective).Append('\n');
        }
        if (accepted.Count > 0)
        {
            text.Append("--\n-- Accepted with --allow (review these):\n");
            foreach (var finding in accepted)
                text.Append("--   ").Append(finding.ToString().Replace("\n", " ")).Append('\n');
            text.Append(AllowDirective).Append(string.Join(", ", accepted.Select(f => f.Category).Distinct().OrderBy(c => c).Select(LintCategories.Name))).Append('\n');
        }
        foreach (var statement in statements)
            text.Append('\n').Append(statement).Append('\n');
        return text.ToString();
    }
}
