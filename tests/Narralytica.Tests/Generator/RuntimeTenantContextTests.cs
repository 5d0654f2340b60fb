using System;
using System.IO;
using System.Text;
using Narralytica.Generator.Emitters;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Generator;

/// <summary>
/// The runtime is built without a schema.yaml, so its tenant-context names (<c>Narralytica.Runtime.TenantContext</c>) are
/// a checked-in file that TenantContextEmitter writes from the schema library's definitions, the ones the DDL creates the
/// objects under. This keeps the file what the emitter writes now; <see cref="GoldenFileTests.AcceptVariable"/>=1 rewrites it.
/// </summary>
public sealed class RuntimeTenantContextTests
{
    [Fact]
    public void The_runtime_tenant_context_is_what_the_emitter_writes()
    {
        var path = Path.Combine(RepositoryFiles.Root, TenantContextEmitter.RuntimeFile);
        var expected = TenantContextEmitter.Emit("Narralytica.Runtime");
        if (Environment.GetEnvironmentVariable(GoldenFileTests.AcceptVariable) == "1")
        {
            File.WriteAllText(path, expected, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }
        var actual = File.ReadAllText(path);
        Assert.True(expected == actual,
            $"{TenantContextEmitter.RuntimeFile} differs from what TenantContextEmitter writes:\n{GoldenFileTests.FirstDifference(actual, expected)}\n" +
            $"Rewrite it: {GoldenFileTests.AcceptVariable}=1 dotnet test tests/Narralytica.Tests --filter FullyQualifiedName~RuntimeTenantContextTests, then rebuild.");
    }
}
