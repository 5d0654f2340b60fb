using Narralytica.Schema.Sql;
using Xunit;

namespace Narralytica.Tests.TenantContext;

/// <summary>The runtime (which does not reference Narralytica.Schema) names the database objects as the DDL creates them.</summary>
public sealed class TenantContextNamesTests
{
    [Fact]
    public void The_runtime_names_what_the_schema_creates()
    {
        Assert.Equal(TenantIsolation.TenantSetting, Model.TenantContext.TenantSetting);
        Assert.Equal(TenantIsolation.AuditSetting, Model.TenantContext.CrossTenantAuditSetting);
        Assert.Equal(TenantIsolation.SetTenantProcedure, Model.TenantContext.SetTenantProcedure);
        Assert.Equal(TenantIsolation.SetAuditProcedure, Model.TenantContext.SetCrossTenantAuditProcedure);
        Assert.Equal(TenantIsolation.AuditTable, Model.TenantContext.CrossTenantAuditTable);
    }
}
