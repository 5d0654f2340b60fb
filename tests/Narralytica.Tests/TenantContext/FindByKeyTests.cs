using System;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Integration;
using Xunit;

namespace Narralytica.Tests.TenantContext;

/// <summary>Find by key of every tenant table, sync and async, as <c>narralytica_app</c>: the scope's own row, and not the other tenant's.</summary>
public sealed class FindByKeyTests : AppRoleTest
{
    public FindByKeyTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task Every_tenant_table_finds_its_row_by_key_and_leaves_no_tenant()
    {
        var finds = ScopeMembers.Methods().Where(m => m.Name.StartsWith("Find", StringComparison.Ordinal) && m.Name.EndsWith("Async", StringComparison.Ordinal)).ToList();
        Assert.Equal(NarralyticaSchema.Tables.Count(t => t.TenantScoped), finds.Count);
        foreach (var findAsync in finds)
        {
            var entity = findAsync.ReturnType.GetGenericArguments()[0];
            var find = ScopeMembers.Method(findAsync.Name[..^"Async".Length]);
            var rowOfA = typeof(TenantGraph).GetProperties().Single(p => p.PropertyType == entity).GetValue(A)!;
            var key = find.GetParameters().Skip(1).Select(p => entity.GetProperty(char.ToUpperInvariant(p.Name![0]) + p.Name[1..])!.GetValue(rowOfA)).ToArray();

            var scopeOfA = App.ForTenant(A.Scope.TenantId);
            var found = (ITenantEntity?)find.Invoke(null, key.Prepend(scopeOfA).ToArray());
            Assert.True(found is not null, $"{find.Name} as narralytica_app");
            Assert.Equal(A.Scope.TenantId, found.TenantId);
            var foundAsync = await InvokeAsync(findAsync, scopeOfA, key);
            Assert.Equal(A.Scope.TenantId, foundAsync?.TenantId);
            Assert.Null(await InvokeAsync(findAsync, App.ForTenant(B.Scope.TenantId), key));
            Assert.True(string.IsNullOrEmpty(await TenantSettingAsync(App)), $"{find.Name} left the tenant set");
        }
    }

    private static async Task<ITenantEntity?> InvokeAsync(MethodInfo findAsync, TenantScope scope, object?[] key)
    {
        var task = (Task)findAsync.Invoke(null, key.Prepend(scope).Append(CancellationToken.None).ToArray())!;
        await task;
        return (ITenantEntity?)task.GetType().GetProperty("Result")!.GetValue(task);
    }
}
