using System;
using Narralytica.Runtime;
using Xunit;

namespace Narralytica.Tests.Citus;

/// <summary>
/// On the Citus target a linq2db query of a tenant scope outside a transaction would reach the shard's node without its
/// tenant and quietly see no row; the runtime refuses it before sending. This process serves the plain target (whose
/// queries outside a transaction ScopeCommandTests runs), so the rule is checked directly.
/// </summary>
public sealed class CitusLinqTransactionTests
{
    [Fact]
    public void On_the_Citus_target_a_scope_query_outside_a_transaction_is_refused_with_what_to_do()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TenantCommandInterceptor.EnsureTransactionWhereRequired(setsTenantByProcedure: true, inTransaction: false));
        Assert.Contains("outside a transaction on the Citus target", error.Message);
        Assert.Contains("BeginTransactionAsync", error.Message);
    }

    [Fact]
    public void Inside_a_transaction_or_on_the_plain_target_the_query_goes_through()
    {
        TenantCommandInterceptor.EnsureTransactionWhereRequired(setsTenantByProcedure: true, inTransaction: true);
        TenantCommandInterceptor.EnsureTransactionWhereRequired(setsTenantByProcedure: false, inTransaction: false);
    }
}
