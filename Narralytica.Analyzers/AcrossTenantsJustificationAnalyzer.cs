using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Narralytica.Analyzers;

/// <summary>
/// NARR4003: <c>[AcrossTenants]</c> whose justification is empty or blank, wherever it is written (types,
/// members, lambdas, local functions). The mark still silences NARR4001 and NARR4002 (one problem, one
/// diagnostic); this rule asks for the reason a reviewer needs.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AcrossTenantsJustificationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(AnalyzerDiagnostics.BlankCrossTenantJustification);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(AcrossTenantsMarks.AttributeName) is not { } attribute)
                return;
            start.RegisterSyntaxNodeAction(c => AnalyzeAttribute(c, attribute), SyntaxKind.Attribute);
        });
    }

    private static void AnalyzeAttribute(SyntaxNodeAnalysisContext context, INamedTypeSymbol attribute)
    {
        var syntax = (AttributeSyntax)context.Node;
        var constructor = context.SemanticModel.GetSymbolInfo(syntax, context.CancellationToken).Symbol;
        if (!SymbolEqualityComparer.Default.Equals(constructor?.ContainingType, attribute))
            return;
        if (syntax.ArgumentList is not { Arguments.Count: > 0 } arguments)
            return; // the compiler already reports the missing argument
        var justification = arguments.Arguments[0];
        var value = context.SemanticModel.GetConstantValue(justification.Expression, context.CancellationToken);
        if (value.HasValue && value.Value is string text && !string.IsNullOrWhiteSpace(text))
            return;
        context.ReportDiagnostic(Diagnostic.Create(AnalyzerDiagnostics.BlankCrossTenantJustification, justification.GetLocation()));
    }
}
