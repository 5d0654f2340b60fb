using Narralytica.Generator.Specs;

namespace Narralytica.Generator.Emitters;

/// <summary>
/// <c>NarralyticaStreams</c>: one <c>StreamDefinition</c> per change stream, naming its publication and, for each
/// published table, how a row of pgoutput's values becomes the table's entity (property by property, the column's
/// text read as the property's type).
/// </summary>
internal static class StreamEmitter
{
    private const string Runtime = CSharpNames.Runtime + ".Streams";

    public static string Emit(ModelSpec model)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {model.Namespace}");
        w.Summary("The change streams of schema.yaml: give one to a ChangeStream to read typed change events of its tables.");
        w.Open("public static partial class NarralyticaStreams");
        foreach (var stream in model.Streams)
        {
            w.Summary(stream.Doc ?? $"The change stream of publication {stream.Publication}.");
            w.Line($"/// <remarks>Publication <c>{SourceWriter.Escape(stream.Publication)}</c>.</remarks>");
            w.Line($"public static {Runtime}.StreamDefinition {stream.PropertyName} {{ get; }} = new {Runtime}.StreamDefinition({SourceWriter.Literal(stream.Publication)}, new {Runtime}.StreamTableDecoder[]");
            w.Line("{");
            foreach (var table in stream.Tables)
                EmitDecoder(w, model.Namespace, table);
            w.Line("});");
            w.Line();
        }
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static void EmitDecoder(SourceWriter w, string ns, StreamTableSpec table)
    {
        var entity = CSharpNames.Generated(ns, table.EntityName);
        w.Line($"    new {Runtime}.StreamTableDecoder<{entity}>({SourceWriter.Literal(table.TableName)}, {(table.IsTenantScoped ? "true" : "false")}, static values => new {entity}");
        w.Line("    {");
        foreach (var property in table.Properties)
            w.Line($"        {property.Name} = values.Get<{CSharpNames.Type(property, ns)}>({SourceWriter.Literal(property.ColumnName)}),");
        w.Line("    }),");
    }
}
