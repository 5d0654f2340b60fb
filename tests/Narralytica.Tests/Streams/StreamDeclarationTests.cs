using System.Linq;
using Narralytica.Schema;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Xunit;

namespace Narralytica.Tests.Streams;

/// <summary><c>streams:</c> in schema.yaml: what it compiles to, each way it is refused, and the migrations it makes.</summary>
public sealed class StreamDeclarationTests
{
    private const string Tables =
        "tables:\n" +
        "  tenants:\n    scope: global\n    columns:\n      name: text\n" +
        "  clips:\n    scope: tenant\n    columns:\n      label: text\n" +
        "  reels:\n    scope: tenant\n    columns:\n      tags: text[]\n";

    private static SchemaCompilation Compile(string streams) => SchemaCompiler.Compile(Tables + streams);

    private static SchemaModel Valid(string streams)
    {
        var compilation = Compile(streams);
        Assert.True(compilation.Model is not null, string.Join(" | ", compilation.Diagnostics.Select(d => d.Format("schema.yaml"))));
        return compilation.Model!;
    }

    private static string Error(string streams)
    {
        var diagnostics = Compile(streams).Diagnostics.Where(d => d.Id == "NARR1035").ToList();
        Assert.True(diagnostics.Count == 1, string.Join(" | ", Compile(streams).Diagnostics.Select(d => d.Format("schema.yaml"))));
        return diagnostics[0].Message;
    }

    [Fact]
    public void A_stream_is_a_publication_of_its_tables_in_name_order_in_either_form()
    {
        var model = Valid("streams:\n  changes:\n    doc: For search.\n    tables: [tenants, clips]\n  short: clips\n");
        Assert.Equal(new[] { "changes", "short" }, model.Streams.Select(s => s.Name));
        Assert.Equal(new[] { "clips", "tenants" }, model.Streams[0].Tables);
        Assert.Equal("For search.", model.Streams[0].Doc);
        Assert.Contains(DdlEmitter.Statements(model), s => s.Contains("CREATE PUBLICATION changes FOR TABLE clips, tenants WITH (publish = 'insert, update, delete')"));
    }

    [Fact]
    public void An_unknown_table_is_NARR1035_with_the_closest_name()
        => Assert.Contains("lists table 'clip', which schema.yaml does not declare. Did you mean 'clips'?", Error("streams:\n  changes: [clip]\n"));

    [Fact]
    public void A_table_listed_twice_is_NARR1035()
        => Assert.Contains("lists table 'clips' twice", Error("streams:\n  changes: [clips, clips]\n"));

    [Fact]
    public void A_table_with_an_array_column_is_NARR1035()
        => Assert.Contains("column 'tags' is an array", Error("streams:\n  changes: [reels]\n"));

    [Fact]
    public void A_stream_without_tables_is_NARR1035_and_an_unknown_key_is_NARR1002()
    {
        Assert.Contains("publishes no table", Error("streams:\n  changes: []\n"));
        Assert.Contains(Compile("streams:\n  changes:\n    tables: [clips]\n    table: [clips]\n").Diagnostics, d => d.Id == "NARR1002");
    }

    [Fact]
    public void The_snapshot_keeps_streams_and_reads_them_back_equal()
    {
        var model = Valid("streams:\n  changes:\n    doc: It's for search.\n    tables: [clips, tenants]\n");
        var text = SnapshotWriter.Write(model, new SnapshotHeader("0001_x", "abc"));
        var (read, _) = SnapshotReader.Read(text, "schema.snapshot.yaml");
        Assert.Equal(model.Streams.Select(s => (s.Name, s.Doc, string.Join(",", s.Tables))), read.Streams.Select(s => (s.Name, s.Doc, string.Join(",", s.Tables))));
        Assert.True(SchemaDiffer.Diff(read, model).IsEmpty);
    }

    [Fact]
    public void Migrations_create_change_comment_and_drop_the_publication_only_where_it_belongs_to_this_schema()
    {
        var none = Valid("");
        var one = Valid("streams:\n  changes: [clips]\n");
        var two = Valid("streams:\n  changes:\n    doc: Both.\n    tables: [clips, tenants]\n");

        var created = SchemaDiffer.Diff(none, one);
        Assert.Equal(new[] { "create stream changes" }, created.Changes.Select(c => c.Description));
        Assert.Contains("IF NOT EXISTS (SELECT FROM pg_publication WHERE pubname = 'changes') THEN CREATE PUBLICATION changes FOR TABLE clips", created.Statements.Single().Sql);

        var changed = SchemaDiffer.Diff(one, two);
        Assert.Equal(new[] { "change the tables of stream changes", "change the doc of stream changes" }, changed.Changes.Select(c => c.Description));
        Assert.Contains("ALTER PUBLICATION changes SET TABLE clips, tenants;", changed.Statements[0].Sql);
        Assert.Contains("schemaname <> current_schema()", changed.Statements[0].Sql);

        var dropped = SchemaDiffer.Diff(two, none);
        Assert.Contains("DROP PUBLICATION changes;", dropped.Statements.Single().Sql);
        Assert.Empty(SchemaDiffer.Diff(two, two).Statements);
    }
}
