using Narralytica.Generator.Specs;
using Narralytica.Schema.Model;

namespace Narralytica.Generator.Emitters;

/// <summary>
/// The parameters of a tenant table's bulk insert (<c>SegmentRows.BulkInsert</c>, written by
/// <see cref="Narralytica.Schema.Sql.BulkInsertSql"/>): <c>DeclareBulkInsert</c> adds one typed array parameter per
/// column, tenant_id left out, and <c>BindBulkInsert</c> fills them from a chunk of rows, one typed array per column,
/// so no value is boxed. An array column is three parameters: each row's first and last element position, and the
/// elements of all rows in one array.
/// </summary>
internal static class BulkInsertEmitter
{
    private const string Parameters = "global::Npgsql.NpgsqlParameterCollection";
    private const string DbType = "global::NpgsqlTypes.NpgsqlDbType.";

    public static void WriteParameters(SourceWriter w, EntitySpec entity)
    {
        w.Line();
        w.Line("/// <summary>Adds the typed array parameters of <see cref=\"BulkInsert\"/>, in order.</summary>");
        w.Open($"public static void DeclareBulkInsert({Parameters} parameters)");
        foreach (var property in Sent(entity))
        {
            if (property.Type.IsArray)
            {
                w.Line(Declare("int[]", DbType + "Array | " + DbType + "Integer"));
                w.Line(Declare("int?[]", DbType + "Array | " + DbType + "Integer"));
            }
            w.Line(Declare(ElementType(property, entity) + "[]", ArrayDbType(property.Type)));
        }
        w.Close();

        w.Line();
        w.Line("/// <summary>Sets the parameters of <see cref=\"BulkInsert\"/> to the first <paramref name=\"count\"/> rows of <paramref name=\"rows\"/>.</summary>");
        w.Open($"public static void BindBulkInsert({Parameters} parameters, {CSharpNames.Entity(entity)}[] rows, int count)");
        foreach (var property in Sent(entity))
        {
            if (property.Type.IsArray)
            {
                w.Line($"var {Values(property)}First = new int[count];");
                w.Line($"var {Values(property)}Last = new int?[count];");
                w.Line($"var {Values(property)}Count = 0;");
            }
            else
            {
                w.Line($"var {Values(property)} = new {ElementType(property, entity)}[count];");
            }
        }
        w.Open("for (var i = 0; i < count; i++)");
        w.Line("var row = rows[i];");
        foreach (var property in Sent(entity))
        {
            var values = Values(property);
            if (property.Type.IsArray)
            {
                // Positions are 1-based; an empty array is first > last, a NULL array has no last.
                w.Line($"{values}First[i] = {values}Count + 1;");
                w.Line($"if (row.{property.Name} is {{ }} {values}Row) {{ {values}Count += {values}Row.Length; {values}Last[i] = {values}Count; }}");
            }
            else
            {
                w.Line($"{values}[i] = row.{property.Name}{Utc(property, entity)};");
            }
        }
        w.Close();
        var index = 0;
        foreach (var property in Sent(entity))
        {
            var values = Values(property);
            if (property.Type.IsArray)
            {
                w.Line($"var {values} = new {ElementType(property, entity)}[{values}Count];");
                w.Line($"var {values}At = 0;");
                w.Line("for (var i = 0; i < count; i++)");
                w.Line($"    if (rows[i].{property.Name} is {{ }} {values}Row)");
                w.Line($"        foreach (var element in {values}Row) {values}[{values}At++] = element{(IsTimestampTz(property.Type) ? ".ToUniversalTime()" : "")};");
                w.Line($"{Bind(index++, "int[]")} = {values}First;");
                w.Line($"{Bind(index++, "int?[]")} = {values}Last;");
            }
            w.Line($"{Bind(index++, ElementType(property, entity) + "[]")} = {values};");
        }
        w.Close();
    }

    /// <summary>
    /// On the Citus target, the statement and parameters of <c>BulkInsertAsync</c> instead: the multi-row
    /// <c>INSERT … VALUES</c> for a number of rows (<c>CitusBulkInsert</c>), its parameters for that many rows, one per
    /// column and row (<c>DeclareCitusBulkInsert</c>), and their values from a slice of a chunk (<c>BindCitusBulkInsert</c>).
    /// </summary>
    public static void WriteCitusStatement(SourceWriter w, CitusBulkInsertSpec citus)
    {
        w.Line("// BulkInsertAsync on Citus: one multi-row INSERT … VALUES per statement, one parameter per column and row; each row's tenant_id is the verified proof's.");
        w.Line($"public const string CitusBulkInsertHead = {SourceWriter.Literal(citus.Head)};");
        w.Line($"public const int CitusBulkInsertRows = {citus.RowsPerStatement};");
        w.Line("/// <summary>The statement for <paramref name=\"rows\"/> rows.</summary>");
        w.Line($"public static string CitusBulkInsert(int rows) => global::Narralytica.Runtime.NarralyticaDb.MultiRowInsert(CitusBulkInsertHead, {SourceWriter.Literal(citus.RowTenant)}, {citus.ParametersPerRow}, rows);");
    }

