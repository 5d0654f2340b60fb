using System.Linq;
using Narralytica.Generator.Specs;
using Narralytica.Schema.Model;

namespace Narralytica.Generator.Emitters;

/// <summary>One linq2db entity class per table, shaped like linq2db's own scaffolder output.</summary>
internal static class EntityEmitter
{
    public static string Emit(EntitySpec spec)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {spec.Namespace}");
        w.Summary(spec.Doc ?? $"A row of {spec.TableName}.");
        w.Line(spec.IsTenantScoped
            ? $"/// <remarks>Table <c>{spec.TableName}</c>, tenant-scoped: reach it through a <see cref=\"global::Narralytica.Runtime.TenantScope\"/>.{(spec.AppendOnly ? " Append-only: rows are inserted, never updated or deleted." : "")}</remarks>"
            : $"/// <remarks>Table <c>{spec.TableName}</c>, global: shared by every tenant.{(spec.AppendOnly ? " Append-only." : "")}</remarks>");
        w.Line($"[global::LinqToDB.Mapping.Table({SourceWriter.Literal(spec.TableName)})]");
        var interfaces = spec.IsTenantScoped ? $" : global::Narralytica.Runtime.ITenantEntity" : "";
        w.Open($"public sealed partial class {spec.EntityName}{interfaces}");

        var first = true;
        foreach (var property in spec.Properties)
        {
            if (!first) w.Line();
            first = false;
            WriteProperty(w, property, spec.Namespace);
        }
        foreach (var association in spec.Associations)
        {
            w.Line();
            WriteAssociation(w, spec, association);
        }
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static void WriteProperty(SourceWriter w, PropertySpec property, string ns)
    {
        w.Summary(property.Doc ?? $"Column {property.ColumnName}.");
        w.Line($"/// <remarks><c>{property.ColumnName} {property.SqlType}{(property.CanBeNull ? "" : " NOT NULL")}{(property.DefaultSql is null ? "" : " DEFAULT " + SourceWriter.Escape(property.DefaultSql))}</c></remarks>");
        var column = $"global::LinqToDB.Mapping.Column({SourceWriter.Literal(property.ColumnName)}, CanBeNull = {(property.CanBeNull ? "true" : "false")}";
        if (property.Type.Kind == PgTypeKind.Jsonb)
            column += ", DataType = global::LinqToDB.DataType.BinaryJson";
        column += ")";
        if (property.PrimaryKeyOrder >= 0)
            column += $", global::LinqToDB.Mapping.PrimaryKey({property.PrimaryKeyOrder})";
        w.Line($"[{column}]");
        var type = CSharpNames.Type(property, ns);
        var initializer = property.Default is { } value ? $" = {CSharpNames.Initializer(property, value, ns)};"
            : !property.CanBeNull && (type is "string" || type.EndsWith("[]")) ? " = null!;"
            : "";
        w.Line($"public {type} {property.Name} {{ get; set; }}{initializer}");
    }

    private static void WriteAssociation(SourceWriter w, EntitySpec spec, AssociationSpec association)
    {
        w.Summary(association.IsMany
            ? $"The <c>{SourceWriter.Escape(association.OtherTable)}</c> rows whose <c>{SourceWriter.Escape(association.KeyColumns)}</c> refers to this row."
            : $"The <c>{SourceWriter.Escape(association.OtherTable)}</c> row that <c>{SourceWriter.Escape(association.KeyColumns)}</c> refers to.", escape: false);
        var keys = $"ThisKey = {SourceWriter.Literal(string.Join(",", association.ThisKeys))}, OtherKey = {SourceWriter.Literal(string.Join(",", association.OtherKeys))}";
        var target = CSharpNames.Generated(spec.Namespace, association.TargetEntity);
        if (association.IsMany)
        {
            w.Line($"[global::LinqToDB.Mapping.Association({keys})]");
            w.Line($"public global::System.Collections.Generic.IEnumerable<{target}> {association.PropertyName} {{ get; set; }} = global::System.Array.Empty<{target}>();");
        }
        else
        {
            w.Line($"[global::LinqToDB.Mapping.Association({keys}, CanBeNull = {(association.CanBeNull ? "true" : "false")})]");
            w.Line($"public {target}? {association.PropertyName} {{ get; set; }}");
        }
    }
}
