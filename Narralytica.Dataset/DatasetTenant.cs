using System;

namespace Narralytica.Dataset;

/// <summary>
/// One tenant of the data set. Transcripts 0 … <see cref="TranscriptCount"/> − 1 hold segments and layers;
/// one more, <see cref="SpareTranscriptIndex"/>, is loaded empty (its video, speakers and transcript row only),
/// so writers can fill it in a transaction they roll back (ingest benchmarks, tests).
/// </summary>
public sealed record DatasetTenant(int Index, Guid Id, string Slug, string Name, int TranscriptCount, int LayerVersions, bool IsGrowth)
{
    public int SpareTranscriptIndex => TranscriptCount;
}
