using System.IO;
using System.Linq;
using Narralytica.Analyzers;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Migrations;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Schema;

/// <summary>docs/diagnostics.md documents every id the code can report, under the anchor the build's help link points at.</summary>
public sealed class DiagnosticDocsTests
{
    [Fact]
    public void Every_id_has_a_section_in_docs_diagnostics()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "diagnostics.md"));
        var ids = DiagnosticCatalog.All.Select(r => r.Id).Concat(MigrationDiagnostics.All.Select(r => r.Id)).Concat(MigrationRules.All.Select(r => r.Id))
            .Concat(AnalyzerDiagnostics.All.Select(d => d.Id)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Contains($"<a id=\"{id.ToLowerInvariant()}\"></a>{id} — ", docs));
        Assert.All(MigrationRules.All, r => Assert.Matches("^NARR30[0-3]\\d$", r.Id));
        Assert.All(MigrationDiagnostics.All, r => Assert.Matches("^NARR30[45]\\d$", r.Id));
        Assert.All(AnalyzerDiagnostics.All, d => Assert.Matches("^NARR4\\d{3}$", d.Id));
        Assert.All(AnalyzerDiagnostics.All, d => Assert.EndsWith("#" + d.Id.ToLowerInvariant(), d.HelpLinkUri));
    }
}
