using System;
using System.Collections.Generic;

namespace Narralytica.Dataset;

// The rows of the data set, column for column as in migrations/0001_initial.sql. Plain records of their
// own: the data set does not depend on the generated layer it is used to measure.

public sealed record TenantRow(Guid Id, string Slug, string Name, DateTimeOffset CreatedAt);

/// <summary><see cref="Source"/> is a label of the PostgreSQL enum video_source.</summary>
public sealed record VideoRow(
    Guid TenantId, Guid Id, string Source, string ExternalId, string? Url, string Title, string? Language,
    long? DurationMs, DateTimeOffset? PublishedAt, string Metadata, DateTimeOffset CreatedAt);

public sealed record SpeakerRow(Guid TenantId, Guid Id, Guid? VideoId, string Label, string? DisplayName, string Metadata, DateTimeOffset CreatedAt);

/// <summary><see cref="Origin"/> is a label of the PostgreSQL enum transcript_origin.</summary>
public sealed record TranscriptRow(Guid TenantId, Guid Id, Guid VideoId, string Language, string Origin, int Revision, DateTimeOffset CreatedAt);

public sealed record SegmentRow(
    Guid TenantId, Guid Id, Guid TranscriptId, Guid? SpeakerId, int Ordinal, int StartMs, int EndMs, string Text,
    float? Confidence, DateTimeOffset CreatedAt);

/// <summary><see cref="Payload"/> is JSON text for the jsonb column.</summary>
public sealed record LayerRow(
    Guid TenantId, Guid Id, Guid SegmentId, string Kind, int Version, string Producer, string? Model, string Payload,
    DateTimeOffset CreatedAt);
