using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Narralytica.Analyzers;

/// <summary>
/// NARR4002: hand-written SQL naming a tenant-scoped table, handed to an API that runs it (Npgsql, linq2db,
/// Dapper, EF Core). Nothing binds such SQL to a tenant; the tables are the referenced model's tenant entities.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RawSqlAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(AnalyzerDiagnostics.RawSqlOnTenantTable);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (TenantModel.Resolve(start.Compilation) is not { HasNoTables: false } model)
                return;
            start.RegisterOperationAction(c => AnalyzeCall(c, model), OperationKind.Invocation, OperationKind.ObjectCreation);
            start.RegisterOperationAction(c => AnalyzeCommandText(c, model), OperationKind.SimpleAssignment);
        });
    }

    private static void AnalyzeCall(OperationAnalysisContext context, TenantModel model)
    {
        var (method, arguments) = context.Operation switch
        {
            IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
            IObjectCreationOperation { Constructor: { } constructor } creation => (constructor, creation.Arguments),
            _ => (null, ImmutableArray<IArgumentOperation>.Empty),
        };
        if (method is null || SqlSinks.SqlParameter(method) is not { } sqlParameter)
            return;
        var sql = arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter, sqlParameter));
        if (sql is null || sql.ArgumentKind == ArgumentKind.DefaultValue)
            return;
        Check(context, sql.Value, SqlSinks.Describe(method), model);
    }

    private static void AnalyzeCommandText(OperationAnalysisContext context, TenantModel model)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is IPropertyReferenceOperation { Property: var property } && SqlSinks.IsCommandText(property))
            Check(context, assignment.Value, property.ContainingType.Name + ".CommandText", model);
    }

    private static void Check(OperationAnalysisContext context, IOperation sqlValue, string api, TenantModel model)
    {
        if (SqlText.Of(sqlValue) is not { } sql)
            return;
        var table = SqlTableNames.In(sql).Select(t => model.TableNamed(t.Name, t.Quoted)).FirstOrDefault(t => t is not null);
        if (table is null || SanctionedCode.Contains(context, model))
            return;
        context.ReportDiagnostic(Diagnostic.Create(
            AnalyzerDiagnostics.RawSqlOnTenantTable, sqlValue.Syntax.GetLocation(), api, table.Name, table.CollectionName));
    }
}
