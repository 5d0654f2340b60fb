using Microsoft.CodeAnalysis.Diagnostics;

namespace Narralytica.Analyzers;

/// <summary>
/// Code allowed to reach tenant tables directly: the model's own runtime (generated code is skipped
/// before any rule runs), and code marked <c>[AcrossTenants("…")]</c>.
/// </summary>
internal static class SanctionedCode
{
    public static bool Contains(OperationAnalysisContext context, TenantModel model)
        => model.IsModelOwnCode(context.ContainingSymbol)
           || AcrossTenantsMarks.IsMarked(context.Operation, context.ContainingSymbol, model.AcrossTenantsAttribute);
}
