using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Narralytica.Schema;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;

namespace Narralytica.Cli.Commands;

/// <summary>Finds and compiles schema.yaml: --schema PATH, else ./schema.yaml or the nearest one above.</summary>
public static class SchemaFile
{
    public static string Locate(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            if (!File.Exists(explicitPath))
                throw new CliError($"--schema {explicitPath}: no such file.", ErrorCodes.SchemaNotFound);
            return Path.GetFullPath(explicitPath);
        }
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "schema.yaml");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new CliError("No schema.yaml in this folder or any folder above it; run from the repository, or pass --schema PATH.", ErrorCodes.SchemaNotFound);
    }

    /// <summary>The compiled model; prints every diagnostic to stderr and fails when there is an error.</summary>
    public static SchemaModel Load(string? explicitPath) => Compile(explicitPath).Model;

    /// <summary>The compiled model with its warnings (printed to stderr); an error fails, its diagnostics in the --json details.</summary>
    public static (SchemaModel Model, IReadOnlyList<object> Warnings) Compile(string? explicitPath)
    {
        var path = Locate(explicitPath);
        var compilation = SchemaCompiler.Compile(File.ReadAllText(path));
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        foreach (var diagnostic in compilation.Diagnostics)
            Console.Error.WriteLine(diagnostic.Format(relative));
        var described = compilation.Diagnostics.Select(d => Describe(d, relative)).ToList();
        if (compilation.Model is null)
            throw new CliError($"{relative} has errors (listed above); fix them and run again.", ErrorCodes.SchemaInvalid, new { diagnostics = described });
        return (compilation.Model, described);
    }

    private static object Describe(SchemaDiagnostic diagnostic, string file)
        => new { file, line = diagnostic.Span.Line, column = diagnostic.Span.Column, severity = diagnostic.IsError ? "error" : "warning", id = diagnostic.Id, message = diagnostic.Message };
}
