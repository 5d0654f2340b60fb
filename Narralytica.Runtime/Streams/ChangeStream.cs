using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;

namespace Narralytica.Runtime.Streams;

/// <summary>
/// Reads a stream's slot: every insert, update and delete of its tables, as typed events in commit order, each
/// transaction between a <see cref="TransactionBegin"/> and a <see cref="TransactionCommit"/>. The server resumes
/// from the last position the consumer acknowledged (<see cref="AcknowledgeAsync"/>), so a consumer that stops
/// before acknowledging sees the same transactions again: delivery is at least once, and the position where each
/// transaction ends (<see cref="TransactionCommit.Position"/>) is what de-duplicates (after a snapshot, store its
/// consistent point: every transaction the snapshot does not hold ends above it). Rows of other tenants or tables than <see cref="ChangeStreamOptions"/> asks for
/// are left out (their transactions' begin and commit still come, so positions keep moving).
/// </summary>
public sealed class ChangeStream : IAsyncDisposable
{
    private readonly ChangeStreamOptions _options;
    private LogicalReplicationConnection? _connection;

    /// <summary>A stream over <paramref name="options"/>' slot; nothing connects until <see cref="ReadAsync"/>.</summary>
    public ChangeStream(ChangeStreamOptions options) => _options = options;

    /// <summary>
    /// The events from <paramref name="from"/> (a snapshot's consistent point) or, when null, from the slot's last
    /// acknowledged position. Ends only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async IAsyncEnumerable<ChangeEvent> ReadAsync(NpgsqlLogSequenceNumber? from = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_connection is not null)
            throw new InvalidOperationException("This ChangeStream is already reading; a slot has one reader at a time.");
        await using (var check = await ReplicationConnections.OpenPlainAsync(_options.ConnectionString, cancellationToken))
        {
            await StreamPreflight.CheckServerAsync(check, _options.Stream.Publication, cancellationToken);
            await StreamPreflight.CheckSlotAsync(check, _options.SlotName, cancellationToken);
        }
        _connection = await ReplicationConnections.OpenAsync(_options.ConnectionString, cancellationToken);
        var messages = _connection.StartReplication(
            new PgOutputReplicationSlot(_options.SlotName),
            new PgOutputReplicationOptions(_options.Stream.Publication, PgOutputProtocolVersion.V1, binary: false),
            cancellationToken, from);

        await using var enumerator = Translate(messages, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            ChangeEvent? next;
            try
            {
                if (!await enumerator.MoveNextAsync())
                    yield break;
                next = enumerator.Current;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedObject && e.MessageText.Contains("publication"))
            {
                throw new ChangeStreamException(ChangeStreamProblem.MissingPublication,
                    $"The publication '{_options.Stream.Publication}' was dropped while the stream read it: {e.MessageText}. Apply the migration that creates it, then resume.", e);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedObject && e.MessageText.Contains("replication slot"))
            {
                throw new ChangeStreamException(ChangeStreamProblem.MissingSlot,
                    $"The replication slot '{_options.SlotName}' was dropped: {e.MessageText}. The changes since its last acknowledged position are gone: rebuild from a new snapshot.", e);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                // Cancelling tears the replication connection down under a read in progress (a row's values, say), which
                // then fails as disposed or broken: to the caller that is the stop it asked for.
                throw new OperationCanceledException("The change stream was stopped.", e, cancellationToken);
            }
            yield return next;
        }

