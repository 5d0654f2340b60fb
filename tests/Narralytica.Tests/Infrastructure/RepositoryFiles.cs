using System;
using System.IO;

namespace Narralytica.Tests.Infrastructure;

/// <summary>Files of the repository the tests read: schema.yaml and the model's hand-written runtime.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string SchemaPath => Path.Combine(Root, "schema.yaml");

    public static string SchemaText => File.ReadAllText(SchemaPath);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "schema.yaml")) && File.Exists(Path.Combine(dir.FullName, "Narralytica.sln")))
                return dir.FullName;
        throw new InvalidOperationException("The tests must run from inside the repository (no schema.yaml + Narralytica.sln found above " + AppContext.BaseDirectory + ").");
    }
}
