using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;

namespace Narralytica.Benchmarks.Competitors;

/// <summary>
/// The baseline of the change stream benchmark: Npgsql's pgoutput consumer written by hand for one table, reading
/// each update's values by position into a <see cref="Segment"/> (text format, as the generated stream reads), with
/// no checks before starting, no filters and no per-table dispatch.
/// </summary>
public static class RawPgOutput
{
    /// <summary>Reads the slot until <paramref name="expected"/> segment updates and the commit after them have come; returns the count.</summary>
    public static async Task<int> ReadSegmentUpdatesAsync(string connectionString, string slot, string publication, int expected, CancellationToken cancellationToken)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Options = "-c DateStyle=ISO -c TimeZone=UTC" };
        await using var connection = new LogicalReplicationConnection(builder.ConnectionString);
        await connection.Open(cancellationToken);
        var count = 0;
        await foreach (var message in connection.StartReplication(new PgOutputReplicationSlot(slot), new PgOutputReplicationOptions(publication, PgOutputProtocolVersion.V1, binary: false), cancellationToken))
        {
            if (message is UpdateMessage update && update.Relation.RelationName == "segments")
            {
                var segment = new Segment();
                var column = 0;
                await foreach (var value in update.NewRow)
                {
                    var text = value.IsDBNull || value.IsUnchangedToastedValue ? null : await value.Get<string>(cancellationToken);
                    switch (column++)
                    {
                        case 0: segment.TenantId = Guid.Parse(text!); break;
                        case 1: segment.Id = Guid.Parse(text!); break;
                        case 2: segment.TranscriptId = Guid.Parse(text!); break;
                        case 3: segment.SpeakerId = text is null ? null : Guid.Parse(text); break;
                        case 4: segment.Ordinal = int.Parse(text!, CultureInfo.InvariantCulture); break;
                        case 5: segment.StartMs = int.Parse(text!, CultureInfo.InvariantCulture); break;
                        case 6: segment.EndMs = int.Parse(text!, CultureInfo.InvariantCulture); break;
                        case 7: segment.Text = text!; break;
                        case 8: segment.Confidence = text is null ? null : float.Parse(text, CultureInfo.InvariantCulture); break;
                        case 9: segment.CreatedAt = DateTimeOffset.ParseExact(text!, "yyyy-MM-dd HH:mm:ss.FFFFFFzz", CultureInfo.InvariantCulture); break;
                        case 10: segment.UpdatedAt = DateTimeOffset.ParseExact(text!, "yyyy-MM-dd HH:mm:ss.FFFFFFzz", CultureInfo.InvariantCulture); break;
                    }
                }
                count++;
            }
            else if (message is CommitMessage && count >= expected)
                return count;
        }
        return count;
    }
}
