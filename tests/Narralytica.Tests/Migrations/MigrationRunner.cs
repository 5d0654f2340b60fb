using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Migrations;
using Npgsql;

namespace Narralytica.Tests.Migrations;

/// <summary>
/// Runs SQL the way migrations run: a transactional migration in one transaction, a migration
/// marked to run outside a transaction statement by statement. Tests only; applying with history
/// and locking belongs to the data layer.
/// </summary>
public static class MigrationRunner
{
    public static async Task RunAsync(NpgsqlConnection connection, IEnumerable<string> statements, bool transactional)
    {
        await using var transaction = transactional ? await connection.BeginTransactionAsync() : null;
        foreach (var sql in statements)
        {
            try
            {
                await using var command = new NpgsqlCommand(sql, connection, transaction);
                await command.ExecuteNonQueryAsync();
            }
            catch (PostgresException e)
            {
                throw new PostgresStatementException(sql, e);
            }
        }
        if (transaction is not null)
            await transaction.CommitAsync();
    }

    /// <summary>Every stage of a plan, in order, each as the migration file it would be.</summary>
    public static async Task RunPlanAsync(NpgsqlConnection connection, MigrationPlan plan)
    {
        foreach (var stage in plan.Stages)
            await RunAsync(connection, plan.StatementsOf(stage), stage != MigrationStage.Concurrent);
    }

    public static async Task RunFileAsync(NpgsqlConnection connection, MigrationFile migration)
        => await RunAsync(connection, migration.Statements.Select(s => s.Sql), migration.Transactional);

    public static async Task RunScriptAsync(NpgsqlConnection connection, IEnumerable<string> statements)
        => await RunAsync(connection, statements, transactional: true);
}

/// <summary>A PostgreSQL error with the statement that caused it, so a failing pair shows its SQL.</summary>
public sealed class PostgresStatementException : System.Exception
{
    public PostgresStatementException(string sql, PostgresException inner) : base($"{inner.MessageText} (SQLSTATE {inner.SqlState})\n  in: {sql}", inner) { }
}
