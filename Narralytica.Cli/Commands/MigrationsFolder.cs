using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Narralytica.Schema.Migrations;

namespace Narralytica.Cli.Commands;

/// <summary>
/// The migrations folder on disk: <c>--migrations PATH</c>, else <c>migrations/</c> next to schema.yaml.
/// Writes go to temporary files first and are moved into place, so an interrupted command leaves
/// either the old file or the new one, never half of one.
/// </summary>
public sealed class MigrationsFolder
{
    private MigrationsFolder(string path) => Path = path;

    public string Path { get; }

    public static MigrationsFolder Locate(string? explicitPath, string schemaPath)
        => new(System.IO.Path.GetFullPath(explicitPath ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(schemaPath)!, "migrations")));

    /// <summary>The relative path used in messages.</summary>
    public string Display(string fileName) => System.IO.Path.GetRelativePath(Directory.GetCurrentDirectory(), System.IO.Path.Combine(Path, fileName));

    public MigrationSet Read()
    {
        if (!Directory.Exists(Path))
            return MigrationSet.From(Array.Empty<(string, string)>());
        try
        {
            return MigrationSet.From(Directory.EnumerateFiles(Path)
                .Select(file => (System.IO.Path.GetFileName(file), File.ReadAllText(file))));
        }
        catch (MigrationInputException e)
        {
            throw new CliError(Display(e.File) + e.Message.Substring(e.File.Length));
        }
        catch (IOException e)
        {
            throw new CliError($"Cannot read {Path}: {e.Message}");
        }
    }

    /// <summary>Writes every file, each through a temporary file in the same folder.</summary>
    public void Write(IEnumerable<(string FileName, string Text)> files)
    {
        Directory.CreateDirectory(Path);
        foreach (var (fileName, text) in files)
        {
            var target = System.IO.Path.Combine(Path, fileName);
            var temporary = target + ".tmp";
            File.WriteAllText(temporary, text.Replace("\r\n", "\n"));
            File.Move(temporary, target, overwrite: true);
        }
    }

    /// <summary>Deletes files of the folder (a file already gone is no error).</summary>
    public void Delete(IEnumerable<string> fileNames)
    {
        foreach (var fileName in fileNames)
            File.Delete(System.IO.Path.Combine(Path, fileName));
    }

    /// <summary>The folder's migrations as the data layer applies them, after the folder is verified.</summary>
    public IReadOnlyList<Narralytica.Runtime.SchemaMigration> ReadVerified()
    {
        var set = Read();
        if (Report(set.Verify()))
            throw new CliError("The migrations folder has the problems above; fix them first (`narralytica migrations check`).");
        return ToSchemaMigrations(set.Migrations);
    }

    /// <summary>Migration files as the data layer's <see cref="Narralytica.Runtime.SchemaMigration"/>, with their chained sums.</summary>
    public static IReadOnlyList<Narralytica.Runtime.SchemaMigration> ToSchemaMigrations(IReadOnlyList<MigrationFile> migrations)
        => Narralytica.Database.Migrations.SchemaMigrations.From(migrations);

    /// <summary>Prints the folder's problems to stderr; true when there were any.</summary>
    public bool Report(IEnumerable<MigrationProblem> problems)
    {
        var any = false;
        foreach (var problem in problems)
        {
            any = true;
            Console.Error.WriteLine($"{Display(problem.File)}{(problem.Line is { } line ? $"({line})" : "")}: error {problem.Rule.Id}: {problem.Message}");
        }
        return any;
    }
}
