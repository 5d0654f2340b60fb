using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Narralytica.Dataset;

/// <summary>
/// A reproducible data set: the same <see cref="DatasetOptions"/> give the same rows and ids on every machine
/// and in every process. Nothing is held in memory; each transcript's rows are generated on demand from a
/// <see cref="Random"/> seeded by (seed, tenant, transcript), so a benchmark process can recompute its inputs
/// (ids, time windows) without reading the database.
/// </summary>
public sealed class TranscriptDataset
{
    private static readonly string[] Words =
    {
        "the", "market", "video", "people", "really", "think", "story", "today", "because", "again", "question",
        "data", "city", "water", "interview", "minute", "season", "right", "actually", "growth", "plan", "team",
        "we", "you", "they", "said", "know", "going", "about", "important", "next", "week", "news", "energy",
    };

    private static readonly string[] VideoSources = { "upload", "youtube", "vimeo", "podcast_feed", "other" };
    private static readonly string[] TranscriptOrigins = { "asr", "human", "imported" };
    private static readonly string[] Sentiments = { "positive", "neutral", "negative" };

    private readonly DeterministicIds _ids;

    public TranscriptDataset(DatasetOptions options)
    {
        if (options.Tenants < 1 || options.TranscriptsPerTenant < 1 || options.SegmentsPerTranscript < 1 || options.LayerVersions < 1 || options.LayerKinds.Count < 1)
            throw new ArgumentException("A data set needs at least one tenant, transcript, segment, layer kind and layer version.", nameof(options));
        Options = options;
        _ids = new DeterministicIds(options.Seed);
        var tenants = Enumerable.Range(0, options.Tenants)
            .Select(i => NewTenant(i, $"tenant-{i}", $"Tenant {i}", options.TranscriptsPerTenant, options.LayerVersions, isGrowth: false))
            .ToList();
        if (options.GrowthFactor > 0)
        {
            Growth = NewTenant(options.Tenants, "growth", "Growth tenant", options.TranscriptsPerTenant * options.GrowthFactor,
                options.GrowthLayerVersions ?? options.LayerVersions, isGrowth: true);
            tenants.Add(Growth);
        }
        Tenants = tenants;
    }

    public DatasetOptions Options { get; }

    /// <summary>Every tenant, in load order: the normal ones, then the growth tenant if there is one.</summary>
    public IReadOnlyList<DatasetTenant> Tenants { get; }

    /// <summary>The tenant with <see cref="DatasetOptions.GrowthFactor"/> times the segments of a normal one, if any.</summary>
    public DatasetTenant? Growth { get; }

    public long SegmentCount(DatasetTenant tenant) => (long)tenant.TranscriptCount * Options.SegmentsPerTranscript;

    public long LayerCount(DatasetTenant tenant) => SegmentCount(tenant) * Options.LayerKinds.Count * tenant.LayerVersions;

    public Guid TranscriptId(DatasetTenant tenant, int transcriptIndex) => _ids.For(tenant.Index, RowTable.Transcript, transcriptIndex);

    /// <summary>The id of the <paramref name="position"/>-th segment of the tenant in key order (which is load order).</summary>
    public Guid SegmentIdAt(DatasetTenant tenant, long position) => _ids.For(tenant.Index, RowTable.Segment, position);

    public TenantRow TenantRow(DatasetTenant tenant)
        => new(tenant.Id, tenant.Slug, tenant.Name, _ids.CreatedAt(tenant.Index, RowTable.Tenant, 0));

    /// <summary>The video, speakers and transcript row of a transcript (also of the spare one).</summary>
    public TranscriptHeader Header(DatasetTenant tenant, int transcriptIndex)
    {
        var random = RandomFor(tenant, transcriptIndex, purpose: 0);
        var t = tenant.Index;
        var videoId = _ids.For(t, RowTable.Video, transcriptIndex);
        var videoCreated = _ids.CreatedAt(t, RowTable.Video, transcriptIndex);
        var durationMs = (long)Options.SegmentsPerTranscript * 8_200;
        var video = new VideoRow(
            tenant.Id, videoId, VideoSources[random.Next(VideoSources.Length)], $"ext-{tenant.Index}-{transcriptIndex:D6}",
            random.Next(4) == 0 ? null : $"https://videos.example/{tenant.Slug}/{transcriptIndex}", $"Episode {transcriptIndex} of {tenant.Name}",
            "en", durationMs, videoCreated.AddDays(-random.Next(1, 365)), $"{{\"channel\": \"{tenant.Slug}\", \"episode\": {transcriptIndex}}}", videoCreated);

        var speakers = new List<SpeakerRow>();
        var speakerCount = random.Next(2, 5);
        for (var k = 0; k < speakerCount; k++)
        {
            // Four speaker rows are reserved per video, so speaker ids stay computable.
            var row = transcriptIndex * 4L + k;
            speakers.Add(new SpeakerRow(tenant.Id, _ids.For(t, RowTable.Speaker, row), videoId, $"SPEAKER_{k:D2}",
                random.Next(3) == 0 ? null : $"Speaker {k} of episode {transcriptIndex}", "{}", _ids.CreatedAt(t, RowTable.Speaker, row)));
        }

        var transcript = new TranscriptRow(tenant.Id, TranscriptId(tenant, transcriptIndex), videoId, "en",
            TranscriptOrigins[random.Next(TranscriptOrigins.Length)], 1, _ids.CreatedAt(t, RowTable.Transcript, transcriptIndex));
        return new TranscriptHeader(video, speakers, transcript);
    }

