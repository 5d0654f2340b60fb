using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Narralytica.Generator.Emitters;
using Narralytica.Generator.Specs;
using Narralytica.Schema;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;

namespace Narralytica.Generator;

/// <summary>
/// schema.yaml (an AdditionalFile) → one entity per table, the enums, the tenant scope, the DDL;
/// the files of a folder named <c>migrations</c> (AdditionalFiles too) → the embedded migrations,
/// and a warning when schema.yaml has changes no migration captures.
/// Every cached step holds equatable records only; C# edits never re-run it.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NarralyticaGenerator : IIncrementalGenerator
{
    public const string SchemaFileName = "schema.yaml";
    public const string MigrationsFolderName = "migrations";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var schemaFiles = context.AdditionalTextsProvider
            .Where(static file => string.Equals(Path.GetFileName(file.Path), SchemaFileName, StringComparison.OrdinalIgnoreCase))
            .Select(static (file, cancellationToken) =>
            {
                var text = file.GetText(cancellationToken)?.ToString() ?? "";
                return new CompiledSchemaFile(file.Path, text, SchemaCompiler.Compile(text));
            })
            .WithTrackingName(TrackingNames.CompiledSchema)
            .Collect()
            .WithTrackingName(TrackingNames.SchemaFiles);

        var settings = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) =>
                new GeneratorSettings(options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var ns) && !string.IsNullOrWhiteSpace(ns)
                    ? ns
                    : GeneratorSettings.DefaultNamespace))
            .WithTrackingName(TrackingNames.Settings);

        context.RegisterSourceOutput(schemaFiles, static (output, files) => ReportDiagnostics(output, files));

        var migrations = context.AdditionalTextsProvider
            .Where(static file => string.Equals(Path.GetFileName(Path.GetDirectoryName(file.Path)), MigrationsFolderName, StringComparison.Ordinal))
            .Select(static (file, cancellationToken) => new MigrationText(Path.GetFileName(file.Path), file.GetText(cancellationToken)?.ToString() ?? ""))
            .Collect()
            .Select(static (files, _) => MigrationsSpec.Build(files.OrderBy(f => f.FileName, StringComparer.Ordinal).ToEquatableArray()))
            .WithTrackingName(TrackingNames.Migrations);


        var pending = schemaFiles
            .Combine(migrations)
            .Select(static (pair, _) => pair.Left.Length == 1 ? PendingChanges.Compute(pair.Left[0], pair.Right) : null)
            .WithTrackingName(TrackingNames.PendingChanges);
        context.RegisterSourceOutput(pending, static (output, changes) => ReportPendingChanges(output, changes));

        var model = schemaFiles
            .Combine(settings)
            .Select(static (pair, _) =>
            {
                var (files, settings) = pair;
                return files.Length == 1 && files[0].Compilation.Model is { } schema ? SpecBuilder.Build(schema, settings.Namespace) : null;
            })
            .WithTrackingName(TrackingNames.Model);

        // Generated whatever state schema.yaml is in: the migrations folder does not depend on it, and the runtime's
        // migrator names NarralyticaMigrations, which would otherwise add an error unrelated to the schema's own.
        context.RegisterSourceOutput(migrations.Combine(settings), static (output, pair) =>
            output.AddSource("NarralyticaMigrations.g.cs", SourceText.From(MigrationsEmitter.Emit(pair.Left, pair.Right.Namespace), System.Text.Encoding.UTF8)));

        // The queue's SQL, from the queue table's declaration: the runtime's JobQueue and enqueue run it.
        var queue = schemaFiles
            .Select(static (files, _) => files.Length == 1 && files[0].Compilation.Model is { } schema ? QueueSqlSpec.Build(schema) : null)
            .WithTrackingName(TrackingNames.Queue);
        // Written whatever state schema.yaml is in, as the migrations: the schema binding names JobQueueSql.
        context.RegisterSourceOutput(queue.Combine(settings), static (output, pair) =>
            output.AddSource(QueueSqlEmitter.FileName, SourceText.From(QueueSqlEmitter.Emit(pair.Left, pair.Right.Namespace), System.Text.Encoding.UTF8)));

        // The pipeline checkpoints' SQL and scope.Checkpoints, from the checkpoints table's declaration; nothing without one.
        var checkpoints = schemaFiles
            .Select(static (files, _) => files.Length == 1 && files[0].Compilation.Model is { } schema ? CheckpointSqlSpec.Build(schema) : null)
            .WithTrackingName(TrackingNames.Checkpoints);
        context.RegisterSourceOutput(checkpoints.Combine(settings), static (output, pair) =>
        {
            if (pair.Left is { } sql)
                output.AddSource(CheckpointsEmitter.FileName, SourceText.From(CheckpointsEmitter.Emit(sql, pair.Right.Namespace), System.Text.Encoding.UTF8));
        });

        var entities = model
            .SelectMany(static (spec, _) => spec is null ? Enumerable.Empty<EntitySpec>() : spec.Entities)
            .WithTrackingName(TrackingNames.Entities);

        context.RegisterSourceOutput(entities, static (output, entity) =>
        {
            output.AddSource($"{entity.EntityName}.g.cs", SourceText.From(EntityEmitter.Emit(entity), System.Text.Encoding.UTF8));
            output.AddSource($"{entity.EntityName}.Access.g.cs", SourceText.From(ReadPathEmitter.Emit(entity), System.Text.Encoding.UTF8));
        });

        context.RegisterSourceOutput(model, static (output, spec) =>
        {
            if (spec is null)
                return;
            foreach (var enumSpec in spec.Enums)
                output.AddSource($"{enumSpec.Name}.g.cs", SourceText.From(EnumEmitter.Emit(enumSpec), System.Text.Encoding.UTF8));
            output.AddSource("NarralyticaSchemaBinding.g.cs", SourceText.From(SchemaBindingEmitter.Emit(spec), System.Text.Encoding.UTF8));
            output.AddSource("NarralyticaDb.g.cs", SourceText.From(AccessEmitter.EmitDb(spec), System.Text.Encoding.UTF8));
            output.AddSource("TenantScope.g.cs", SourceText.From(AccessEmitter.EmitTenantScope(spec), System.Text.Encoding.UTF8));
            output.AddSource("ControlPlane.g.cs", SourceText.From(AccessEmitter.EmitControlPlane(spec), System.Text.Encoding.UTF8));
            output.AddSource("CrossTenantAccess.g.cs", SourceText.From(AccessEmitter.EmitCrossTenant(spec), System.Text.Encoding.UTF8));
            output.AddSource("NarralyticaQueries.g.cs", SourceText.From(ReadPathEmitter.EmitCatalog(spec), System.Text.Encoding.UTF8));
            output.AddSource("NarralyticaSchema.g.cs", SourceText.From(SchemaSqlEmitter.Emit(spec), System.Text.Encoding.UTF8));
            if (spec.Streams.Count > 0)
                output.AddSource("NarralyticaStreams.g.cs", SourceText.From(StreamEmitter.Emit(spec), System.Text.Encoding.UTF8));
        });
    }

    private static void ReportDiagnostics(SourceProductionContext output, System.Collections.Immutable.ImmutableArray<CompiledSchemaFile> files)
    {
        if (files.Length == 0)
        {
            output.ReportDiagnostic(Diagnostic.Create(SchemaFileRule, Location.None,
                "no schema.yaml was given to the Narralytica generator; add <AdditionalFiles Include=\"path/to/schema.yaml\" /> to the project"));
            return;
        }
        if (files.Length > 1)
        {
            output.ReportDiagnostic(Diagnostic.Create(SchemaFileRule, Location.None,
                $"the Narralytica generator was given more than one schema.yaml ({string.Join(", ", files.Select(f => f.Path))}); keep one AdditionalFiles entry"));
            return;
        }
        var file = files[0];
        var text = SourceText.From(file.Text);
        foreach (var diagnostic in file.Compilation.Diagnostics)
            output.ReportDiagnostic(DiagnosticReporter.ToDiagnostic(diagnostic, file.Path, text));
    }

    private static void ReportPendingChanges(SourceProductionContext output, PendingChanges? pending)
    {
        if (pending is null || pending.Changes.Count == 0 && pending.Problem is null)
            return;
        var text = SourceText.From(pending.SchemaText);
        var diagnostic = pending.Problem is { } problem
            ? MigrationDiagnostics.UnreadableFolder.At(pending.FirstSpan,
                $"the migrations folder cannot be compared with schema.yaml: {problem.TrimEnd('.')}. Run `narralytica migrations check` for the details")
            : MigrationDiagnostics.UncapturedChange.At(pending.FirstSpan,
                $"schema.yaml has {pending.Changes.Count} change(s) no migration captures ({string.Join("; ", pending.Changes.Take(5))}{(pending.Changes.Count > 5 ? "; …" : "")}); " +
                "run `narralytica migrations add <name>` to write them as a migration");
        output.ReportDiagnostic(DiagnosticReporter.ToDiagnostic(diagnostic, pending.SchemaPath, text));
    }

    private static readonly DiagnosticDescriptor SchemaFileRule = DiagnosticReporter.Describe(Narralytica.Schema.Diagnostics.DiagnosticCatalog.SchemaFile);
}
