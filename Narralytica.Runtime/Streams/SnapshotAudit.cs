using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Runtime.Streams;

/// <summary>
/// The readers' audit row of a snapshot read. A stream's snapshot is read across tenants, so it goes through the
/// readers' lane like <see cref="NarralyticaDb.AcrossTenants"/>: <c>narralytica_open_cross_tenant_read</c> writes the
/// row (justification, login, time, expiry) in a statement of its own, committed at once, so no rollback of the read
/// can erase it. It must be committed before the slot exports its snapshot: the read policy looks the row up inside
/// the snapshot, which does not see anything committed after it.
/// </summary>
internal static class SnapshotAudit
{
    /// <summary>The role whose lane the snapshot read is on; its members execute the open-read function.</summary>
    public const string ReaderRole = "narralytica_reader";

    /// <summary>Refuses a blank justification before anything is created; the database refuses an overlong one.</summary>
    public static void RequireJustification(string justification)
    {
        if (string.IsNullOrWhiteSpace(justification))
            throw new ArgumentException(
                "Say why this stream reads every tenant's rows; the justification is kept with the snapshot's audit row (a blank one, whitespace only, is refused).",
                nameof(justification));
    }

    /// <summary>Writes the audit row as the connection's login, committed at once; its id.</summary>
    public static async Task<Guid> OpenAsync(NpgsqlConnection connection, string justification, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {TenantContext.OpenCrossTenantReadFunction}($1)", connection)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = justification } },
        };
        try
        {
            return (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new ChangeStreamException(ChangeStreamProblem.NotAllowed,
                $"'{connection.UserName}' may not open the readers' audited read ({e.MessageText}): a stream's snapshot is read on the readers' lane. " +
                $"Connect as a login that is a member of {ReaderRole} and has REPLICATION (narralytica roles create --stream-login NAME); see docs/streams.md.", e);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            throw new ArgumentException($"{e.MessageText}. {e.Hint}", nameof(justification), e);
        }
    }

    /// <summary>Names the audit row for the rest of <paramref name="transaction"/> (a transaction-local setting).</summary>
    public static async Task NameAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid audit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"CALL {TenantContext.SetCrossTenantAuditProcedure}($1)", connection, transaction)
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = audit } },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Refuses, before any audit row or slot is made, a login that could not stream: REPLICATION is an attribute, and
    /// PostgreSQL does not pass attributes to a role's members, so a member of the readers' role does not have it.
    /// </summary>
    public static async Task RequireReplicationAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = session_user", connection);
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
            return;
        throw new ChangeStreamException(ChangeStreamProblem.NotAllowed,
            $"'{connection.UserName}' has no REPLICATION attribute, so it may not create a replication slot or stream. Attributes are not inherited: " +
            $"being a member of {ReaderRole} does not give it. Connect as the stream login (narralytica roles create --stream-login NAME creates one: " +
            $"LOGIN REPLICATION, a member of {ReaderRole} only); see docs/streams.md.");
    }
}
