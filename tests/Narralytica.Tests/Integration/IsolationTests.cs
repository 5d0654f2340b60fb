using System;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Integration;

/// <summary>Tenant B, through the API and through raw SQL, against tenant A's rows.</summary>
public sealed class IsolationTests : DatabaseTest
{
    public IsolationTests(PostgresFixture postgres) : base(postgres) { }

    private TenantGraph _a = null!;
    private TenantGraph _b = null!;

    private async Task SeedAsync()
    {
        _a = await TenantGraph.CreateAsync(Db, await NewTenantAsync("tenant-a"));
        _b = await TenantGraph.CreateAsync(Db, await NewTenantAsync("tenant-b"));
    }

    [Fact]
    public async Task Every_tenant_table_query_returns_only_the_scopes_rows()
    {
        await SeedAsync();
        var tables = ScopeMembers.Tables();
        Assert.Equal(NarralyticaSchema.Tables.Count(t => t.TenantScoped), tables.Count);
        foreach (var table in tables)
        {
            var rows = table.Rows(_b.Scope).ToList();
            Assert.True(rows.Count > 0, $"{table.Name}: the seed should give tenant B rows");
            Assert.All(rows, r => Assert.Equal(_b.Scope.TenantId, r.TenantId));
        }
    }

    [Fact]
    public void Scope_queries_carry_the_tenant_predicate_as_a_parameter()
    {
        var scope = Db.ForTenant(Guid.CreateVersion7());
        var sql = scope.Segments.Where(s => s.StartMs < 1000).ToSqlQuery().Sql;
        Assert.Matches(@"tenant_id\s*=\s*:", sql);
    }

    [Fact]
    public async Task Find_by_key_does_not_cross_tenants()
    {
        await SeedAsync();
        Assert.Null(await _b.Scope.FindSegmentAsync(_a.Segment.Id));
        Assert.Null(await _b.Scope.FindVideoAsync(_a.Video.Id));
        Assert.Null(await _b.Scope.FindLayerAsync(_a.Layer.Id));
        Assert.Null(await _b.Scope.FindJobAsync(_a.Job.Id));
        Assert.Null(await _b.Scope.FindAuditLogAsync(_a.Audit.Id));
        Assert.NotNull(await _a.Scope.FindSegmentAsync(_a.Segment.Id));
    }

    [Fact]
    public async Task Update_and_delete_of_another_tenants_row_are_refused_and_change_nothing()
    {
        await SeedAsync();
        var original = _a.Segment.Text;
        _a.Segment.Text = "hijacked";
        var update = await Assert.ThrowsAsync<TenantMismatchException>(() => _b.Scope.UpdateAsync(_a.Segment));
        Assert.Equal((_b.Scope.TenantId, _a.Scope.TenantId, "segments"), (update.ScopeTenant, update.RowTenant, update.Table));
        await Assert.ThrowsAsync<TenantMismatchException>(() => _b.Scope.DeleteAsync(_a.Video));
        Assert.Throws<TenantMismatchException>(() => _b.Scope.Delete(_a.Job));

        // A row whose tenant was rewritten to B's still cannot reach A's row: the key includes tenant_id.
        var disguised = new Segment { TenantId = _b.Scope.TenantId, Id = _a.Segment.Id, TranscriptId = _b.Transcript.Id, Ordinal = 5, StartMs = 0, EndMs = 10, Text = "x" };
        Assert.Equal(0, await _b.Scope.UpdateAsync(disguised));
        Assert.Equal(0, await _b.Scope.DeleteAsync(disguised));

        Assert.Equal(original, (await _a.Scope.FindSegmentAsync(_a.Segment.Id))!.Text);
        Assert.NotNull(await _a.Scope.FindVideoAsync(_a.Video.Id));
    }

    [Fact]
    public async Task Set_based_updates_and_deletes_stay_inside_the_tenant()
    {
        await SeedAsync();
        Assert.Equal(0, await _b.Scope.Segments.Where(s => s.Id == _a.Segment.Id).Set(s => s.Text, "hijacked").UpdateAsync());
        Assert.Equal(0, await _b.Scope.Jobs.Where(j => j.Id == _a.Job.Id).DeleteAsync());
        Assert.Equal(1, await _b.Scope.Segments.Set(s => s.Text, "B only").UpdateAsync());
        Assert.Equal(_a.Segment.Text, (await _a.Scope.FindSegmentAsync(_a.Segment.Id))!.Text);
        Assert.NotNull(await _a.Scope.FindJobAsync(_a.Job.Id));
    }

    [Fact]
    public async Task Association_loads_stay_inside_the_tenant()
    {
        await SeedAsync();
        Assert.Empty(await _b.Scope.Segments.Where(s => s.Id == _a.Segment.Id).Select(s => s.Transcript).ToListAsync());
        var videos = await _b.Scope.Videos.LoadWith(v => v.Transcripts).ThenLoad(t => t.Segments).ToListAsync();
        var segments = videos.SelectMany(v => v.Transcripts).SelectMany(t => t.Segments).ToList();
        Assert.NotEmpty(segments);
        Assert.All(segments, s => Assert.Equal(_b.Scope.TenantId, s.TenantId));
    }

