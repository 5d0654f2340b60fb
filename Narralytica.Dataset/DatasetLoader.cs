using System;
using System.Collections.Generic;
using System.Linq;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace Narralytica.Dataset;

/// <summary>
/// Writes a <see cref="TranscriptDataset"/> into a database whose schema already exists (migrations applied),
/// with typed binary COPY, one transaction per tenant, then VACUUM ANALYZE.
/// </summary>
public static class DatasetLoader
{
    public static async Task<LoadReport> LoadAsync(string connectionString, TranscriptDataset dataset, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        // No command timeout: finishing a COPY of millions of rows (its foreign key checks run at the end) and
        // VACUUM take minutes. Unmapped types: the enum columns are written by their PostgreSQL type name.
        var noTimeout = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString;
        await using var dataSource = new NpgsqlDataSourceBuilder(noTimeout).EnableUnmappedTypes().Build();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        long segments = 0, layers = 0;
        foreach (var tenant in dataset.Tenants)
        {
            var tenantClock = Stopwatch.StartNew();
            await InTransactionAsync(connection, () => CopyHeadersAsync(connection, dataset, tenant, cancellationToken), cancellationToken);
            // A few transcripts per transaction: the foreign-key checks of a COPY are queued until its
            // statement ends, and one queue of millions of rows makes a big tenant load superlinearly.
            for (var first = 0; first < tenant.TranscriptCount; first += TranscriptsPerTransaction)
            {
                var contents = Enumerable.Range(first, Math.Min(TranscriptsPerTransaction, tenant.TranscriptCount - first))
                    .Select(i => dataset.Content(tenant, i)).ToList();
                await InTransactionAsync(connection, () => CopyContentsAsync(connection, contents, cancellationToken), cancellationToken);
            }
            segments += dataset.SegmentCount(tenant);
            layers += dataset.LayerCount(tenant);
            log?.WriteLine($"  {tenant.Slug}: {dataset.SegmentCount(tenant):N0} segments, {dataset.LayerCount(tenant):N0} layers in {tenantClock.Elapsed.TotalSeconds:F1} s");
        }

        // ANALYZE for the planner's statistics; VACUUM so the first benchmark reads do not pay for setting
        // hint bits and the visibility map (index-only scans) on freshly copied pages.
        var vacuumClock = Stopwatch.StartNew();
        await using (var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", connection))
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        log?.WriteLine($"  VACUUM (ANALYZE) in {vacuumClock.Elapsed.TotalSeconds:F1} s");

        await using var size = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        var bytes = (long)(await size.ExecuteScalarAsync(cancellationToken))!;
        return new LoadReport(clock.Elapsed, segments, layers, bytes);
    }

    private const int TranscriptsPerTransaction = 10;

    private static async Task InTransactionAsync(NpgsqlConnection connection, Func<Task> work, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await work();
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task CopyHeadersAsync(NpgsqlConnection connection, TranscriptDataset dataset, DatasetTenant tenant, CancellationToken cancellationToken)
    {
        // The importer's Write calls are synchronous on purpose: they only fill a buffer, and an await per
        // value would cost more than the COPY itself. Each table is one COPY; parents before children.
        var tenantRow = dataset.TenantRow(tenant);
        await CopyAsync(connection, "tenants (id, slug, name, created_at, updated_at)", writer =>
        {
            writer.StartRow();
            writer.Write(tenantRow.Id, NpgsqlDbType.Uuid);
            writer.Write(tenantRow.Slug, NpgsqlDbType.Varchar);
            writer.Write(tenantRow.Name, NpgsqlDbType.Text);
            WriteTimestamps(writer, tenantRow.CreatedAt);
        }, cancellationToken);

        // The spare transcript (index TranscriptCount) gets its header rows but no segments.
        var headers = new TranscriptHeader[tenant.TranscriptCount + 1];
        for (var i = 0; i < headers.Length; i++)
            headers[i] = dataset.Header(tenant, i);

        await CopyAsync(connection, "videos (tenant_id, id, source, external_id, url, title, language, duration_ms, published_at, metadata, created_at, updated_at)", writer =>
        {
            foreach (var header in headers)
            {
                var v = header.Video;
                writer.StartRow();
                writer.Write(v.TenantId, NpgsqlDbType.Uuid);
                writer.Write(v.Id, NpgsqlDbType.Uuid);
                writer.Write(v.Source, "video_source");
                writer.Write(v.ExternalId, NpgsqlDbType.Varchar);
                WriteOrNull(writer, v.Url, NpgsqlDbType.Text);
                writer.Write(v.Title, NpgsqlDbType.Text);
                WriteOrNull(writer, v.Language, NpgsqlDbType.Varchar);
                WriteOrNull(writer, v.DurationMs, NpgsqlDbType.Bigint);
                WriteOrNull(writer, v.PublishedAt, NpgsqlDbType.TimestampTz);
                writer.Write(v.Metadata, NpgsqlDbType.Jsonb);
                WriteTimestamps(writer, v.CreatedAt);
            }
        }, cancellationToken);

        await CopyAsync(connection, "speakers (tenant_id, id, video_id, label, display_name, metadata, created_at, updated_at)", writer =>
        {
            foreach (var header in headers)
                foreach (var s in header.Speakers)
                {
                    writer.StartRow();
                    writer.Write(s.TenantId, NpgsqlDbType.Uuid);
                    writer.Write(s.Id, NpgsqlDbType.Uuid);
                    WriteOrNull(writer, s.VideoId, NpgsqlDbType.Uuid);
                    writer.Write(s.Label, NpgsqlDbType.Varchar);
                    WriteOrNull(writer, s.DisplayName, NpgsqlDbType.Text);
                    writer.Write(s.Metadata, NpgsqlDbType.Jsonb);
                    WriteTimestamps(writer, s.CreatedAt);
                }
        }, cancellationToken);

        await CopyAsync(connection, "transcripts (tenant_id, id, video_id, language, origin, revision, created_at, updated_at)", writer =>
        {
            foreach (var header in headers)
            {
                var t = header.Transcript;
                writer.StartRow();
                writer.Write(t.TenantId, NpgsqlDbType.Uuid);
                writer.Write(t.Id, NpgsqlDbType.Uuid);
                writer.Write(t.VideoId, NpgsqlDbType.Uuid);
                writer.Write(t.Language, NpgsqlDbType.Varchar);
                writer.Write(t.Origin, "transcript_origin");
                writer.Write(t.Revision, NpgsqlDbType.Integer);
                WriteTimestamps(writer, t.CreatedAt);
            }
        }, cancellationToken);
    }

    /// <summary>The segments, then the layers, of a few transcripts.</summary>
    private static async Task CopyContentsAsync(NpgsqlConnection connection, List<TranscriptContent> contents, CancellationToken cancellationToken)
    {
        await CopyAsync(connection, "segments (tenant_id, id, transcript_id, speaker_id, ordinal, start_ms, end_ms, text, confidence, created_at, updated_at)", writer =>
        {
            foreach (var content in contents)
                foreach (var s in content.Segments)
                {
                    writer.StartRow();
                    writer.Write(s.TenantId, NpgsqlDbType.Uuid);
                    writer.Write(s.Id, NpgsqlDbType.Uuid);
                    writer.Write(s.TranscriptId, NpgsqlDbType.Uuid);
                    WriteOrNull(writer, s.SpeakerId, NpgsqlDbType.Uuid);
                    writer.Write(s.Ordinal, NpgsqlDbType.Integer);
                    writer.Write(s.StartMs, NpgsqlDbType.Integer);
                    writer.Write(s.EndMs, NpgsqlDbType.Integer);
                    writer.Write(s.Text, NpgsqlDbType.Text);
                    WriteOrNull(writer, s.Confidence, NpgsqlDbType.Real);
                    WriteTimestamps(writer, s.CreatedAt);
                }
        }, cancellationToken);

        await CopyAsync(connection, "layers (tenant_id, id, segment_id, kind, version, producer, model, payload, created_at)", writer =>
        {
            foreach (var content in contents)
                foreach (var l in content.Layers)
                {
                    writer.StartRow();
                    writer.Write(l.TenantId, NpgsqlDbType.Uuid);
                    writer.Write(l.Id, NpgsqlDbType.Uuid);
                    writer.Write(l.SegmentId, NpgsqlDbType.Uuid);
                    writer.Write(l.Kind, NpgsqlDbType.Varchar);
                    writer.Write(l.Version, NpgsqlDbType.Integer);
                    writer.Write(l.Producer, NpgsqlDbType.Varchar);
                    WriteOrNull(writer, l.Model, NpgsqlDbType.Varchar);
                    writer.Write(l.Payload, NpgsqlDbType.Jsonb);
                    writer.Write(l.CreatedAt, NpgsqlDbType.TimestampTz);
                }
        }, cancellationToken);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string tableAndColumns, Action<NpgsqlBinaryImporter> writeRows, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {tableAndColumns} FROM STDIN (FORMAT BINARY)", cancellationToken);
        writeRows(writer);
        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>created_at and updated_at: a freshly loaded row was last changed when it was created.</summary>
    private static void WriteTimestamps(NpgsqlBinaryImporter writer, DateTimeOffset createdAt)
    {
        writer.Write(createdAt, NpgsqlDbType.TimestampTz);
        writer.Write(createdAt, NpgsqlDbType.TimestampTz);
    }

    private static void WriteOrNull<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } present)
            writer.Write(present, type);
        else
            writer.WriteNull();
    }

    private static void WriteOrNull(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type)
    {
        if (value is null)
            writer.WriteNull();
        else
            writer.Write(value, type);
    }
}
