using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Narralytica.Benchmarks.Hosting;
using Narralytica.Model;
using Narralytica.Schema;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Sql.Citus;
using Npgsql;
using NpgsqlTypes;

namespace Narralytica.Benchmarks.HotPaths;

/// <summary>The forms a <see cref="CitusFormBenchmarks"/> case runs under.</summary>
public enum TargetForms
{
    /// <summary>Today's plain target: its policies and procedures, set_config in the batch, its read-path SQL.</summary>
    Plain,

    /// <summary>
    /// The Citus target's statements and database forms as its data layer sends them: the policies without subqueries,
    /// the SET LOCAL procedures (CALL in the batch), the read paths Citus routes in a generic plan, each read in a
    /// transaction of its own (the COMMIT one more round trip).
    /// </summary>
    Citus,

    /// <summary>The same as <see cref="Citus"/> inside a caller's transaction: no transaction of the read's own.</summary>
    CitusInCallersTransaction,
}

/// <summary>The hot paths a <see cref="CitusFormBenchmarks"/> case reads.</summary>
public enum CitusFormPath
{
    Window,
    WholeTranscript,
    LatestLayer,
    Feed,
}

/// <summary>
/// The Citus target's forms against today's plain ones, on plain PostgreSQL: the same server and data, each hot path
/// read as <c>narralytica_app</c> with the signed tenant, through prepared batches holding exactly what each target's
/// generated data layer sends. A case installs its forms in the benchmark database before it runs (as the owner: the
/// plain policies and procedures, or the Citus target's form steps) and puts the plain ones back after, so the other
/// benchmarks of a run find the database as built.
/// </summary>
public class CitusFormBenchmarks : DatabaseBenchmark
{
    private const int FeedSlice = 2_000;

    private static readonly SchemaModel Model = SchemaCompiler.Compile(SchemaSource.Repository()).Model
        ?? throw new InvalidOperationException("The repository's schema.yaml does not compile.");

    private string _ownerConnectionString = "";
    private NpgsqlConnection _app = null!;
    private NpgsqlBatch _statement = null!;
    private NpgsqlBatch? _feedLatest;
    private Guid _transcriptId;
    private int _fromMs;
    private int _toMs;
    private Guid[] _segmentIds = Array.Empty<Guid>();
    private string _kind = "";
    private Guid _feedCursor;
    private (string Proof, DateTimeOffset RenewAt) _proof;

    [Params(TargetForms.Plain, TargetForms.Citus, TargetForms.CitusInCallersTransaction)]
    public TargetForms Forms { get; set; }

    [Params(CitusFormPath.Window, CitusFormPath.WholeTranscript, CitusFormPath.LatestLayer, CitusFormPath.Feed)]
    public CitusFormPath Path { get; set; }

    private bool CitusForms => Forms != TargetForms.Plain;

    protected override void ChooseInputs()
    {
        (_transcriptId, _fromMs, _toMs) = HotPathInputs.Window(Dataset, Tenant);
        _segmentIds = HotPathInputs.SegmentIds(Dataset, Tenant);
        _kind = Dataset.Options.LayerKinds[0];
        _feedCursor = HotPathInputs.FeedCursor(Dataset, Tenant);
    }

    protected override async Task SetUpMoreAsync(string connectionString)
    {
        _ownerConnectionString = connectionString;
        await InstallAsync(CitusForms ? CitusFormStatements() : PlainFormStatements());
        _app = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c role=narralytica_app" }.ConnectionString);
        await _app.OpenAsync();
        var segments = Model.FindTable("segments")!;
        var layers = Model.FindTable("layers")!;
        var target = CitusForms ? DeploymentTarget.Citus : DeploymentTarget.Postgres;
        var uuid = NpgsqlDbType.Uuid;
        _statement = Path switch
        {
            CitusFormPath.Window => Batch(ReadPathSql.Query(segments, Query(segments, "segments_in_window"), target).Sql, uuid, uuid, NpgsqlDbType.Integer, NpgsqlDbType.Integer),
            CitusFormPath.WholeTranscript => Batch(ReadPathSql.Query(segments, Query(segments, "transcript_segments"), target).Sql, uuid, uuid),
            CitusFormPath.LatestLayer => Batch(ReadPathSql.Query(layers, Query(layers, "latest_layers"), target).Sql, uuid, NpgsqlDbType.Array | uuid, NpgsqlDbType.Varchar),
            _ => CitusForms
                ? Batch(CitusReadPaths.FeedRows(segments).Sql, uuid, uuid, NpgsqlDbType.Integer)
                : Batch(ReadPathSql.FeedPage(segments, segments.Feeds[0], layers).Sql, uuid, uuid, NpgsqlDbType.Integer),
        };
        await _statement.PrepareAsync();
        if (Path == CitusFormPath.Feed && CitusForms)
        {
            _feedLatest = Batch(CitusReadPaths.FeedLatest(segments.Feeds[0], layers).Sql, uuid, NpgsqlDbType.Array | uuid);
            await _feedLatest.PrepareAsync();
        }
    }

    protected override async Task CleanUpMoreAsync()
    {
        await _app.DisposeAsync();
        await InstallAsync(PlainFormStatements());
    }