    [Fact]
    public async Task Insert_stamps_the_scopes_tenant_and_refuses_a_forged_one()
    {
        await SeedAsync();
        var stamped = new Speaker { Label = "SPEAKER_09", Metadata = "{}" };
        await _b.Scope.InsertAsync(stamped);
        Assert.Equal(_b.Scope.TenantId, stamped.TenantId);

        var forged = new Speaker { TenantId = _a.Scope.TenantId, Label = "SPEAKER_66", Metadata = "{}" };
        await Assert.ThrowsAsync<TenantMismatchException>(() => _b.Scope.InsertAsync(forged));
        Assert.Equal(0, await ReaderDb.AcrossTenants("test: count forged rows").Speakers.CountAsync(s => s.Label == "SPEAKER_66"));
    }

    [Fact]
    public async Task A_row_cannot_point_into_another_tenant_through_the_api()
    {
        await SeedAsync();
        var crossing = new Segment { TranscriptId = _a.Transcript.Id, Ordinal = 1, StartMs = 0, EndMs = 100, Text = "cross" };
        var error = await Assert.ThrowsAnyAsync<PostgresException>(() => _b.Scope.InsertAsync(crossing));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Equal("fk_segments_transcript_id", error.ConstraintName);
    }

    [Theory]
    [InlineData("INSERT INTO segments (tenant_id, id, transcript_id, ordinal, start_ms, end_ms, text) VALUES ($1, $2, $3, 7, 0, 10, 'x')", "transcript", "fk_segments_transcript_id")]
    [InlineData("INSERT INTO layers (tenant_id, id, segment_id, kind, version, producer, payload) VALUES ($1, $2, $3, 'k', 1, 'p', '{}')", "segment", "fk_layers_segment_id")]
    [InlineData("INSERT INTO transcripts (tenant_id, id, video_id, language, origin) VALUES ($1, $2, $3, 'en', 'asr')", "video", "fk_transcripts_video_id")]
    [InlineData("INSERT INTO speakers (tenant_id, id, video_id, label) VALUES ($1, $2, $3, 'S')", "video", "fk_speakers_video_id")]
    [InlineData("INSERT INTO segments (tenant_id, id, transcript_id, speaker_id, ordinal, start_ms, end_ms, text) SELECT $1, $2, t.id, $3, 8, 0, 10, 'x' FROM transcripts t WHERE t.tenant_id = $1 LIMIT 1", "speaker", "fk_segments_speaker_id")]
    public async Task Raw_sql_cannot_make_a_row_point_into_another_tenant(string sql, string parent, string constraint)
    {
        await SeedAsync();
        var target = parent switch
        {
            "transcript" => _a.Transcript.Id,
            "segment" => _a.Segment.Id,
            "video" => _a.Video.Id,
            _ => _a.Speaker.Id,
        };
        var error = await ViolatesAsync(PostgresErrorCodes.ForeignKeyViolation, () => RawAsync(sql, _b.Scope.TenantId, Guid.CreateVersion7(), target));
        Assert.Equal(constraint, error.ConstraintName);
    }

    [Fact]
    public async Task Raw_sql_cannot_repoint_an_existing_row_into_another_tenant()
    {
        await SeedAsync();
        await ViolatesAsync(PostgresErrorCodes.ForeignKeyViolation,
            () => RawAsync("UPDATE segments SET transcript_id = $1 WHERE tenant_id = $2 AND id = $3", _a.Transcript.Id, _b.Scope.TenantId, _b.Segment.Id));
        await ViolatesAsync(PostgresErrorCodes.ForeignKeyViolation,
            () => RawAsync("UPDATE segments SET tenant_id = $1 WHERE tenant_id = $2 AND id = $3", _a.Scope.TenantId, _b.Scope.TenantId, _b.Segment.Id));
    }

    [Fact]
    public async Task Unique_keys_are_per_tenant_so_they_reveal_nothing_across_tenants()
    {
        await SeedAsync();
        // B may use exactly A's (source, external_id): uniqueness is scoped to one tenant.
        var twin = new Video { Source = _a.Video.Source, ExternalId = _a.Video.ExternalId, Title = "B's own", Metadata = "{}" };
        Assert.Equal(1, await _b.Scope.InsertAsync(twin));
        var duplicate = new Video { Source = twin.Source, ExternalId = twin.ExternalId, Title = "again", Metadata = "{}" };
        var error = await Assert.ThrowsAnyAsync<PostgresException>(() => _b.Scope.InsertAsync(duplicate));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
    }

    [Fact]
    public async Task The_escape_hatch_is_explicit_and_sees_every_tenant()
    {
        await SeedAsync();
        Assert.Throws<ArgumentException>(() => ReaderDb.AcrossTenants(" "));
        Assert.Throws<InvalidOperationException>(() => Db.AcrossTenants("test: a request's connection has no hatch"));
        Assert.Throws<ArgumentException>(() => Db.ForTenant(Guid.Empty));
        var all = ReaderDb.AcrossTenants("test: rebuild every tenant's search index");
        Assert.Equal("test: rebuild every tenant's search index", all.Justification);
        var tenants = await all.Segments.Select(s => s.TenantId).Distinct().ToListAsync();
        Assert.Contains(_a.Scope.TenantId, tenants);
        Assert.Contains(_b.Scope.TenantId, tenants);
    }
}
