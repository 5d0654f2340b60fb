using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// One generated statement, prepared on one connection and kept there (see <c>NarralyticaDb.Commands.cs</c>).
/// A statement on a tenant table goes in one batch after <see cref="TenantStatement.Sql"/> (the tenant's signed
/// proof): the batch runs
/// in one transaction (the caller's, or its own implicit one), so the tenant holds for the statement and is gone
/// when that transaction ends. The generated code sets <see cref="Parameters"/> ($1, $2, …) and executes.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class PreparedStatement
{
    private readonly NpgsqlBatch _batch;
    private readonly NpgsqlParameter<string>? _tenant;
    private readonly int _processId;

    private PreparedStatement(NpgsqlBatch batch, NpgsqlParameter<string>? tenant, NpgsqlParameterCollection parameters, int processId)
    {
        _batch = batch;
        _tenant = tenant;
        Parameters = parameters;
        _processId = processId;
    }

    /// <summary>The statement's own parameters, in order.</summary>
    public NpgsqlParameterCollection Parameters { get; }

    /// <summary>
    /// The batch for <paramref name="sql"/> on <paramref name="connection"/>, led by the tenant's set_config when
    /// <paramref name="forTenant"/>; <paramref name="declareParameters"/> adds the statement's typed parameters.
    /// </summary>
    public static PreparedStatement Create(NpgsqlConnection connection, string sql, bool forTenant, Action<NpgsqlParameterCollection> declareParameters)
    {
        var batch = new NpgsqlBatch(connection);
        NpgsqlParameter<string>? tenant = null;
        if (forTenant)
        {
            tenant = new NpgsqlParameter<string>();
            batch.BatchCommands.Add(new NpgsqlBatchCommand(TenantStatement.Sql) { Parameters = { tenant } });
        }
        var statement = new NpgsqlBatchCommand(sql);
        declareParameters(statement.Parameters);
        batch.BatchCommands.Add(statement);
        return new PreparedStatement(batch, tenant, statement.Parameters, connection.ProcessID);
    }

    /// <summary>Whether this was prepared on <paramref name="connection"/> as it is now (a reopened connection may be another server process).</summary>
    public bool IsPreparedOn(NpgsqlConnection connection) => ReferenceEquals(_batch.Connection, connection) && _processId == connection.ProcessID;

    internal Task PrepareAsync(CancellationToken cancellationToken) => _batch.PrepareAsync(cancellationToken);

    internal void Prepare() => _batch.Prepare();

    /// <summary>The proof of the tenant the next execution runs for; required for a statement on a tenant table, refused for another.</summary>
    public void Bind(string? tenantProof)
    {
        if (_tenant is null != tenantProof is null)
            throw new InvalidOperationException("A statement was prepared for " + (_tenant is null ? "a global table and given a tenant." : "a tenant table and given none."));
        if (_tenant is not null)
            _tenant.TypedValue = tenantProof;
    }

    /// <summary>Executes the batch and positions the reader on the statement's rows.</summary>
    public NpgsqlDataReader ExecuteReader()
    {
        var reader = _batch.ExecuteReader();
        if (_tenant is null || !TenantStatement.ReturnsRow)
            return reader;
        try
        {
            reader.NextResult(); // past set_config's one row
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Executes the batch and positions the reader on the statement's rows.</summary>
    public async Task<NpgsqlDataReader> ExecuteReaderAsync(CancellationToken cancellationToken)
    {
        var reader = await _batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (_tenant is null || !TenantStatement.ReturnsRow)
            return reader;
        try
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past set_config's one row
            return reader;
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Executes the batch for its effect.</summary>
    public Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => _batch.ExecuteNonQueryAsync(cancellationToken);

    /// <summary>Executes the batch for its effect; returns the rows the statement itself wrote (the tenant's command excluded).</summary>
    public async Task<ulong> ExecuteWriteAsync(CancellationToken cancellationToken)
    {
        await _batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return _batch.BatchCommands[_batch.BatchCommands.Count - 1].Rows;
    }
}
