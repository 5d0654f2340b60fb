using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using Npgsql.Replication;

namespace Narralytica.Runtime.Streams;

/// <summary>
/// Opens the replication connection of a stream. Its session asks for ISO dates in UTC, so pgoutput's text values of
/// timestamps come in the one shape <see cref="PgText"/> reads.
/// </summary>
internal static class ReplicationConnections
{
    public static async Task<LogicalReplicationConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = ((builder.Options ?? "") + " -c DateStyle=ISO -c TimeZone=UTC -c extra_float_digits=3").Trim();
        var connection = new LogicalReplicationConnection(builder.ConnectionString);
        try
        {
            await connection.Open(cancellationToken);
            return connection;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            await connection.DisposeAsync();
            throw new ChangeStreamException(ChangeStreamProblem.NotAllowed,
                $"'{builder.Username}' may not open a replication connection: {e.MessageText}. The stream's login needs the REPLICATION attribute of its own " +
                "(members do not inherit it: narralytica roles create --stream-login NAME makes one) and a pg_hba.conf line that allows it to the database; see docs/streams.md.", e);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A plain connection with the same login, for the checks and the snapshot read.</summary>
    public static async Task<NpgsqlConnection> OpenPlainAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
