using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Narralytica.Analyzers;

/// <summary>
/// The APIs that send a string to the database as SQL: Npgsql, linq2db, Dapper and EF Core. In each the SQL
/// is the first string parameter (after the extended connection or context, if any).
/// </summary>
internal static class SqlSinks
{
    private const string Constructor = ".ctor";

    // Keyed by the type's simple name, a cheap first filter for every call the compiler sees.
    private static readonly Dictionary<string, Sink[]> SinksByTypeName = new Sink[]
    {
        new("Npgsql", "NpgsqlCommand", name => name == Constructor),
        new("Npgsql", "NpgsqlBatchCommand", name => name == Constructor),
        // BeginBinaryImport, BeginTextImport, BeginBinaryExport, BeginTextExport, BeginRawBinaryCopy (and …Async): COPY commands.
        new("Npgsql", "NpgsqlConnection", name => name.StartsWith("Begin", StringComparison.Ordinal)
            && (name.Contains("Import") || name.Contains("Export") || name.Contains("Copy"))),
        new("LinqToDB.Data", "DataContextExtensions", IsLinqToDbCommand),
        new("LinqToDB.Data", "DataConnectionExtensions", IsLinqToDbCommand),
        new("LinqToDB.Data", "DataConnection", IsLinqToDbCommand),
        new("LinqToDB.Data", "CommandInfo", name => name == Constructor),
        new("LinqToDB", "DataExtensions", IsLinqToDbCommand),
        new("Dapper", "SqlMapper", name => name.StartsWith("Query", StringComparison.Ordinal) || name.StartsWith("Execute", StringComparison.Ordinal)),
        new("Microsoft.EntityFrameworkCore", "RelationalQueryableExtensions", name => name == "FromSqlRaw"),
        new("Microsoft.EntityFrameworkCore", "RelationalDatabaseFacadeExtensions", name => name is "ExecuteSqlRaw" or "ExecuteSqlRawAsync" or "SqlQueryRaw"),
    }.GroupBy(s => s.TypeName).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>The parameter of <paramref name="method"/> that receives SQL, or null when it is no SQL-executing API.</summary>
    public static IParameterSymbol? SqlParameter(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null || !SinksByTypeName.TryGetValue(type.Name, out var candidates))
            return null;
        var ns = type.ContainingNamespace.ToDisplayString();
        var name = method.MethodKind == MethodKind.Constructor ? Constructor : method.Name;
        if (!candidates.Any(s => s.Namespace == ns && s.Matches(name)))
            return null;
        return method.Parameters.FirstOrDefault(p => p.Type.SpecialType == SpecialType.System_String);
    }

    /// <summary>Whether assigning <paramref name="property"/> sets the SQL of an ADO.NET command (NpgsqlCommand.CommandText and the like).</summary>
    public static bool IsCommandText(IPropertySymbol property)
    {
        if (property.Name != "CommandText")
            return false;
        for (var type = property.ContainingType; type is not null; type = type.BaseType)
            if (IsAdoNetCommand(type))
                return true;
        return property.ContainingType.AllInterfaces.Any(IsAdoNetCommand);
    }

    /// <summary>How a message names the API: <c>new NpgsqlCommand</c>, <c>SqlMapper.Query</c>.</summary>
    public static string Describe(IMethodSymbol method)
        => method.MethodKind == MethodKind.Constructor ? "new " + method.ContainingType.Name : method.ContainingType.Name + "." + method.Name;

    private static bool IsLinqToDbCommand(string name)
        => name.StartsWith("Execute", StringComparison.Ordinal) || name.StartsWith("Query", StringComparison.Ordinal) || name == "SetCommand";

    private static bool IsAdoNetCommand(INamedTypeSymbol type)
        => type.Name is "DbCommand" or "DbBatchCommand" or "IDbCommand"
           && type.ContainingNamespace.ToDisplayString() is "System.Data.Common" or "System.Data";

    private sealed class Sink
    {
        private readonly Func<string, bool> _members;

        public Sink(string ns, string typeName, Func<string, bool> members)
        {
            Namespace = ns;
            TypeName = typeName;
            _members = members;
        }

        public string Namespace { get; }
        public string TypeName { get; }
        public bool Matches(string memberName) => _members(memberName);
    }
}
