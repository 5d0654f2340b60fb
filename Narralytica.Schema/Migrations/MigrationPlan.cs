using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// Which migration file a statement goes into. Most go into one transaction; an enum value that
/// later statements use must be committed first, and a concurrent index build cannot run in a
/// transaction at all.
/// </summary>
public enum MigrationStage
{
    EnumValues,
    Main,
    Concurrent,
}

public sealed record MigrationStatement(MigrationStage Stage, string Sql);

/// <summary>One line of a migration's summary ("add column videos.language"), with where schema.yaml declares it.</summary>
public sealed record SchemaChange(string Description, SourceSpan Span);

/// <summary>
/// The kinds of risk a migration can carry. <c>migrations add</c> refuses a change of any kind
/// unless told to accept it (<c>--allow destructive</c>), and records the acceptance in the file.
/// </summary>
public enum LintCategory
{
    Destructive,
    DataDependent,
    Locking,
    Tenancy,
}

public sealed record LintFinding(MigrationRule Rule, string Message, SourceSpan Span)
{
    public LintCategory Category => Rule.Category;

    public override string ToString() => $"schema.yaml{Span}: {Rule.Id} ({LintCategories.Name(Category)}): {Message}";
}

/// <summary>What it takes to bring a database from one schema to another.</summary>
public sealed record MigrationPlan(
    IReadOnlyList<SchemaChange> Changes,
    IReadOnlyList<MigrationStatement> Statements,
    IReadOnlyList<LintFinding> Findings)
{
    public bool IsEmpty => Statements.Count == 0;

    public IEnumerable<MigrationStage> Stages => Statements.Select(s => s.Stage).Distinct().OrderBy(s => s);

    public IEnumerable<string> StatementsOf(MigrationStage stage) => Statements.Where(s => s.Stage == stage).Select(s => s.Sql);

    public IReadOnlyCollection<LintCategory> Categories => Findings.Select(f => f.Category).Distinct().OrderBy(c => c).ToList();
}

/// <summary>The names of <see cref="LintCategory"/> as written on the command line and in migration headers.</summary>
public static class LintCategories
{
    public static string Name(LintCategory category) => category switch
    {
        LintCategory.Destructive => "destructive",
        LintCategory.DataDependent => "data-dependent",
        LintCategory.Locking => "locking",
        _ => "tenancy",
    };

    public static LintCategory? Parse(string name)
    {
        foreach (LintCategory category in System.Enum.GetValues(typeof(LintCategory)))
            if (Name(category) == name.Trim().ToLowerInvariant())
                return category;
        return null;
    }

    public const string AllNames = "destructive, data-dependent, locking, tenancy";
}