        async IAsyncEnumerable<ChangeEvent> Translate(IAsyncEnumerable<PgOutputReplicationMessage> source, [EnumeratorCancellation] CancellationToken token)
        {
            // Row messages carry no position: each takes its transaction's, from the begin message before it.
            var commitLsn = default(NpgsqlLogSequenceNumber);
            var commitTime = default(DateTimeOffset);
            await foreach (var message in source.WithCancellation(token))
            {
                switch (message)
                {
                    case BeginMessage begin:
                        (commitLsn, commitTime) = (begin.TransactionFinalLsn, new DateTimeOffset(begin.TransactionCommitTimestamp, TimeSpan.Zero));
                        yield return new TransactionBegin(begin.TransactionXid, commitLsn, commitTime);
                        break;
                    case CommitMessage commit:
                        yield return new TransactionCommit(commit.CommitLsn, commit.TransactionEndLsn, new DateTimeOffset(commit.TransactionCommitTimestamp, TimeSpan.Zero));
                        break;
                    case InsertMessage insert:
                        if (await DecodeAsync(ChangeKind.Insert, insert.Relation, insert.NewRow, null, commitLsn, commitTime, token) is { } inserted)
                            yield return inserted;
                        break;
                    case UpdateMessage update:
                        var oldRow = update switch
                        {
                            FullUpdateMessage full => full.OldRow,
                            IndexUpdateMessage index => index.Key,
                            _ => null,
                        };
                        var oldValues = oldRow is null ? null : await ReadValuesAsync(update.Relation, oldRow, token);
                        if (await DecodeAsync(ChangeKind.Update, update.Relation, update.NewRow, oldValues, commitLsn, commitTime, token) is { } updated)
                            yield return updated;
                        break;
                    case DeleteMessage delete:
                        var key = delete switch
                        {
                            FullDeleteMessage full => full.OldRow,
                            KeyDeleteMessage keyDelete => keyDelete.Key,
                            _ => null,
                        };
                        if (key is null)
                            break; // REPLICA IDENTITY NOTHING sends no key: nothing says which row went (schema.yaml's tables have keys)
                        var keyValues = await ReadValuesAsync(delete.Relation, key, token);
                        if (Decoder(delete.Relation) is { } decoder && Accepts(decoder, null, keyValues))
                            yield return decoder.Decode(ChangeKind.Delete, null, keyValues, commitLsn, commitTime);
                        break;
                }
            }
        }
    }

    /// <summary>
    /// Tells the server that every transaction up to <paramref name="position"/> (a <see cref="TransactionCommit.Position"/>)
    /// is applied: the slot releases the WAL before it, and a restart resumes after it.
    /// </summary>
    public async Task AcknowledgeAsync(NpgsqlLogSequenceNumber position, CancellationToken cancellationToken = default)
    {
        var connection = _connection ?? throw new InvalidOperationException("Acknowledge while reading: the position goes to the server over the stream's connection.");
        connection.SetReplicationStatus(position);
        await connection.SendStatusUpdate(cancellationToken);
    }

    /// <summary>Closes the replication connection; the slot keeps the last acknowledged position.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
        _connection = null;
    }

    private StreamTableDecoder? Decoder(RelationMessage relation)
        => _options.Wants(relation.RelationName) ? _options.Stream.Decoder(relation.RelationName) : null;

    private bool Accepts(StreamTableDecoder decoder, StreamRowValues? newRow, StreamRowValues? oldKey)
        => _options.Tenant is not { } tenant || decoder.TenantOf(newRow, oldKey) == tenant;

    private async Task<RowChange?> DecodeAsync(ChangeKind kind, RelationMessage relation, ReplicationTuple row, StreamRowValues? oldKey,
        NpgsqlLogSequenceNumber commitLsn, DateTimeOffset commitTime, CancellationToken token)
    {
        var values = await ReadValuesAsync(relation, row, token);
        if (Decoder(relation) is not { } decoder || !Accepts(decoder, values, oldKey))
            return null;
        return decoder.Decode(kind, values, oldKey, commitLsn, commitTime);
    }

    private static async Task<StreamRowValues> ReadValuesAsync(RelationMessage relation, ReplicationTuple tuple, CancellationToken token)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var unchanged = new HashSet<string>(StringComparer.Ordinal);
        var column = 0;
        await foreach (var value in tuple.WithCancellation(token))
        {
            var name = relation.Columns[column++].ColumnName;
            if (value.IsUnchangedToastedValue)
                unchanged.Add(name);
            else
                values[name] = value.IsDBNull ? null : await value.Get<string>(token);
        }
        return new StreamRowValues(values, unchanged);
    }
}
