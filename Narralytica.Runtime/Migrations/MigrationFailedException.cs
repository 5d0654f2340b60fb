using System;

namespace Narralytica.Runtime;

/// <summary>
/// A migration statement failed. The message names the file, the line and the statement, says what
/// PostgreSQL reported, and what state the database was left in.
/// </summary>
public sealed class MigrationFailedException : Exception
{
    /// <summary>Built by <see cref="SchemaMigrator"/>.</summary>
    public MigrationFailedException(SchemaMigration migration, SchemaMigrationStatement statement, Exception cause)
        : base(Describe(migration, statement, cause), cause)
    {
        Migration = migration;
        Statement = statement;
        SqlState = (cause as Npgsql.PostgresException)?.SqlState;
    }

    /// <summary>The migration that failed.</summary>
    public SchemaMigration Migration { get; }

    /// <summary>The statement that failed, with its line in the file.</summary>
    public SchemaMigrationStatement Statement { get; }

    /// <summary>PostgreSQL's error code, when PostgreSQL reported the error (null when the connection failed).</summary>
    public string? SqlState { get; }

    private static string Describe(SchemaMigration migration, SchemaMigrationStatement statement, Exception cause)
    {
        var what = cause is Npgsql.PostgresException pg
            ? $"{pg.MessageText} (SQLSTATE {pg.SqlState}){(pg.Detail is { } detail ? ". " + detail : "")}"
            : $"the connection failed: {cause.Message}";
        var state = migration.Transactional
            ? "The migration was rolled back: the database is as it was before it, and the history is unchanged."
            : "This migration runs outside a transaction: the statements before this one stay applied, and every statement is safe to run again.";
        return $"{migration.FileName}, line {statement.Line}: {what}\n  in: {statement.Sql}\n{state} Fix the cause, then apply again.";
    }
}
