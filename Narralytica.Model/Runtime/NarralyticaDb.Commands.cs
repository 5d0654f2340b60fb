using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Model;

/// <summary>
/// Plain Npgsql commands on this connection, for the generated fast paths: they run on the same
/// physical connection, and in the same transaction, as the linq2db queries of this object.
/// </summary>
public sealed partial class NarralyticaDb
{
    /// <summary>The open Npgsql connection underneath (opened on first use, kept until disposal).</summary>
    internal async ValueTask<NpgsqlConnection> OpenNpgsqlConnectionAsync(CancellationToken cancellationToken)
        => (NpgsqlConnection)await OpenDbConnectionAsync(cancellationToken).ConfigureAwait(false);

    internal NpgsqlCommand CreateCommand(string sql)
        => new(sql, (NpgsqlConnection)OpenDbConnection()) { Transaction = Transaction as NpgsqlTransaction };

    internal async ValueTask<NpgsqlCommand> CreateCommandAsync(string sql, CancellationToken cancellationToken)
        => new(sql, await OpenNpgsqlConnectionAsync(cancellationToken).ConfigureAwait(false)) { Transaction = Transaction as NpgsqlTransaction };
}
