using System;
using System.IO;
using Xunit;

namespace Narralytica.Tests.Infrastructure;

/// <summary>A file of the repository written from code: the test fails while it is stale, and NARRALYTICA_WRITE_DOCS=1 rewrites it.</summary>
public static class GeneratedFile
{
    public static void AssertCurrent(string relativePath, string expected, string testName)
    {
        var path = Path.Combine(RepositoryFiles.Root, relativePath);
        if (Environment.GetEnvironmentVariable("NARRALYTICA_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
            return;
        }
        var committed = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n") : null;
        Assert.True(committed == expected,
            $"{relativePath} is {(committed is null ? "missing" : "stale")}. Rewrite it with: NARRALYTICA_WRITE_DOCS=1 dotnet test tests/Narralytica.Tests --filter {testName}");
    }
}
