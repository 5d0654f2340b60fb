using System.Linq;
using Narralytica.Schema;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Citus;

/// <summary>
/// What schema.yaml may declare but Citus cannot serve, reported on the Citus target only: a queue (Citus refuses the
/// workers' claim across tenants) and a stream (the rows are written on the workers, the coordinator's slot sees none).
/// </summary>
public sealed class CitusDiagnosticsTests
{
    [Fact]
    public void The_citus_target_warns_about_the_queue_and_the_stream_and_still_compiles()
    {
        var result = SchemaCompiler.Compile("target: citus\n" + RepositoryFiles.SchemaText);

        Assert.NotNull(result.Model);
        var queue = Assert.Single(result.Diagnostics, d => d.Id == "NARR2009");
        Assert.False(queue.IsError);
        Assert.Contains("table 'jobs' has 'queue: true' and schema.yaml targets Citus", queue.Message);
        Assert.Contains("cannot push down this subquery", queue.Message);
        var stream = Assert.Single(result.Diagnostics, d => d.Id == "NARR2010");
        Assert.False(stream.IsError);
        Assert.Contains("stream 'search_changes'", stream.Message);
        Assert.Contains("'segments'", stream.Message);
        Assert.Equal(new[] { "NARR2009", "NARR2010" }, result.Diagnostics.Select(d => d.Id).OrderBy(id => id).ToArray());
    }

    [Fact]
    public void The_plain_target_says_nothing_of_them()
    {
        var result = SchemaCompiler.Compile(RepositoryFiles.SchemaText);

        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "NARR2009" or "NARR2010");
    }
}