    [Benchmark(Description = "the target's forms and statements, narralytica_app, signed tenant")]
    public async Task<int> Read()
    {
        var rows = Path switch
        {
            CitusFormPath.Window => await ReadOwnTransactionAsync(() => CountAsync(_statement, Tenant.Id, _transcriptId, _fromMs, _toMs)),
            CitusFormPath.WholeTranscript => await ReadOwnTransactionAsync(() => CountAsync(_statement, Tenant.Id, _transcriptId)),
            CitusFormPath.LatestLayer => await ReadOwnTransactionAsync(() => CountAsync(_statement, Tenant.Id, _segmentIds, _kind)),
            _ => await FeedAsync(),
        };
        return rows > 0 ? rows : throw new InvalidOperationException($"{Path} under the {Forms} forms returned no rows: the tenant did not reach the statement.");
    }

    /// <summary>The feed's slice, page by page: one statement per page on the plain target, the rows then their latest layers on Citus.</summary>
    private async Task<int> FeedAsync()
    {
        var cursor = _feedCursor;
        var segments = 0;
        while (segments < FeedSlice)
        {
            var page = await ReadOwnTransactionAsync(async () =>
            {
                var ids = new List<Guid>(RebuildFeedBenchmarks.PageSize);
                var size = Math.Min(RebuildFeedBenchmarks.PageSize, FeedSlice - segments);
                await using (var reader = await ExecuteAsync(_statement, Tenant.Id, cursor, size))
                    while (await reader.ReadAsync())
                    {
                        var id = reader.GetGuid(1);
                        if (ids.Count == 0 || ids[^1] != id)
                            ids.Add(id);
                    }
                if (_feedLatest is not null && ids.Count > 0)
                    await CountAsync(_feedLatest, Tenant.Id, ids.ToArray());
                return ids;
            });
            if (page.Count == 0)
                break;
            segments += page.Count;
            cursor = page[^1];
        }
        return segments;
    }

    /// <summary>On the Citus target, a read outside the caller's transaction opens and commits its own, as its data layer does.</summary>
    private async Task<T> ReadOwnTransactionAsync<T>(Func<Task<T>> read)
    {
        if (Forms != TargetForms.Citus)
            return await read();
        await using var transaction = await _app.BeginTransactionAsync();
        var result = await read();
        await transaction.CommitAsync();
        return result;
    }

    private async Task<int> CountAsync(NpgsqlBatch batch, params object[] values)
    {
        var rows = 0;
        await using var reader = await ExecuteAsync(batch, values);
        while (await reader.ReadAsync())
            rows++;
        return rows;
    }

    /// <summary>The batch with the tenant's fresh proof and the statement's values, its reader on the statement's rows.</summary>
    private async Task<NpgsqlDataReader> ExecuteAsync(NpgsqlBatch batch, params object[] values)
    {
        batch.BatchCommands[0].Parameters[0].Value = Proof();
        var parameters = batch.BatchCommands[1].Parameters;
        for (var i = 0; i < values.Length; i++)
            parameters[i].Value = values[i];
        var reader = await batch.ExecuteReaderAsync();
        if (!CitusForms)
            await reader.NextResultAsync(); // past set_config's one row; a CALL returns none
        return reader;
    }

    /// <summary>The tenant's proof, minted with the benchmarks' key and renewed well before it expires, as the data layer does.</summary>
    private string Proof()
    {
        if (DateTimeOffset.UtcNow < _proof.RenewAt)
            return _proof.Proof;
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);
        _proof = (BenchmarkEnvironment.TenantKey.Sign(Tenant.Id, expires), expires.AddMinutes(-5));
        return _proof.Proof;
    }

    /// <summary>A prepared batch: the target's tenant statement, then <paramref name="sql"/> with typed positional parameters.</summary>
    private NpgsqlBatch Batch(string sql, params NpgsqlDbType[] types)
    {
        var setTenant = CitusForms ? $"CALL {TenantProof.SetProofProcedure}($1)" : $"SELECT set_config('{TenantProof.ProofSetting}', $1, true)";
        var batch = new NpgsqlBatch(_app);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(setTenant) { Parameters = { new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text } } });
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var type in types)
            statement.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type });
        batch.BatchCommands.Add(statement);
        return batch;
    }

    private static NamedQuery Query(Table table, string name) => table.Queries.Single(q => q.Name == name);

    /// <summary>The Citus target's form steps: the SET LOCAL procedures and the policies without subqueries.</summary>
    private static IEnumerable<string> CitusFormStatements() => CitusDistribution.FormSteps(Model).SelectMany(step => step.Statements);

    /// <summary>The plain target's procedures and rewritten policies, as the migrations create them.</summary>
    private static IEnumerable<string> PlainFormStatements()
    {
        foreach (var create in new[] { TenantIsolation.CreateSetTenant, TenantIsolation.CreateSetAudit, TenantProof.CreateSetProof })
            yield return create.Replace("CREATE PROCEDURE ", "CREATE OR REPLACE PROCEDURE ");
        foreach (var table in Model.Tables.Where(t => t.RowSecurity))
            foreach (var policy in TenantIsolation.Policies(table, Model.TenantContext, Model.Lanes)
                         .Where(p => p == TenantIsolation.TenantPolicy || p == CallerLanes.ReaderReadPolicy))
            {
                yield return TenantIsolation.DropPolicy(table, policy).Replace("DROP POLICY ", "DROP POLICY IF EXISTS ");
                yield return TenantIsolation.CreatePolicy(table, policy, Model.TenantProof)!;
            }
    }

    /// <summary>Runs <paramref name="statements"/> in one transaction as the owner (the loading superuser).</summary>
    private async Task InstallAsync(IEnumerable<string> statements)
    {
        await using var connection = new NpgsqlConnection(_ownerConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }
}
