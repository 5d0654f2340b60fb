using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Tests.Infrastructure;

/// <summary>
/// The generated members of <see cref="TenantScope"/>, found by reflection. They are C# 14 extension members, compiled
/// as static methods of <see cref="TenantScopeTables"/> that take the scope first (a table's getter is <c>get_&lt;Name&gt;</c>).
/// </summary>
public static class ScopeMembers
{
    /// <summary>One table of the scope: its name (<c>Segments</c>) and its rows in a scope.</summary>
    public sealed record Table(string Name, Func<TenantScope, IQueryable<ITenantEntity>> Rows);

    private static IEnumerable<MethodInfo> Statics()
        => typeof(TenantScopeTables).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetParameters().FirstOrDefault()?.ParameterType == typeof(TenantScope));

    /// <summary>Every table of the scope.</summary>
    public static IReadOnlyList<Table> Tables()
        => Statics()
            .Where(m => m.Name.StartsWith("get_", StringComparison.Ordinal) && m.GetParameters().Length == 1
                        && m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(IQueryable<>))
            .Select(m => new Table(m.Name["get_".Length..], scope => (IQueryable<ITenantEntity>)m.Invoke(null, new object[] { scope })!))
            .ToList();

    /// <summary>The generated methods of the scope (Insert, FindVideoAsync, …): the scope, then the method's own parameters.</summary>
    public static IEnumerable<MethodInfo> Methods() => Statics().Where(m => !m.Name.StartsWith("get_", StringComparison.Ordinal));

    /// <summary>The generated method of the scope named so, taking <paramref name="parameters"/> after the scope; null if none.</summary>
    public static MethodInfo? Method(string name, params Type[] parameters)
        => typeof(TenantScopeTables).GetMethod(name, new[] { typeof(TenantScope) }.Concat(parameters).ToArray());

    /// <summary>The generated method of the scope named so (one of that name).</summary>
    public static MethodInfo Method(string name) => Methods().Single(m => m.Name == name);
}
