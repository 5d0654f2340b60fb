using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Cli.Commands;

/// <summary>
/// The demo's sample: two tenants, each with a video, a transcript, speakers, segments and layers. The tenants, their
/// users and the role are the control plane's to write (<paramref name="control"/> of <see cref="LoadAsync"/>); the rest
/// is written by requests of each tenant.
/// </summary>
public static class SampleData
{
    public sealed record TenantSample(Tenant Tenant, Video Video, Transcript Transcript, List<Segment> Segments);

    public sealed record Sample(TenantSample A, TenantSample B);

    private static readonly (int Start, int End, int Speaker, string Text)[] Lines =
    {
        (0, 3200, 0, "Welcome back to the show."),
        (3200, 6100, 1, "Thanks, glad to be here."),
        (6100, 9800, 0, "Today we talk about transcripts at scale."),
        (9800, 14000, 1, "Every word, timecoded, for every tenant."),
        (14000, 17500, 0, "And nothing leaks between tenants."),
        (17500, 21000, 1, "By construction, not by convention."),
    };

    public static async Task<Sample> LoadAsync(NarralyticaDb db, ControlPlane control)
    {
        var owner = new Role { Name = "owner", Description = "Full control of a tenant." };
        await control.InsertAsync(owner);
        var a = await LoadTenantAsync(db, control, owner, "acme-media", "Acme Media", "ada@acme.example", "Quarterly town hall");
        var b = await LoadTenantAsync(db, control, owner, "globex-news", "Globex News", "bob@globex.example", "Evening bulletin");
        return new Sample(a, b);
    }

    private static async Task<TenantSample> LoadTenantAsync(NarralyticaDb db, ControlPlane control, Role role, string slug, string name, string email, string title)
    {
        // Sign-up: the control plane creates the tenant and its first user.
        var tenant = new Tenant { Slug = slug, Name = name };
        await control.InsertAsync(tenant);
        var user = new User { Email = email, DisplayName = email.Split('@')[0] };
        await control.InsertAsync(user);

        var scope = db.ForTenant(tenant.Id);
        await scope.InsertAsync(new Membership { UserId = user.Id, RoleId = role.Id });
        var video = new Video
        {
            Source = VideoSource.Youtube, ExternalId = slug + "-001", Title = title, Language = "en",
            DurationMs = 21_000, PublishedAt = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero), Metadata = "{\"channel\": \"" + name + "\"}",
        };
        await scope.InsertAsync(video);
        var transcript = new Transcript { VideoId = video.Id, Language = "en", Origin = TranscriptOrigin.Asr, Revision = 1 };
        await scope.InsertAsync(transcript);
        var speakers = new[] { new Speaker { VideoId = video.Id, Label = "SPEAKER_00", Metadata = "{}" }, new Speaker { VideoId = video.Id, Label = "SPEAKER_01", Metadata = "{}" } };
        foreach (var speaker in speakers)
            await scope.InsertAsync(speaker);

        var segments = new List<Segment>();
        for (var i = 0; i < Lines.Length; i++)
        {
            var line = Lines[i];
            var segment = new Segment
            {
                TranscriptId = transcript.Id, SpeakerId = speakers[line.Speaker].Id, Ordinal = i,
                StartMs = line.Start, EndMs = line.End, Text = line.Text, Confidence = 0.9f,
            };
            await scope.InsertAsync(segment);
            segments.Add(segment);
            for (var version = 1; version <= 2; version++)
                await scope.InsertAsync(new Layer
                {
                    SegmentId = segment.Id, Kind = "summary", Version = version, Producer = "summarizer",
                    Model = version == 1 ? "small-2025-06" : "large-2026-09",
                    Payload = $"{{\"summary\": \"{line.Text.TrimEnd('.')} (v{version})\"}}",
                });
        }
        return new TenantSample(tenant, video, transcript, segments);
    }
}