    /// <summary>
    /// The segments of a transcript (consecutive, non-overlapping, 1–15 s long, in start order) and, for each,
    /// every version of every layer kind.
    /// </summary>
    public TranscriptContent Content(DatasetTenant tenant, int transcriptIndex)
    {
        var header = Header(tenant, transcriptIndex);
        var random = RandomFor(tenant, transcriptIndex, purpose: 1);
        var t = tenant.Index;
        var perTranscript = Options.SegmentsPerTranscript;
        var layersPerSegment = Options.LayerKinds.Count * tenant.LayerVersions;
        var segments = new List<SegmentRow>(perTranscript);
        var layers = new List<LayerRow>(perTranscript * layersPerSegment);
        var startMs = random.Next(0, 2_000);
        for (var ordinal = 0; ordinal < perTranscript; ordinal++)
        {
            var position = (long)transcriptIndex * perTranscript + ordinal;
            var endMs = startMs + random.Next(1_000, 15_001);
            var speaker = random.Next(12) == 0 ? (Guid?)null : header.Speakers[random.Next(header.Speakers.Count)].Id;
            var confidence = random.Next(20) == 0 ? (float?)null : (float)random.NextDouble();
            var segment = new SegmentRow(tenant.Id, _ids.For(t, RowTable.Segment, position), header.Transcript.Id, speaker, ordinal,
                startMs, endMs, Sentence(random), confidence, _ids.CreatedAt(t, RowTable.Segment, position));
            segments.Add(segment);
            for (var k = 0; k < Options.LayerKinds.Count; k++)
                for (var version = 1; version <= tenant.LayerVersions; version++)
                {
                    var row = position * layersPerSegment + k * tenant.LayerVersions + version - 1;
                    var kind = Options.LayerKinds[k];
                    layers.Add(new LayerRow(tenant.Id, _ids.For(t, RowTable.Layer, row), segment.Id, kind, version, $"{kind}-pipeline",
                        version == 1 && k == 0 ? null : $"{kind}-model-{version}", Payload(kind, version, random), _ids.CreatedAt(t, RowTable.Layer, row)));
                }
            startMs = endMs + random.Next(0, 401);
        }
        return new TranscriptContent(header, segments, layers);
    }

    private DatasetTenant NewTenant(int index, string slug, string name, int transcripts, int layerVersions, bool isGrowth)
        => new(index, _ids.For(index, RowTable.Tenant, 0), slug, name, transcripts, layerVersions, isGrowth);

    // Not HashCode.Combine: it is randomized per process, and every process must see the same rows.
    private Random RandomFor(DatasetTenant tenant, int transcriptIndex, int purpose)
        => new(unchecked(Options.Seed * 1_000_003 + tenant.Index * 7_919 + transcriptIndex * 104_729 + purpose * 15_485_863));

    private static string Sentence(Random random)
    {
        var text = new StringBuilder();
        var words = random.Next(6, 25);
        for (var w = 0; w < words; w++)
        {
            if (w > 0)
                text.Append(' ');
            text.Append(Words[random.Next(Words.Length)]);
        }
        return text.Append('.').ToString();
    }

    private static string Payload(string kind, int version, Random random) => kind switch
    {
        "sentiment" => $"{{\"label\": \"{Sentiments[random.Next(3)]}\", \"score\": 0.{random.Next(0, 1000):D3}, \"version\": {version}}}",
        "topics" => $"{{\"topics\": [\"{Words[random.Next(Words.Length)]}\", \"{Words[random.Next(Words.Length)]}\"], \"version\": {version}}}",
        _ => $"{{\"text\": \"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]}\", \"version\": {version}}}",
    };
}
