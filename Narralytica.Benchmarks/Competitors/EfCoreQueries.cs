using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Narralytica.Benchmarks.HotPaths;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.Competitors;

/// <summary>
/// The hot paths in EF Core LINQ, as a developer would write them: AsNoTracking queries on one context held
/// for the benchmark, and for the ingest a fresh tracking context per unit of work (AddRange + SaveChanges).
/// </summary>
public sealed class EfCoreQueries : IAsyncDisposable
{
    private readonly DbContextOptions<EfCoreContext> _options;
    private readonly EfCoreContext _context;

    public EfCoreQueries(NpgsqlDataSource dataSource)
    {
        _options = EfCoreContext.Options(dataSource);
        _context = new EfCoreContext(_options);
    }

    public Task<List<Segment>> WindowAsync(Guid tenantId, Guid transcriptId, int fromMs, int toMs)
        => _context.Segments.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.TranscriptId == transcriptId
                && s.StartMs >= fromMs - HotPathSql.MaxSegmentMs && s.StartMs < toMs && s.EndMs > fromMs)
            .OrderBy(s => s.StartMs)
            .ToListAsync();

    public Task<List<Segment>> WholeTranscriptAsync(Guid tenantId, Guid transcriptId)
        => _context.Segments.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.TranscriptId == transcriptId)
            .OrderBy(s => s.Ordinal)
            .ToListAsync();

    /// <summary>"Latest per group" the way EF Core's documentation and most answers write it: GroupBy, then First of each group.</summary>
    public async Task<List<Layer>> LatestLayersAsync(Guid tenantId, Guid[] segmentIds, string kind)
    {
        var latest = await _context.Layers.AsNoTracking()
            .Where(l => l.TenantId == tenantId && segmentIds.Contains(l.SegmentId) && l.Kind == kind)
            .GroupBy(l => l.SegmentId)
            .Select(g => g.OrderByDescending(l => l.Version).First())
            .ToListAsync();
        return InputOrder.Arrange(latest, segmentIds);
    }

    /// <summary>Keyset paging: a page of segments after the cursor, then the latest layer of each kind for the page.</summary>
    public async Task<int> FeedAsync(Guid tenantId, Guid cursor, int segments, int pageSize)
    {
        var items = 0;
        while (items < segments)
        {
            var take = Math.Min(pageSize, segments - items);
            var page = await _context.Segments.AsNoTracking()
                .Where(s => s.TenantId == tenantId && s.Id.CompareTo(cursor) > 0)
                .OrderBy(s => s.Id)
                .Take(take)
                .ToListAsync();
            if (page.Count == 0)
                break;
            var ids = page.Select(s => s.Id).ToList();
            var layers = await _context.Layers.AsNoTracking()
                .Where(l => l.TenantId == tenantId && ids.Contains(l.SegmentId))
                .GroupBy(l => new { l.SegmentId, l.Kind })
                .Select(g => g.OrderByDescending(l => l.Version).First())
                .ToListAsync();
            items += FeedPages.Group(page, layers).Count;
            cursor = page[^1].Id;
        }
        return items;
    }

    public async Task<int> IngestAndRollBackAsync(IReadOnlyList<Segment> segments, IReadOnlyList<Layer> layers)
    {
        await using var context = new EfCoreContext(_options);
        await using var transaction = await context.Database.BeginTransactionAsync();
        context.Segments.AddRange(segments);
        context.Layers.AddRange(layers);
        var written = await context.SaveChangesAsync();
        await transaction.RollbackAsync();
        return written;
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
