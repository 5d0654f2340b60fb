using System.Linq;
using Narralytica.Schema;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Xunit;

namespace Narralytica.Tests.Schema;

/// <summary>queries, versions and feeds in schema.yaml: what validation accepts, and each way it refuses.</summary>
public sealed class ReadPathDiagnosticsTests
{
    // tenants, clips (a window-able table) and notes (versioned rows of a clip); each case appends to clips or notes.
    private const string Base =
        "tables:\n" +
        "  tenants:\n    scope: global\n    columns:\n      name: text\n" +
        "  clips:\n    scope: tenant\n    columns:\n      reel_id: uuid\n      starts: integer\n      ends: integer\n      label: text?\n" +
        "    checks:\n      longest: ends - starts <= 5000\n" +
        "    indexes:\n      - [reel_id, starts]\n      - columns: [label]\n        where: label IS NOT NULL\n";

    private const string Notes =
        "  notes:\n    scope: tenant\n    append_only: true\n    columns:\n      clip_id:\n        type: uuid\n        references: clips\n      kind: text\n      version: integer\n" +
        "    unique:\n      - [clip_id, kind, version]\n    versions: {of: [clip_id, kind], by: version}\n";

    private static SchemaCompilation Compile(string yaml) => SchemaCompiler.Compile(yaml);

