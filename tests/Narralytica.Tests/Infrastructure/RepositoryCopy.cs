using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Narralytica.Tests.Infrastructure;

/// <summary>
/// A temporary copy of the repository's schema.yaml and migrations folder, for commands that write
/// to them; the `narralytica` command runs against it. Removed on dispose.
/// </summary>
public sealed class RepositoryCopy : IDisposable
{
    public RepositoryCopy()
    {
        Root = Path.Combine(Path.GetTempPath(), "narralytica-copy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(MigrationsPath);
        File.Copy(RepositoryFiles.SchemaPath, SchemaPath);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "migrations")))
            File.Copy(file, MigrationPath(Path.GetFileName(file)));
    }

    public string Root { get; }
    public string SchemaPath => Path.Combine(Root, "schema.yaml");
    public string MigrationsPath => Path.Combine(Root, "migrations");

    public string MigrationPath(string name) => Path.Combine(MigrationsPath, name);

    public string[] MigrationNames() => Directory.GetFiles(MigrationsPath, "*.sql").Select(f => Path.GetFileName(f)).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    /// <summary>Runs `narralytica` with --schema pointing at the copy.</summary>
    public Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CommandLine.RunAsync(args.Concat(new[] { "--schema", SchemaPath }).ToArray());

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
