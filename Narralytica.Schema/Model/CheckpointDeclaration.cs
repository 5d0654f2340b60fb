using System.Collections.Generic;

namespace Narralytica.Schema.Model;

/// <summary>
/// The columns a checkpoints table (<c>checkpoints:</c> of schema.yaml) keeps a pipeline stage's progress in, by role
/// (<see cref="CheckpointRoles"/>): the generated checkpoint statements (<see cref="Narralytica.Schema.Sql.CheckpointSql"/>)
/// name these columns and no others. <c>checkpoints: true</c> is the declaration with every role at its conventional name.
/// </summary>
/// <param name="Columns">Every role of <see cref="CheckpointRoles.All"/>, in that order.</param>
/// <param name="Span">Where <c>checkpoints:</c> is written.</param>
public sealed record CheckpointDeclaration(EquatableArray<CheckpointColumn> Columns, SourceSpan Span)
{
    /// <summary>The column that plays <paramref name="role"/>.</summary>
    public string ColumnOf(string role)
    {
        foreach (var column in Columns)
            if (column.Role == role)
                return column.Column;
        throw new KeyNotFoundException($"the checkpoints declare no '{role}' column");
    }
}

/// <summary>One role of a checkpoints table and the column that plays it, where schema.yaml names it (or where <c>checkpoints:</c> is, by convention).</summary>
public sealed record CheckpointColumn(string Role, string Column, SourceSpan Span);

/// <summary>The roles of a checkpoints table's columns, the keys of a <c>checkpoints:</c> mapping; each role's conventional column has the role's name.</summary>
public static class CheckpointRoles
{
    public const string Pipeline = "pipeline";
    public const string Stage = "stage";
    public const string Position = "position";
    public const string State = "state";
    public const string UpdatedAt = "updated_at";

    /// <summary>Every role, in the order schema.yaml is documented with.</summary>
    public static IReadOnlyList<string> All { get; } = new[] { Pipeline, Stage, Position, State, UpdatedAt };
}