    public static void WriteCitusParameters(SourceWriter w, EntitySpec entity, CitusBulkInsertSpec citus)
    {
        w.Line();
        w.Line("/// <summary>Adds the typed parameters of <see cref=\"CitusBulkInsert\"/> for <paramref name=\"rows\"/> rows, in order.</summary>");
        w.Open($"public static void DeclareCitusBulkInsert({Parameters} parameters, int rows)");
        w.Open("for (var i = 0; i < rows; i++)");
        foreach (var property in Sent(entity))
            w.Line(Declare(CSharpNames.Type(property, entity.Namespace), ScalarDbType(property.Type)));
        w.Close();
        w.Close();

        w.Line();
        w.Line("/// <summary>Sets the parameters of <see cref=\"CitusBulkInsert\"/> to the <paramref name=\"count\"/> rows of <paramref name=\"rows\"/> from <paramref name=\"start\"/>.</summary>");
        w.Open($"public static void BindCitusBulkInsert({Parameters} parameters, {CSharpNames.Entity(entity)}[] rows, int start, int count)");
        w.Open("for (var i = 0; i < count; i++)");
        w.Line("var row = rows[start + i];");
        w.Line($"var first = i * {citus.ParametersPerRow};");
        var index = 0;
        foreach (var property in Sent(entity))
        {
            var type = CSharpNames.Type(property, entity.Namespace);
            var value = !property.Type.IsArray ? $"row.{property.Name}{Utc(property, entity)}"
                : IsTimestampTz(property.Type) ? $"row.{property.Name} is {{ }} {Values(property)} ? global::System.Array.ConvertAll({Values(property)}, v => v.ToUniversalTime()) : null"
                : $"row.{property.Name}";
            w.Line($"((global::Npgsql.NpgsqlParameter<{type}>)parameters[first + {index++}]).TypedValue = {value};");
        }
        w.Close();
        w.Close();
    }

    /// <summary>The NpgsqlDbType of one value of the column (an array column's is an array); none for enums, which the data source maps.</summary>
    private static string? ScalarDbType(TypeSpec type)
    {
        var name = CSharpNames.CopyType(type);
        return name.Length == 0 ? null : name;
    }

    /// <summary>The properties whose values the statement receives: all but tenant_id, which it takes from the proof.</summary>
    private static System.Collections.Generic.IEnumerable<PropertySpec> Sent(EntitySpec entity)
    {
        foreach (var property in entity.Properties)
            if (property.ColumnName != "tenant_id")
                yield return property;
    }

    private static string Values(PropertySpec property) => "values" + property.Name;

    /// <summary>The C# type of one array element: the column's value (nullable when the column is), or an array column's element.</summary>
    private static string ElementType(PropertySpec property, EntitySpec entity)
        => property.Type.IsArray
            ? CSharpNames.Type(property.Type with { IsArray = false }, entity.Namespace)
            : CSharpNames.Type(property, entity.Namespace);

    private static string Declare(string type, string? dbType)
        => $"parameters.Add(new global::Npgsql.NpgsqlParameter<{type}>(){(dbType is null ? "" : $" {{ NpgsqlDbType = {dbType} }}")});";

    /// <summary>The NpgsqlDbType of an array of the column's values; none for enums, which the data source maps.</summary>
    private static string? ArrayDbType(TypeSpec type)
    {
        var element = CSharpNames.CopyType(type with { IsArray = false });
        return element.Length == 0 ? null : DbType + "Array | " + element;
    }

    private static string Bind(int index, string type) => $"((global::Npgsql.NpgsqlParameter<{type}>)parameters[{index}]).TypedValue";

    private static bool IsTimestampTz(TypeSpec type) => type.Kind == PgTypeKind.TimestampTz;

    /// <summary>PostgreSQL stores timestamptz in UTC, and Npgsql writes only offset-0 values.</summary>
    private static string Utc(PropertySpec property, EntitySpec entity)
        => !IsTimestampTz(property.Type) ? "" : property.CanBeNull ? "?.ToUniversalTime()" : ".ToUniversalTime()";
}
