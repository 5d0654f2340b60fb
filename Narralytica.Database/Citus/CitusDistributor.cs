using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql.Citus;
using Npgsql;

namespace Narralytica.Database.Citus;

/// <summary>
/// Runs <see cref="CitusDistribution.Steps"/> on a live coordinator, each step in its own transaction, skipping the steps
/// that are done: running it again on a distributed database changes nothing, and it finishes what an interrupted run
/// left. Connect as the owner of the tables (Citus distributes a table for its owner) on the coordinator.
/// </summary>
public static class CitusDistributor
{
    public static async Task<IReadOnlyList<DistributionOutcome>> DistributeAsync(
        NpgsqlConnection connection, SchemaModel model, Action<DistributionOutcome>? progress = null, CancellationToken cancellationToken = default)
    {
        await RequireCitusAsync(connection, cancellationToken);
        var outcomes = new List<DistributionOutcome>();
        foreach (var step in CitusDistribution.Steps(model))
        {
            DistributionOutcome outcome;
            if (step.DoneWhen is not null && await ScalarAsync<bool>(connection, step.DoneWhen, cancellationToken))
                outcome = new DistributionOutcome(step.Description, false, TimeSpan.Zero);
            else
            {
                var started = System.Diagnostics.Stopwatch.StartNew();
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                foreach (var statement in step.Statements)
                {
                    try
                    {
                        await using var command = new NpgsqlCommand(statement, connection, transaction);
                        await command.ExecuteNonQueryAsync(cancellationToken);
                    }
                    catch (PostgresException e)
                    {
                        throw new DistributionException($"Distribution stopped at \"{step.Description}\": {e.MessageText} (SQLSTATE {e.SqlState}). " +
                                                        $"The statement was: {statement} Fix the cause and run it again: the steps done are skipped.", e);
                    }
                }
                await transaction.CommitAsync(cancellationToken);
                outcome = new DistributionOutcome(step.Description, true, started.Elapsed);
            }
            outcomes.Add(outcome);
            progress?.Invoke(outcome);
        }
        return outcomes;
    }

    /// <summary>Whether the database has the citus extension; a clear error otherwise.</summary>
    private static async Task RequireCitusAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus')", cancellationToken))
            return;
        var available = await ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'citus')", cancellationToken);
        throw new DistributionException(available
            ? "The database has no Citus extension: run CREATE EXTENSION citus; as a superuser on the coordinator (citus must be first in shared_preload_libraries), add the workers with citus_add_node, then run this again (docs/citus.md)."
            : "This server has no Citus: install Citus (its packages or container images, see docs/citus.md), put citus first in shared_preload_libraries, CREATE EXTENSION citus; then run this again.");
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
