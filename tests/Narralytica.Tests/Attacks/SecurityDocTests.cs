using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Attacks;

/// <summary>
/// docs/security.md lists every attack with the outcome observed by this run. The table between its markers is
/// generated: this test runs the attacks, renders the table, and fails when the file says something else.
/// With NARRALYTICA_WRITE_DOCS=1 it writes the table instead.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SecurityDocTests
{
    private readonly PostgresFixture _postgres;

    public SecurityDocTests(PostgresFixture postgres) => _postgres = postgres;

    private static string DocPath => Path.Combine(RepositoryFiles.Root, "docs", "security.md");

    [Fact]
    public async Task The_attack_table_in_docs_security_md_is_this_runs_outcome()
    {
        var observed = new List<(Attack, string)>();
        foreach (var attack in AttackCatalogue.All)
            observed.Add((attack, await AttackTests.TryAsync(_postgres, attack)));
        var table = AttackTable.Render(observed);

        var document = File.ReadAllText(DocPath);
        var rewritten = AttackTable.Replace(document, table);
        if (Environment.GetEnvironmentVariable("NARRALYTICA_WRITE_DOCS") == "1")
        {
            File.WriteAllText(DocPath, rewritten);
            return;
        }
        Assert.True(rewritten == document,
            "docs/security.md does not show this run's attacks and outcomes. Rewrite its table with: "
            + "NARRALYTICA_WRITE_DOCS=1 dotnet test tests/Narralytica.Tests --filter The_attack_table_in_docs_security_md_is_this_runs_outcome\n\n" + table);
    }
}
