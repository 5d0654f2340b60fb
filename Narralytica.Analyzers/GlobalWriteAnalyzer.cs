using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Narralytica.Analyzers;

/// <summary>
/// NARR4004: linq2db's generic writes (Insert, Update, Delete, BulkCopy, Merge, …) on a global table, outside the
/// control plane. Only <c>narralytica_control</c> may write global tables, so such code fails at run time on every
/// other lane; reaching the table through <c>db.ControlPlane</c> says in the code which lane it needs.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GlobalWriteAnalyzer : DiagnosticAnalyzer
{
    private static readonly string[] WriteVerbs = { "Insert", "Update", "Delete", "BulkCopy", "Merge", "Truncate", "Drop" };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(AnalyzerDiagnostics.GlobalTableWrittenOutsideControlPlane);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (TenantModel.Resolve(start.Compilation) is not { } model)
                return;
            start.RegisterOperationAction(c => AnalyzeInvocation(c, model), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, TenantModel model)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!IsLinqToDbWrite(method))
            return;
        var entity = method.TypeArguments.Concat(method.ContainingType.TypeArguments).FirstOrDefault(model.IsGlobalEntity);
        if (entity is null || model.IsModelOwnCode(context.ContainingSymbol) || ReachedThroughControlPlane(invocation, model))
            return;

        var table = model.GlobalTableOf(entity);
        context.ReportDiagnostic(Diagnostic.Create(
            AnalyzerDiagnostics.GlobalTableWrittenOutsideControlPlane,
            InvocationLocations.MethodName(invocation.Syntax),
            method.Name,
            table?.Name ?? entity.Name,
            table?.CollectionName ?? entity.Name + "s"));
    }

    // Insert, InsertAsync, InsertWithIdentity, InsertOrReplace, UpdateAsync, DeleteAsync, BulkCopyAsync, … of linq2db.
    private static bool IsLinqToDbWrite(IMethodSymbol method)
    {
        var ns = method.ContainingType?.ContainingNamespace?.ToDisplayString() ?? "";
        if (ns != "LinqToDB" && !ns.StartsWith("LinqToDB.", StringComparison.Ordinal))
            return false;
        return WriteVerbs.Any(verb => method.Name.StartsWith(verb, StringComparison.Ordinal));
    }

    /// <summary>
    /// Whether the written table comes from the control plane: somewhere along the call chain the code reads a member
    /// of <c>ControlPlane</c> (<c>db.ControlPlane.Users.Where(…).Delete()</c>, or a ControlPlane held in a variable).
    /// </summary>
    private static bool ReachedThroughControlPlane(IInvocationOperation invocation, TenantModel model)
    {
        IOperation? current = invocation;
        while (current is not null)
        {
            switch (current)
            {
                case IInvocationOperation call:
                    current = call.Instance ?? call.Arguments.FirstOrDefault()?.Value;
                    break;
                case IPropertyReferenceOperation property:
                    if (model.IsControlPlane(property.Property.ContainingType) || model.IsControlPlane(property.Type))
                        return true;
                    current = property.Instance;
                    break;
                case IConversionOperation conversion:
                    current = conversion.Operand;
                    break;
                case IArgumentOperation argument:
                    current = argument.Value;
                    break;
                default:
                    return model.IsControlPlane(current.Type);
            }
        }
        return false;
    }

}
