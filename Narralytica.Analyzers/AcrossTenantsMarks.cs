using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Narralytica.Analyzers;

/// <summary>
/// Finds <c>[AcrossTenants("justification")]</c> (Narralytica.Runtime.AcrossTenantsAttribute), the mark of code
/// meant to work across tenants, on the code around an operation.
/// </summary>
internal static class AcrossTenantsMarks
{
    public const string AttributeName = "Narralytica.Runtime.AcrossTenantsAttribute";

    /// <summary>
    /// Whether the operation sits in a marked lambda, local function, accessor's property, member or
    /// (possibly enclosing) type. Only asked once a rule would fire, so its cost does not matter.
    /// </summary>
    public static bool IsMarked(IOperation operation, ISymbol containingSymbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
            return false;
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            var function = parent switch
            {
                IAnonymousFunctionOperation lambda => lambda.Symbol,
                ILocalFunctionOperation local => local.Symbol,
                _ => null,
            };
            if (function is not null && HasMark(function, attribute))
                return true;
        }
        for (ISymbol? symbol = containingSymbol; symbol is not null and not INamespaceSymbol; symbol = symbol.ContainingSymbol)
        {
            if (HasMark(symbol, attribute))
                return true;
            if (symbol is IMethodSymbol { AssociatedSymbol: { } property } && HasMark(property, attribute))
                return true;
        }
        return false;
    }

    private static bool HasMark(ISymbol symbol, INamedTypeSymbol attribute)
    {
        foreach (var data in symbol.GetAttributes())
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                return true;
        return false;
    }
}