    private static SchemaDiagnostic Single(string yaml, string id)
    {
        var compilation = Compile(yaml);
        var matching = compilation.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"expected one {id}, got: {string.Join(" | ", compilation.Diagnostics.Select(d => d.Format("schema.yaml")))}");
        return matching[0];
    }

    private static Table Valid(string yaml, string table)
    {
        var compilation = Compile(yaml);
        Assert.True(compilation.Model is not null, string.Join(" | ", compilation.Diagnostics.Select(d => d.Format("schema.yaml"))));
        return compilation.Model!.FindTable(table)!;
    }

    [Fact]
    public void A_window_query_takes_its_lower_bound_from_the_longest_row_check_and_names_its_index()
    {
        var clips = Valid(Base + "    queries:\n      clips_at:\n        match: reel_id\n        overlaps: [starts, ends]\n", "clips");
        var query = Assert.Single(clips.Queries);
        Assert.Equal(new WindowOverlap("starts", "ends", 5000, "ck_clips_longest"), query.Overlaps);
        Assert.Equal("ix_clips_reel_id_starts", query.BackingIndex);
        Assert.Equal("starts", Assert.Single(query.OrderBy).Name); // a window reads in time order
        Assert.False(query.SingleRow);
    }

    [Fact]
    public void A_match_on_a_whole_key_returns_one_row_and_a_partial_index_on_IS_NOT_NULL_answers_a_match()
    {
        var clips = Valid(Base + "    unique:\n      - [reel_id, starts]\n    queries:\n      clip_at_start:\n        match: [reel_id, starts]\n      labelled:\n        match: label\n", "clips");
        Assert.True(clips.Queries[0].SingleRow);
        Assert.Equal("ix_clips_label", clips.Queries[1].BackingIndex);
        Assert.False(clips.Queries[1].SingleRow);
    }

    [Fact]
    public void Latest_uses_the_versions_key_and_a_feed_finds_the_referencing_column()
    {
        var yaml = Base + "    feeds:\n      clip_feed:\n        latest_of: notes\n" + Notes +
                   "    queries:\n      latest_notes:\n        match: [clip_id, kind]\n        many: clip_id\n        latest: true\n      latest_note:\n        match: [clip_id, kind]\n        latest: true\n";
        var model = Compile(yaml).Model!;
        var notes = model.FindTable("notes")!;
        Assert.Equal("uq_notes_clip_id_kind_version", notes.Queries[0].BackingIndex);
        Assert.False(notes.Queries[0].SingleRow);
        Assert.True(notes.Queries[1].SingleRow);
        Assert.Equal("clip_id", Assert.Single(model.FindTable("clips")!.Feeds).ReferencingColumn);
    }

    [Fact]
    public void A_query_no_index_answers_is_NARR1031_with_the_index_to_add()
    {
        var yaml = Base + "    queries:\n      by_label_in_order:\n        match: reel_id\n        order_by: ends desc\n";
        var diagnostic = Single(yaml, "NARR1031");
        Assert.Equal(20, diagnostic.Span.Line);
        Assert.Contains("Add '- [reel_id, ends desc]' to 'indexes' of table 'clips' (tenant_id is put first for you)", diagnostic.Message);
    }

    [Fact]
    public void An_order_against_the_index_direction_is_answered_by_a_backward_scan()
    {
        var clips = Valid(Base + "    queries:\n      newest_first:\n        match: reel_id\n        order_by: starts desc\n", "clips");
        Assert.Equal("ix_clips_reel_id_starts", clips.Queries[0].BackingIndex);
    }

    [Fact]
    public void A_window_without_a_longest_row_check_is_NARR1032()
    {
        var yaml = Base.Replace("    checks:\n      longest: ends - starts <= 5000\n", "") + "    queries:\n      clips_at:\n        match: reel_id\n        overlaps: [starts, ends]\n";
        Assert.Contains("Add a check such as 'checks: {max_length: ends - starts <= 600000}'", Single(yaml, "NARR1032").Message);
    }

    [Theory]
    [InlineData("      q:\n        match: reel_id\n        many: starts\n", "must be one of its 'match' columns")]
    [InlineData("      q:\n        match: tenant_id\n", "leave it out")]
    [InlineData("      q:\n        match: reel_id\n        latest: true\n", "declares no 'versions'")]
    [InlineData("      q:\n        order_by: starts\n", "nothing to look rows up by")]
    [InlineData("      q:\n        match: reel_id\n        overlaps: [starts]\n", "takes two columns")]
    [InlineData("      q:\n        match: reel_id\n        overlaps: [starts, label]\n", "NOT NULL integer columns")]
    [InlineData("      find_clip:\n        match: reel_id\n", "already the find-by-key helper of 'clips'")]
    public void A_malformed_query_is_NARR1030(string query, string messagePart)
        => Assert.Contains(messagePart, Single(Base + "    queries:\n" + query, "NARR1030").Message);

    [Fact]
    public void An_unknown_query_key_or_column_names_the_closest()
    {
        var compilation = Compile(Base + "    queries:\n      q:\n        mach: reel_id\n        order_by: strats\n");
        Assert.Contains(compilation.Diagnostics, d => d.Id == "NARR1002" && d.Message.Contains("Did you mean 'match'?"));
        Assert.Contains(compilation.Diagnostics, d => d.Id == "NARR1010" && d.Message.Contains("Did you mean 'starts'?"));
    }

    [Fact]
    public void Versions_without_a_unique_key_are_NARR1030()
        => Assert.Contains("add unique: [[clip_id, kind, version]]",
            Single(Base + Notes.Replace("    unique:\n      - [clip_id, kind, version]\n", ""), "NARR1030").Message);

    [Theory]
    [InlineData("      f:\n        latest_of: clips\n", "declares no 'versions'")]
    [InlineData("      f:\n        latest_of: notez\n", "Did you mean 'notes'?")]
    public void A_feed_without_versioned_rows_referencing_it_is_NARR1030(string feed, string messagePart)
        => Assert.Contains(messagePart, Single(Base + "    feeds:\n" + feed + Notes, "NARR1030").Message);

    [Fact]
    public void Two_helpers_with_one_name_are_NARR1030()
    {
        var yaml = Base + "    queries:\n      by_reel:\n        match: reel_id\n" + Notes + "    queries:\n      by_reel:\n        match: clip_id\n";
        Assert.Contains("would generate ByReelAsync, which is already query 'by_reel' of table 'clips'", Single(yaml, "NARR1030").Message);
    }

    [Fact]
    public void Read_paths_are_not_part_of_the_database()
    {
        var with = Compile(Base + "    queries:\n      clips_at:\n        match: reel_id\n        overlaps: [starts, ends]\n").Model!;
        var without = Compile(Base).Model!;
        Assert.Equal(Narralytica.Schema.Sql.DdlEmitter.Script(without), Narralytica.Schema.Sql.DdlEmitter.Script(with));
    }
}
