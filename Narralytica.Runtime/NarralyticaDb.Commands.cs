using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// Plain Npgsql commands on this connection, for the generated fast paths: they run on the same physical
/// connection, and in the same transaction, as the linq2db queries of this object. Each generated statement
/// is prepared once per connection and kept, so a call only sets parameter values and executes, as
/// hand-written code holding prepared commands would. A statement on a tenant table carries its tenant for
/// its own transaction only (<see cref="PreparedStatement"/>).
/// </summary>
public sealed partial class NarralyticaDb
{
    private readonly Dictionary<string, PreparedStatement> _prepared = new(StringComparer.Ordinal);

    /// <summary>The open Npgsql connection underneath (opened on first use, kept until disposal).</summary>
    internal async ValueTask<NpgsqlConnection> OpenNpgsqlConnectionAsync(CancellationToken cancellationToken)
        => (NpgsqlConnection)await OpenDbConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The prepared statement for <paramref name="sql"/>, bound to <paramref name="tenant"/> (null for a global
    /// table); <paramref name="declareParameters"/> adds its typed parameters the first time. The caller sets
    /// their values, then executes.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public async ValueTask<PreparedStatement> PreparedAsync(string sql, Guid? tenant, Action<NpgsqlParameterCollection> declareParameters, CancellationToken cancellationToken)
    {
        // An open connection is taken as it is, without an await: the usual case costs no state machine.
        var connection = TryGetDbConnection() as NpgsqlConnection ?? await OpenNpgsqlConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (Kept(sql, connection) is not { } statement)
        {
            statement = Keep(sql, connection, tenant, declareParameters);
            await statement.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }
        statement.Bind(tenant is null ? null : ProofFor(tenant.Value));
        return statement;
    }

    /// <summary>The synchronous <see cref="PreparedAsync"/>.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public PreparedStatement Prepared(string sql, Guid? tenant, Action<NpgsqlParameterCollection> declareParameters)
    {
        var connection = (NpgsqlConnection)OpenDbConnection();
        if (Kept(sql, connection) is not { } statement)
        {
            statement = Keep(sql, connection, tenant, declareParameters);
            statement.Prepare();
        }
        statement.Bind(tenant is null ? null : ProofFor(tenant.Value));
        return statement;
    }

    private PreparedStatement? Kept(string sql, NpgsqlConnection connection)
        => _prepared.TryGetValue(sql, out var statement) && statement.IsPreparedOn(connection) ? statement : null;

    private PreparedStatement Keep(string sql, NpgsqlConnection connection, Guid? tenant, Action<NpgsqlParameterCollection> declareParameters)
        => _prepared[sql] = PreparedStatement.Create(connection, sql, tenant is not null, declareParameters);

    /// <summary>A binary COPY of <paramref name="rows"/> into a global table (<paramref name="copySql"/>), in this connection's transaction if any.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public async Task<ulong> CopyAsync<T>(string copySql, IEnumerable<T> rows, Func<NpgsqlBinaryImporter, T, CancellationToken, Task> writeRow, CancellationToken cancellationToken)
    {
        var connection = await OpenNpgsqlConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ImportAsync(connection, copySql, rows, writeRow, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ulong> ImportAsync<T>(NpgsqlConnection connection, string copySql, IEnumerable<T> rows, Func<NpgsqlBinaryImporter, T, CancellationToken, Task> writeRow, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copySql, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
            await writeRow(importer, row, cancellationToken).ConfigureAwait(false);
        return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
