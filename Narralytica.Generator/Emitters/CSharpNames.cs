using Microsoft.CodeAnalysis.CSharp;
using Narralytica.Generator.Specs;
using Narralytica.Schema.Model;

namespace Narralytica.Generator.Emitters;

/// <summary>How the specs' data is spelled in C#: type names (always <c>global::</c>), NpgsqlDbTypes, default values, identifiers.</summary>
internal static class CSharpNames
{
    /// <summary>The runtime's namespace (the Narralytica.Runtime package): the types the generated layer extends and uses.</summary>
    public const string Runtime = "global::Narralytica.Runtime";

    /// <summary>A type of the runtime, e.g. <c>TenantScope</c> or <c>Streams.StreamDefinition</c>.</summary>
    public static string RuntimeType(string name) => $"{Runtime}.{name}";

    /// <summary>A generated type of the model's namespace.</summary>
    public static string Generated(string ns, string name) => $"global::{ns}.{name}";

    public static string Entity(EntitySpec entity) => Generated(entity.Namespace, entity.EntityName);

    /// <summary>The C# type of one value of <paramref name="type"/>; arrays are C# arrays.</summary>
    public static string Type(TypeSpec type, string ns)
    {
        var name = type.Kind switch
        {
            PgTypeKind.Uuid => "global::System.Guid",
            PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char or PgTypeKind.Jsonb => "string",
            PgTypeKind.SmallInt => "short",
            PgTypeKind.Integer => "int",
            PgTypeKind.BigInt => "long",
            PgTypeKind.Boolean => "bool",
            PgTypeKind.Numeric => "decimal",
            PgTypeKind.Real => "float",
            PgTypeKind.Double => "double",
            PgTypeKind.TimestampTz => "global::System.DateTimeOffset",
            PgTypeKind.Timestamp => "global::System.DateTime",
            PgTypeKind.Date => "global::System.DateOnly",
            PgTypeKind.Bytea => "byte[]",
            PgTypeKind.Enum => Generated(ns, type.EnumName!),
            _ => throw new System.ArgumentOutOfRangeException(nameof(type), type.Kind, null),
        };
        return type.IsArray ? name + "[]" : name;
    }

    /// <summary>A property's declared type: its value type, with <c>?</c> when the column is nullable.</summary>
    public static string Type(PropertySpec property, string ns) => Type(property.Type, ns) + (property.CanBeNull ? "?" : "");

    /// <summary>A parameter's type: an array of values for a <see cref="Narralytica.Schema.Sql.ParameterRole.Many"/> parameter.</summary>
    public static string Type(ParameterSpec parameter, string ns)
        => Type(parameter.Type, ns) + (parameter.Role == Narralytica.Schema.Sql.ParameterRole.Many ? "[]" : "");

    /// <summary>How binary COPY names a column's type: an NpgsqlDbType; nothing for enums.</summary>
    public static string CopyType(TypeSpec type)
    {
        // Enums name no type: the data source maps their CLR type to the enum of the tables' schema, and a bare
        // type name is ambiguous when the database holds the schema twice.
        if (type.Kind == PgTypeKind.Enum)
            return "";
        var name = type.Kind switch
        {
            PgTypeKind.Uuid => "Uuid",
            PgTypeKind.Text => "Text",
            PgTypeKind.Varchar => "Varchar",
            PgTypeKind.Char => "Char",
            PgTypeKind.SmallInt => "Smallint",
            PgTypeKind.Integer => "Integer",
            PgTypeKind.BigInt => "Bigint",
            PgTypeKind.Boolean => "Boolean",
            PgTypeKind.Numeric => "Numeric",
            PgTypeKind.Real => "Real",
            PgTypeKind.Double => "Double",
            PgTypeKind.TimestampTz => "TimestampTz",
            PgTypeKind.Timestamp => "Timestamp",
            PgTypeKind.Date => "Date",
            PgTypeKind.Jsonb => "Jsonb",
            PgTypeKind.Bytea => "Bytea",
            _ => throw new System.ArgumentOutOfRangeException(nameof(type), type.Kind, null),
        };
        const string prefix = "global::NpgsqlTypes.NpgsqlDbType.";
        return type.IsArray ? $"{prefix}Array | {prefix}{name}" : prefix + name;
    }

    /// <summary>The C# expression of a column default that has one.</summary>
    public static string Initializer(PropertySpec property, DefaultValueSpec value, string ns) => value.Kind switch
    {
        DefaultValueKind.Number => value.Value + (property.Type.Kind == PgTypeKind.BigInt ? "L" : ""),
        DefaultValueKind.Boolean => value.Value,
        DefaultValueKind.Text => SourceWriter.Literal(value.Value),
        _ => $"{Generated(ns, property.Type.EnumName!)}.{value.Value}",
    };

    /// <summary>A name as a C# identifier: a keyword gets <c>@</c>.</summary>
    public static string Identifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
