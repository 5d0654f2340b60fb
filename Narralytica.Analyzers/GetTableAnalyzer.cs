using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Narralytica.Analyzers;

/// <summary>
/// NARR4001: linq2db's <c>GetTable&lt;T&gt;()</c> on a tenant entity, which returns every tenant's rows.
/// The tenant scope and the escape hatch are the ways in; only their own (generated) code may call it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GetTableAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(AnalyzerDiagnostics.GetTableOfTenantEntity);

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
        var method = ((IInvocationOperation)context.Operation).TargetMethod;
        if (method.Name != "GetTable" || method.TypeArguments.Length != 1 || !IsLinqToDb(method.ContainingType))
            return;
        var entity = method.TypeArguments[0];
        if (!model.IsTenantEntity(entity) || SanctionedCode.Contains(context, model))
            return;

        var table = model.TableOf(entity);
        var entityName = entity.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        context.ReportDiagnostic(Diagnostic.Create(
            AnalyzerDiagnostics.GetTableOfTenantEntity,
            InvocationLocations.MethodName(context.Operation.Syntax),
            entityName,
            table?.Name ?? "of " + entityName,
            table?.CollectionName ?? "<collection of " + entityName + ">"));
    }

    // LinqToDB.DataExtensions.GetTable<T>(IDataContext), or a GetTable<T>() of a linq2db context type.
    private static bool IsLinqToDb(INamedTypeSymbol? type)
    {
        var ns = type?.ContainingNamespace?.ToDisplayString();
        return ns == "LinqToDB" || ns == "LinqToDB.Data";
    }
}
