using Narralytica.Schema.Sql;

namespace Narralytica.Generator.Emitters;

/// <summary>
/// <c>TenantScopeCheckpoints</c>: <c>scope.Checkpoints</c>, the typed pipeline checkpoints of a tenant, with the statements
/// <see cref="CheckpointSql"/> writes from the checkpoints table's declaration (<c>checkpoints:</c>), which it hands to the
/// runtime's <c>StageCheckpoints</c>. Written only when schema.yaml declares the table: without it there is no
/// <c>scope.Checkpoints</c> to call, and the compiler says so.
/// </summary>
internal static class CheckpointsEmitter
{
    public const string FileName = "TenantScopeCheckpoints.g.cs";

    private const string Runtime = "global::Narralytica.Runtime.";

    public static string Emit(CheckpointSql sql, string ns)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {ns}");
        w.Summary(
            $"The pipeline checkpoints of a tenant scope, kept in <c>{SourceWriter.Escape(sql.Table)}</c> (its 'checkpoints:' declaration in schema.yaml).", escape: false);
        w.Open("public static partial class TenantScopeCheckpoints");
        w.Summary($"The checkpoints' SQL, written from the declaration: {sql.Table}.");
        w.Line($"private static readonly {Runtime}CheckpointStatements Statements = new(");
        w.Line($"    Table: {SourceWriter.Literal(sql.Table)},");
        w.Line($"    Read: {SourceWriter.Literal(sql.Read)},");
        w.Line($"    Create: {SourceWriter.Literal(sql.Create)},");
        w.Line($"    Advance: {SourceWriter.Literal(sql.Advance)},");
        w.Line($"    PositionMaxBytes: {Number(sql.PositionMaxBytes)},");
        w.Line($"    StateMaxBytes: {Number(sql.StateMaxBytes)});");
        w.Line();
        w.Summary($"The generated members of <see cref=\"{Runtime}TenantScope\"/>.", escape: false);
        w.Line("/// <param name=\"scope\">The TenantScope they are members of.</param>");
        w.Open($"extension({Runtime}TenantScope scope)");
        w.Summary(
            "This tenant's pipeline checkpoints: a stage's step reads its checkpoint and advances it in the transaction of its work " +
            "(<c>scope.Checkpoints.RunStepAsync&lt;TPosition, TState&gt;(pipeline, stage, step)</c>), so a crash neither loses nor repeats a step.", escape: false);
        w.Line($"public {Runtime}StageCheckpoints Checkpoints => new(scope, Statements);");
        w.Close();
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static string Number(int? value) => value is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null";
}
