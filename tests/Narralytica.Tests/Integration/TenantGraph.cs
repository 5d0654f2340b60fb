using System;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;

namespace Narralytica.Tests.Integration;

/// <summary>One tenant's worth of rows, one per tenant-scoped table, inserted through the scope.</summary>
public sealed class TenantGraph
{
    public required TenantScope Scope { get; init; }
    public required User User { get; init; }
    public required Role Role { get; init; }
    public required Membership Membership { get; init; }
    public required TenantConfig Config { get; init; }
    public required Video Video { get; init; }
    public required Transcript Transcript { get; init; }
    public required Speaker Speaker { get; init; }
    public required Segment Segment { get; init; }
    public required Layer Layer { get; init; }
    public required Job Job { get; init; }
    public required PipelineCheckpoint Checkpoint { get; init; }
    public required EventLog Event { get; init; }
    public required AuditLog Audit { get; init; }

    /// <param name="control">Where the tenant's user and role are written; by default the control plane of <paramref name="db"/>'s database.</param>
    public static async Task<TenantGraph> CreateAsync(NarralyticaDb db, Tenant tenant, ControlPlane? control = null)
    {
        control ??= db.Control();
        var suffix = Guid.NewGuid().ToString("N").Substring(0, 8);
        var user = new User { Email = $"user-{suffix}@example.test", DisplayName = "User " + suffix };
        await control.InsertAsync(user);
        var role = new Role { Name = "role-" + suffix };
        await control.InsertAsync(role);

        var scope = db.ForTenant(tenant.Id);
        var membership = new Membership { UserId = user.Id, RoleId = role.Id };
        await scope.InsertAsync(membership);
        var config = new TenantConfig { Key = "retention", Value = "{\"days\": 30}", UpdatedBy = user.Id };
        await scope.InsertAsync(config);
        var video = new Video { Source = VideoSource.Upload, ExternalId = "v-" + suffix, Title = "Video " + suffix, Metadata = "{}" };
        await scope.InsertAsync(video);
        var transcript = new Transcript { VideoId = video.Id, Language = "en", Origin = TranscriptOrigin.Human, Revision = 1 };
        await scope.InsertAsync(transcript);
        var speaker = new Speaker { VideoId = video.Id, Label = "SPEAKER_00", Metadata = "{}" };
        await scope.InsertAsync(speaker);
        var segment = new Segment { TranscriptId = transcript.Id, SpeakerId = speaker.Id, Ordinal = 0, StartMs = 0, EndMs = 1500, Text = "Hello." };
        await scope.InsertAsync(segment);
        var layer = new Layer { SegmentId = segment.Id, Kind = "summary", Version = 1, Producer = "test", Payload = "{\"s\": \"hi\"}" };
        await scope.InsertAsync(layer);
        var job = new Job { Kind = "transcribe", Status = JobStatus.Queued, Payload = "{}", MaxAttempts = 3, RunAfter = RowClock.Now() };
        await scope.InsertAsync(job);
        var checkpoint = new PipelineCheckpoint { Pipeline = "ingest", Stage = "segments", Position = "0", State = "{}" };
        await scope.InsertAsync(checkpoint);
        var evt = new EventLog { OccurredAt = RowClock.Now(), EventType = "video.created", TargetType = "video", TargetId = video.Id, Payload = "{}" };
        await scope.InsertAsync(evt);
        var audit = new AuditLog { OccurredAt = RowClock.Now(), ActorUserId = user.Id, Action = "video.create", TargetType = "video", TargetId = video.Id, Outcome = AuditOutcome.Allowed, Details = "{}" };
        await scope.InsertAsync(audit);

        return new TenantGraph
        {
            Scope = scope, User = user, Role = role, Membership = membership, Config = config, Video = video, Transcript = transcript,
            Speaker = speaker, Segment = segment, Layer = layer, Job = job, Checkpoint = checkpoint, Event = evt, Audit = audit,
        };
    }
}
