using System.Threading.Tasks;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>
/// `drift` compares the queue's functions with what schema.yaml's queue writes (their statements, SECURITY DEFINER, the
/// pinned search path, who may execute them), and its SQL puts them back: a function replaced by hand with one that
/// finishes any job, EXECUTE given to the requests' role, a function dropped, an overload added.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class QueueFunctionDriftTests : System.IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly RepositoryCopy _copy = new();

    public QueueFunctionDriftTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => _copy.Dispose();

    [Fact]
    public async Task A_function_replaced_granted_dropped_or_overloaded_by_hand_is_drift_and_the_printed_sql_restores_it()
    {
        var connection = await DriftSql.MigratedAsync(_postgres, _copy);
        var complete = $"{QueueFunctions.Complete}({QueueFunctions.Signature(QueueFunctions.Complete)})";
        await DriftSql.RunAsync(connection, new[]
        {
            // Completes any job of any tenant, whoever holds it.
            $"CREATE OR REPLACE FUNCTION {QueueFunctions.Complete}(job_tenant uuid, job_id uuid, worker text, attempt integer) RETURNS boolean " +
            "LANGUAGE sql SECURITY DEFINER AS $$ UPDATE jobs SET status = 'succeeded' WHERE id = job_id RETURNING true $$",
            $"GRANT EXECUTE ON FUNCTION {complete} TO narralytica_app",
            $"DROP FUNCTION {QueueFunctions.Release}({QueueFunctions.Signature(QueueFunctions.Release)})",
            $"CREATE FUNCTION {QueueFunctions.Cancel}(job_id uuid) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$",
        });

        var report = await DriftSql.ReportAsync(_copy, connection);
        Assert.Contains($"changed  function {QueueFunctions.Complete}: its definition differs from schema.yaml's queue", report);
        Assert.Contains($"missing  function {QueueFunctions.Release}", report);
        Assert.Contains($"changed  function {QueueFunctions.Cancel}", report);

        var sql = await DriftSql.ReadAsync(_copy, connection);
        Assert.Contains($"REVOKE ALL ON FUNCTION {QueueFunctions.Complete}(job_tenant uuid, job_id uuid, worker text, attempt integer) FROM narralytica_app;", sql);
        Assert.Contains($"DROP FUNCTION {QueueFunctions.Cancel}(job_id uuid);", sql);
        await DriftSql.ReconcileAsync(_copy, connection, sql);
    }
}
