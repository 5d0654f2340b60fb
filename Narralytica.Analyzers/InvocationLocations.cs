using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Narralytica.Analyzers;

/// <summary>Where a diagnostic about a call points.</summary>
internal static class InvocationLocations
{
    /// <summary>The method's name ("GetTable&lt;Segment&gt;", "Delete"), not the whole call chain before it.</summary>
    public static Location MethodName(SyntaxNode invocation)
        => invocation is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
            ? access.Name.GetLocation()
            : invocation is InvocationExpressionSyntax call ? call.Expression.GetLocation() : invocation.GetLocation();
}
