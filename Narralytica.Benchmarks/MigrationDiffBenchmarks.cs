using System.Linq;
using BenchmarkDotNet.Attributes;
using Narralytica.Schema;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;

namespace Narralytica.Benchmarks;

/// <summary>
/// What the uncaptured-change check (NARR3040) adds to a build whose schema.yaml changed, and what
/// `migrations add` and `check` spend: read the snapshot, then diff it with the compiled schema.
/// </summary>
[MemoryDiagnoser]
public class MigrationDiffBenchmarks
{
    private string _snapshot = "";
    private SchemaModel _model = null!;
    private SchemaModel _edited = null!;

    /// <summary>0: the repository's schema.yaml; otherwise a synthetic schema of that many tables.</summary>
    [Params(0, 1000)]
    public int Tables { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var yaml = Tables == 0 ? SchemaSource.Repository() : SchemaSource.Synthetic(Tables);
        _model = SchemaCompiler.Compile(yaml).Model!;
        _snapshot = SnapshotWriter.Write(_model, new SnapshotHeader("0001_initial.sql", new string('0', 64)));
        // One column more in one table: the common edit.
        var rating = new Column("rating", PgType.Uuid, true, null, null, ColumnOrigin.Declared, false, SourceSpan.None);
        var first = _model.Tables.First(t => t.IsTenantScoped);
        _edited = _model with
        {
            Tables = _model.Tables.Select(t => t == first ? t with { Columns = t.Columns.Append(rating).ToEquatableArray() } : t).ToEquatableArray(),
        };
    }

    [Benchmark(Baseline = true, Description = "read the snapshot")]
    public SchemaModel ReadSnapshot() => SnapshotReader.Read(_snapshot, "schema.snapshot.yaml").Model;

    [Benchmark(Description = "read the snapshot and diff, no change")]
    public MigrationPlan DiffUnchanged() => SchemaDiffer.Diff(SnapshotReader.Read(_snapshot, "schema.snapshot.yaml").Model, _model);

    [Benchmark(Description = "read the snapshot and diff, one column added")]
    public MigrationPlan DiffOneColumn() => SchemaDiffer.Diff(SnapshotReader.Read(_snapshot, "schema.snapshot.yaml").Model, _edited);
}
