using Narralytica.Generator.Specs;

namespace Narralytica.Generator.Emitters;

/// <summary>One C# enum per PostgreSQL enum; members carry the database label for linq2db and Npgsql.</summary>
internal static class EnumEmitter
{
    public static string Emit(EnumSpec spec)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {spec.Namespace}");
        w.Summary(spec.Doc ?? $"The PostgreSQL enum {spec.SqlName}.");
        w.Line($"/// <remarks>PostgreSQL type <c>{spec.SqlName}</c>; values keep the order of schema.yaml, which is how PostgreSQL sorts them.</remarks>");
        w.Open($"public enum {spec.Name}");
        for (var i = 0; i < spec.Members.Count; i++)
        {
            var member = spec.Members[i];
            var literal = SourceWriter.Literal(member.Value);
            w.Line($"/// <summary>Database label <c>{SourceWriter.Escape(member.Value)}</c>.</summary>");
            w.Line($"[global::LinqToDB.Mapping.MapValue({literal}), global::NpgsqlTypes.PgName({literal})]");
            w.Line($"{member.Name} = {i},");
        }
        w.Close();
        w.Close();
        return w.ToString();
    }
}
