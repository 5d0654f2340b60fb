using System.Collections.Generic;

namespace Narralytica.Schema.Model;

/// <summary>
/// The columns a queue table (<c>queue:</c> of schema.yaml) keeps its jobs' state in, by role (<see cref="QueueRoles"/>):
/// the runtime's queue SQL (<see cref="Narralytica.Schema.Sql.QueueSql"/>) names these columns and no others.
/// <c>queue: true</c> is the declaration with every role at its conventional name.
/// </summary>
/// <param name="Columns">Every role of <see cref="QueueRoles.All"/> but the optional <see cref="QueueRoles.UniqueKey"/>, and that one when declared.</param>
/// <param name="Span">Where <c>queue:</c> is written.</param>
public sealed record QueueDeclaration(EquatableArray<QueueColumn> Columns, SourceSpan Span)
{
    /// <summary>The column that plays <paramref name="role"/>, or null (only <see cref="QueueRoles.UniqueKey"/> may be absent).</summary>
    public string? ColumnOf(string role)
    {
        foreach (var column in Columns)
            if (column.Role == role)
                return column.Column;
        return null;
    }

    /// <summary>The column that plays a required <paramref name="role"/>.</summary>
    public string Required(string role) => ColumnOf(role) ?? throw new KeyNotFoundException($"the queue declares no '{role}' column");

    /// <summary>The optional uniqueness key (<c>unique_key:</c>), or null.</summary>
    public string? UniqueKey => ColumnOf(QueueRoles.UniqueKey);
}

/// <summary>One role of a queue and the column that plays it, where schema.yaml names it (or where <c>queue:</c> is, by convention).</summary>
public sealed record QueueColumn(string Role, string Column, SourceSpan Span);

/// <summary>
/// The roles of a queue's columns, the keys of a <c>queue:</c> mapping; each role's conventional column has the role's name.
/// </summary>
public static class QueueRoles
{
    public const string Kind = "kind";
    public const string Payload = "payload";
    public const string Status = "status";
    public const string Priority = "priority";
    public const string RunAfter = "run_after";
    public const string Attempts = "attempts";
    public const string MaxAttempts = "max_attempts";
    public const string LeaseOwner = "lease_owner";
    public const string LeaseExpiresAt = "lease_expires_at";
    public const string StartedAt = "started_at";
    public const string FinishedAt = "finished_at";
    public const string LastError = "last_error";
    public const string UniqueKey = "unique_key";

    /// <summary>The roles every queue has, in the order schema.yaml is documented with.</summary>
    public static IReadOnlyList<string> Required { get; } = new[]
    {
        Kind, Payload, Status, Priority, RunAfter, Attempts, MaxAttempts, LeaseOwner, LeaseExpiresAt, StartedAt, FinishedAt, LastError,
    };

    /// <summary>Every key of a <c>queue:</c> mapping: the required roles and the optional <see cref="UniqueKey"/> (which has no conventional column).</summary>
    public static IReadOnlyList<string> All { get; } = new List<string>(Required) { UniqueKey };

    /// <summary>The statuses a job goes through; a status enum must have these labels.</summary>
    public static IReadOnlyList<string> Statuses { get; } = new[] { "queued", "running", "succeeded", "failed", "cancelled" };
}
