using System;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Integration;

/// <summary>The storage layer refuses bad rows: foreign keys, unique keys, checks, NOT NULL, enums.</summary>
public sealed class ConstraintTests : DatabaseTest
{
    public ConstraintTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task Foreign_key_to_a_missing_row_is_refused()
    {
        var scope = Db.ForTenant((await NewTenantAsync("fk")).Id);
        var orphan = new Transcript { VideoId = Guid.CreateVersion7(), Language = "en", Origin = TranscriptOrigin.Asr, Revision = 1 };
        var error = await Assert.ThrowsAnyAsync<PostgresException>(() => scope.InsertAsync(orphan));
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "fk_transcripts_video_id"), (error.SqlState, error.ConstraintName));
    }

    [Fact]
    public async Task Unique_key_within_a_tenant_is_enforced()
    {
        var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync("uq"));
        var sameOrdinal = new Segment { TranscriptId = graph.Transcript.Id, Ordinal = graph.Segment.Ordinal, StartMs = 5000, EndMs = 6000, Text = "dup" };
        var error = await Assert.ThrowsAnyAsync<PostgresException>(() => graph.Scope.InsertAsync(sameOrdinal));
        Assert.Equal((PostgresErrorCodes.UniqueViolation, "uq_segments_transcript_id_ordinal"), (error.SqlState, error.ConstraintName));

        var sameVersion = new Layer { SegmentId = graph.Segment.Id, Kind = graph.Layer.Kind, Version = graph.Layer.Version, Producer = "p", Payload = "{}" };
        error = await Assert.ThrowsAnyAsync<PostgresException>(() => graph.Scope.InsertAsync(sameVersion));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
    }

    [Theory]
    [InlineData(1000, 1000, "ck_segments_time_order")]
    [InlineData(-5, 100, "ck_segments_time_order")]
    [InlineData(0, 700_000, "ck_segments_max_length")]
    public async Task Segment_time_checks_are_enforced(int start, int end, string constraint)
    {
        var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync("ck"));
        var bad = new Segment { TranscriptId = graph.Transcript.Id, Ordinal = 9, StartMs = start, EndMs = end, Text = "bad" };
        var error = await Assert.ThrowsAnyAsync<PostgresException>(() => graph.Scope.InsertAsync(bad));
        Assert.Equal((PostgresErrorCodes.CheckViolation, constraint), (error.SqlState, error.ConstraintName));
    }

    [Fact]
    public async Task Global_checks_and_uniques_are_enforced()
    {
        var error = await Assert.ThrowsAnyAsync<PostgresException>(() => Db.Control().InsertAsync(new User { Email = "Upper@Example.test", DisplayName = "U" }));
        Assert.Equal((PostgresErrorCodes.CheckViolation, "ck_users_email"), (error.SqlState, error.ConstraintName));
        await Db.Control().InsertAsync(new Tenant { Slug = "same-slug", Name = "one" });
        error = await Assert.ThrowsAnyAsync<PostgresException>(() => Db.Control().InsertAsync(new Tenant { Slug = "same-slug", Name = "two" }));
        Assert.Equal((PostgresErrorCodes.UniqueViolation, "uq_tenants_slug"), (error.SqlState, error.ConstraintName));
    }

    [Fact]
    public async Task Not_null_and_enum_values_are_enforced_in_raw_sql()
    {
        var tenant = await NewTenantAsync("raw");
        await ViolatesAsync(PostgresErrorCodes.NotNullViolation,
            () => RawAsync("INSERT INTO videos (tenant_id, id, source, external_id) VALUES ($1, $2, 'upload', 'x')", tenant.Id, Guid.CreateVersion7()));
        await ViolatesAsync(PostgresErrorCodes.InvalidTextRepresentation,
            () => RawAsync("INSERT INTO videos (tenant_id, id, source, external_id, title) VALUES ($1, $2, 'betamax', 'x', 't')", tenant.Id, Guid.CreateVersion7()));
        await ViolatesAsync(PostgresErrorCodes.NotNullViolation,
            () => RawAsync("INSERT INTO videos (id, source, external_id, title) VALUES ($1, 'upload', 'x', 't')", Guid.CreateVersion7()));
    }

    [Fact]
    public async Task A_tenant_with_rows_cannot_be_deleted()
    {
        var tenant = await NewTenantAsync("keep");
        await TenantGraph.CreateAsync(Db, tenant);
        var error = await Assert.ThrowsAnyAsync<PostgresException>(() => Db.Control().DeleteAsync(tenant));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
    }

    [Fact]
    public async Task A_speaker_in_use_cannot_be_deleted()
    {
        var graph = await TenantGraph.CreateAsync(Db, await NewTenantAsync("spk"));
        var error = await Assert.ThrowsAnyAsync<PostgresException>(() => graph.Scope.DeleteAsync(graph.Speaker));
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "fk_segments_speaker_id"), (error.SqlState, error.ConstraintName));
    }

    [Fact]
    public async Task Database_defaults_apply_to_raw_inserts()
    {
        var tenant = await NewTenantAsync("defaults");
        var id = Guid.CreateVersion7();
        await RawAsync("INSERT INTO jobs (tenant_id, id, kind) VALUES ($1, $2, 'k')", tenant.Id, id);
        var job = (await Db.ForTenant(tenant.Id).FindJobAsync(id))!;
        Assert.Equal((JobStatus.Queued, 0, 5, "{}"), (job.Status, job.Attempts, job.MaxAttempts, job.Payload));
        Assert.True(DateTimeOffset.UtcNow - job.CreatedAt < TimeSpan.FromMinutes(5));
    }
}
