using System;

namespace Narralytica.Database.Search;

/// <summary>A segment that matches a search, with its rank (higher is better).</summary>
public sealed record SearchHit(Guid SegmentId, Guid TranscriptId, string Text, float Rank);
