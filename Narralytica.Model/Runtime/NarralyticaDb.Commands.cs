using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Model;

/// <summary>
/// Plain Npgsql commands on this connection, for the generated fast paths: they run on the same physical
/// connection, and in the same transaction, as the linq2db queries of this object. Each generated statement
/// is prepared once per connection and its command kept, so a call only sets parameter values and
/// executes, as hand-written code holding prepared commands would.
/// </summary>
public sealed partial class NarralyticaDb
{
    private readonly Dictionary<string, KeptCommand> _prepared = new(StringComparer.Ordinal);

    /// <summary>A command and the server process it was prepared on (a reopened connection may be another).</summary>
    private sealed record KeptCommand(NpgsqlCommand Command, int ProcessId);

    /// <summary>The open Npgsql connection underneath (opened on first use, kept until disposal).</summary>
    internal async ValueTask<NpgsqlConnection> OpenNpgsqlConnectionAsync(CancellationToken cancellationToken)
        => (NpgsqlConnection)await OpenDbConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The prepared command for <paramref name="sql"/>; <paramref name="declareParameters"/> adds its typed
    /// parameters the first time. The caller sets their values, then executes.
    /// </summary>
    internal async ValueTask<NpgsqlCommand> PreparedCommandAsync(string sql, Action<NpgsqlParameterCollection> declareParameters, CancellationToken cancellationToken)
    {
        // An open connection is taken as it is, without an await: the usual case costs no state machine.
        var connection = TryGetDbConnection() as NpgsqlConnection ?? await OpenNpgsqlConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (Reusable(sql, connection) is { } command)
            return command;
        command = Create(sql, connection, declareParameters);
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return command;
    }

    /// <summary>The synchronous <see cref="PreparedCommandAsync"/>.</summary>
    internal NpgsqlCommand PreparedCommand(string sql, Action<NpgsqlParameterCollection> declareParameters)
    {
        var connection = (NpgsqlConnection)OpenDbConnection();
        if (Reusable(sql, connection) is { } command)
            return command;
        command = Create(sql, connection, declareParameters);
        command.Prepare();
        return command;
    }

    private NpgsqlCommand? Reusable(string sql, NpgsqlConnection connection)
        => _prepared.TryGetValue(sql, out var kept) && ReferenceEquals(kept.Command.Connection, connection) && kept.ProcessId == connection.ProcessID
            ? kept.Command
            : null;

    private NpgsqlCommand Create(string sql, NpgsqlConnection connection, Action<NpgsqlParameterCollection> declareParameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        declareParameters(command.Parameters);
        _prepared[sql] = new KeptCommand(command, connection.ProcessID);
        return command;
    }
}
