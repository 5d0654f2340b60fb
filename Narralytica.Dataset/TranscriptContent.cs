using System.Collections.Generic;

namespace Narralytica.Dataset;

/// <summary>A transcript with the video it transcribes and that video's speakers.</summary>
public sealed record TranscriptHeader(VideoRow Video, IReadOnlyList<SpeakerRow> Speakers, TranscriptRow Transcript);

/// <summary>The segments of one transcript, in order, and every version of every layer kind of each.</summary>
public sealed record TranscriptContent(TranscriptHeader Header, IReadOnlyList<SegmentRow> Segments, IReadOnlyList<LayerRow> Layers)
{
    /// <summary>
    /// A time window [FromMs, ToMs) that exactly <paramref name="count"/> segments overlap, starting with
    /// segment <paramref name="firstOrdinal"/> (segments never overlap, so the one before ends by FromMs).
    /// </summary>
    public (int FromMs, int ToMs) WindowOver(int firstOrdinal, int count)
        => (Segments[firstOrdinal].StartMs, Segments[firstOrdinal + count - 1].StartMs + 1);
}
