using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using LinqToDB.Async;
using LinqToDB.Data;
using Narralytica.Benchmarks.HotPaths;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Benchmarks.Competitors;

/// <summary>
/// The hot paths in hand-written linq2db LINQ through the tenant scope, the way an application would use
/// Narralytica.Model today (every query carries tenant_id = @tenant from the scope). One connection per benchmark.
/// </summary>
public sealed class Linq2DbQueries
{
    private static readonly BulkCopyOptions ProviderSpecificCopy = new() { BulkCopyType = BulkCopyType.ProviderSpecific };

    private readonly TenantScope _scope;

    public Linq2DbQueries(TenantScope scope) => _scope = scope;

    public Task<List<Segment>> WindowAsync(Guid transcriptId, int fromMs, int toMs)
        => _scope.Segments
            .Where(s => s.TranscriptId == transcriptId && s.StartMs >= fromMs - HotPathSql.MaxSegmentMs && s.StartMs < toMs && s.EndMs > fromMs)
            .OrderBy(s => s.StartMs)
            .ToListAsync();

    public Task<List<Segment>> WholeTranscriptAsync(Guid transcriptId)
        => _scope.Segments
            .Where(s => s.TranscriptId == transcriptId)
            .OrderBy(s => s.Ordinal)
            .ToListAsync();

    /// <summary>A correlated Take(1) per segment, which linq2db turns into a LATERAL join.</summary>
    public async Task<List<Layer>> LatestLayersAsync(Guid[] segmentIds, string kind)
    {
        // A table of the scope inside the query's expression is held in a local: C# does not put an extension property
        // (the generated tables are extension members of TenantScope) into an expression tree.
        var layers = _scope.Layers;
        var latest = await (
                from s in _scope.Segments
                where segmentIds.Contains(s.Id)
                from l in layers.Where(l => l.SegmentId == s.Id && l.Kind == kind).OrderByDescending(l => l.Version).Take(1)
                select l)
            .ToListAsync();
        return InputOrder.Arrange(latest, segmentIds);
    }

    /// <summary>Keyset paging: a page of segments after the cursor, then the latest layer of each kind for the page.</summary>
    public async Task<int> FeedAsync(Guid cursor, int segments, int pageSize)
    {
        var items = 0;
        while (items < segments)
        {
            var take = Math.Min(pageSize, segments - items);
            var page = await _scope.Segments
                .Where(s => Linq2DbKeyset.After(s.Id, cursor))
                .OrderBy(s => s.Id)
                .Take(take)
                .ToListAsync();
            if (page.Count == 0)
                break;
            var ids = page.Select(s => s.Id).ToList();
            var layers = await _scope.Layers
                .Where(l => ids.Contains(l.SegmentId))
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
        await using var transaction = await _scope.Db.BeginTransactionAsync();
        var written = (await _scope.Db.BulkCopyAsync(ProviderSpecificCopy, segments)).RowsCopied
            + (await _scope.Db.BulkCopyAsync(ProviderSpecificCopy, layers)).RowsCopied;
        await transaction.RollbackAsync();
        return (int)written;
    }
}
