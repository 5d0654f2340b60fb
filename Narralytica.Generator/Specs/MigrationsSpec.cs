using System.Linq;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;

namespace Narralytica.Generator.Specs;

/// <summary>One migration as the generated code embeds it: everything an applier needs, no file access.</summary>
internal sealed record MigrationSpec(
    int Version,
    string Name,
    string FileName,
    string Text,
    string Checksum,
    string Sum,
    bool Transactional,
    EquatableArray<StatementSpec> Statements,
    EquatableArray<string> Amends);

internal sealed record StatementSpec(int Line, string Sql);

/// <summary>
/// The migrations folder as the generator received it (files whose folder is named 'migrations'):
/// the migrations to embed, the snapshot text to diff schema.yaml against, and any reason the
/// folder could not be read.
/// </summary>
internal sealed record MigrationsSpec(EquatableArray<MigrationSpec> Migrations, string? SnapshotText, bool HasFiles, string? Problem)
{
    public static MigrationsSpec Build(EquatableArray<MigrationText> files)
    {
        if (files.Count == 0)
            return new MigrationsSpec(EquatableArray<MigrationSpec>.Empty, null, false, null);
        MigrationSet set;
        try
        {
            set = MigrationSet.From(files.Select(f => (f.FileName, f.Text)));
        }
        catch (MigrationInputException e)
        {
            return new MigrationsSpec(EquatableArray<MigrationSpec>.Empty, null, true, e.Message);
        }
        var problems = set.Verify();
        var sums = MigrationSum.Compute(set.Migrations);
        var migrations = set.Migrations.Select((m, i) => new MigrationSpec(m.Version, m.Name, m.FileName, m.Text, m.Checksum, sums[i].Hash, m.Transactional,
            m.Statements.Select(s => new StatementSpec(s.Line, s.Sql)).ToEquatableArray(), m.Amends.Select(a => a.Checksum).ToEquatableArray())).ToEquatableArray();
        return new MigrationsSpec(migrations, set.SnapshotText, true, problems.Count == 0 ? null : problems[0].ToString());
    }
}

/// <summary>A file of the migrations folder: its name and text.</summary>
internal sealed record MigrationText(string FileName, string Text);

/// <summary>What schema.yaml changes that no migration captures, for the NARR3040 warning (empty when none).</summary>
internal sealed record PendingChanges(string SchemaPath, string SchemaText, EquatableArray<string> Changes, SourceSpan FirstSpan, string? Problem)
{
    public static PendingChanges Compute(CompiledSchemaFile schema, MigrationsSpec migrations)
    {
        PendingChanges Result(EquatableArray<string> changes, SourceSpan span, string? problem) => new(schema.Path, schema.Text, changes, span, problem);
        if (!migrations.HasFiles || schema.Compilation.Model is not { } model)
            return Result(EquatableArray<string>.Empty, SourceSpan.None, null);
        if (migrations.Problem is not null)
            return Result(EquatableArray<string>.Empty, new SourceSpan(1, 1), migrations.Problem);
        try
        {
            var current = migrations.SnapshotText is null ? SchemaDiffer.Empty : SnapshotReader.Read(migrations.SnapshotText, MigrationSet.SnapshotFileName).Model;
            var plan = SchemaDiffer.Diff(current, model);
            return Result(plan.Changes.Select(c => c.Description).ToEquatableArray(), plan.Changes.FirstOrDefault()?.Span ?? SourceSpan.None, null);
        }
        catch (MigrationInputException e)
        {
            return Result(EquatableArray<string>.Empty, new SourceSpan(1, 1), e.Message);
        }
    }
}
