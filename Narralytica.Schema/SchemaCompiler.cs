using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Parsing;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Validation;
using Narralytica.Schema.Yaml;

namespace Narralytica.Schema;

/// <summary>What reading schema.yaml produced: a whole model, or none and the reasons.</summary>
public sealed record SchemaCompilation(SchemaModel? Model, EquatableArray<SchemaDiagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>The one entry point: schema.yaml text → normalized model + diagnostics.</summary>
public static class SchemaCompiler
{
    public static SchemaCompilation Compile(string yamlText)
    {
        var diagnostics = new List<SchemaDiagnostic>();
        var root = YamlDocumentReader.Read(yamlText, out var failure);
        if (failure is not null)
            return new SchemaCompilation(null, EquatableArray.Of(DiagnosticCatalog.YamlSyntax.At(failure.Span, failure.Message)));

        var parser = new SchemaParser(diagnostics);
        var (enums, drafts) = parser.Parse(root);
        var tables = new SchemaValidator(diagnostics).Validate(enums, drafts);
        tables = new ReadPathValidator(diagnostics).Validate(tables);
        new QueueValidator(diagnostics, enums).Validate(tables);
        new CheckpointValidator(diagnostics).Validate(tables);
        var streams = new StreamValidator(diagnostics).Validate(parser.Streams, tables);
        new CitusValidator(diagnostics).Validate(parser.Target, tables, streams);

        var ordered = diagnostics.OrderBy(d => d.Span.Line).ThenBy(d => d.Span.Column).ThenBy(d => d.Id).ToEquatableArray();
        // Never half a model: any error means no model at all.
        // A queue's workers go through its functions, whose definitions the model keeps in short.
        var withQueueFunctions = tables.Select(t => t.QueueColumns is null ? t : t with { QueueFunctions = QueueFunctions.Fingerprint(t) });
        var model = ordered.Any(d => d.IsError) ? null : new SchemaModel(enums.ToEquatableArray(), withQueueFunctions.ToEquatableArray()) { AppSchemaUsage = true, TenantContext = true, Lanes = true, TenantProof = true, CheckedJustification = true, SignatureFirstProof = true, BoundedReaderAudit = true, GuardedSessions = true, GuardedLargeObjects = true, GuardedSchemaCreate = true, Streams = streams.ToEquatableArray(), Target = parser.Target };
        return new SchemaCompilation(model, ordered);
    }
}
