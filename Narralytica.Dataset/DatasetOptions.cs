using System;
using System.Collections.Generic;

namespace Narralytica.Dataset;

/// <summary>
/// The shape of a generated data set. Every tenant has <see cref="TranscriptsPerTenant"/> transcripts of
/// <see cref="SegmentsPerTranscript"/> segments, and each segment <see cref="LayerVersions"/> versions of every
/// layer kind. The optional growth tenant has <see cref="GrowthFactor"/> times a normal tenant's transcripts,
/// so queries can be compared on a tenant ten times larger.
/// </summary>
public sealed record DatasetOptions
{
    public int Tenants { get; init; } = 2;
    public int TranscriptsPerTenant { get; init; } = 10;
    public int SegmentsPerTranscript { get; init; } = 300;
    public IReadOnlyList<string> LayerKinds { get; init; } = new[] { "summary", "sentiment", "topics" };
    public int LayerVersions { get; init; } = 2;
    public int Seed { get; init; } = 20250101;

    /// <summary>How many times a normal tenant's segments the growth tenant holds; 0 means no growth tenant.</summary>
    public int GrowthFactor { get; init; }

    /// <summary>Layer versions per kind in the growth tenant; null means <see cref="LayerVersions"/>.</summary>
    public int? GrowthLayerVersions { get; init; }

    /// <summary>
    /// 2 tenants × 100 transcripts × 2,000 segments (400,000 segments, 2.4M layers), and a growth tenant of
    /// 10× a normal tenant (2M segments). Its layers are kept to one version per kind (6M rows instead of
    /// 12M), which halves its share of the load: the whole set loads in about 3 minutes on 2 cores (the growth
    /// tenant about 2.3), about 3.7 GB. The growth benchmarks compare segments per tenant, which it keeps; a
    /// latest-version lookup reads one index entry per group either way.
    /// </summary>
    public static DatasetOptions Full { get; } = new()
    {
        Tenants = 2,
        TranscriptsPerTenant = 100,
        SegmentsPerTranscript = 2_000,
        LayerVersions = 2,
        GrowthFactor = 10,
        GrowthLayerVersions = 1,
    };

    /// <summary>Tiny, for a smoke run of every benchmark: loads in a few seconds.</summary>
    public static DatasetOptions Quick { get; } = new()
    {
        Tenants = 2,
        TranscriptsPerTenant = 4,
        SegmentsPerTranscript = 200,
        LayerVersions = 2,
        GrowthFactor = 10,
    };

    /// <summary>Small, but large enough that PostgreSQL's planner picks the indexes a real tenant would use.</summary>
    public static DatasetOptions Test { get; } = new()
    {
        Tenants = 2,
        TranscriptsPerTenant = 10,
        SegmentsPerTranscript = 300,
        LayerVersions = 2,
    };

    /// <summary>A preset by name (full, quick, test), for passing the choice through an environment variable.</summary>
    public static DatasetOptions Preset(string name) => name.ToLowerInvariant() switch
    {
        "full" => Full,
        "quick" => Quick,
        "test" => Test,
        _ => throw new ArgumentException($"Unknown data set preset '{name}'; use full, quick or test.", nameof(name)),
    };
}
