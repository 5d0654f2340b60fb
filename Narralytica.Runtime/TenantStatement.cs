namespace Narralytica.Runtime;

/// <summary>
/// The statement that opens a fast path's batch with the tenant's proof, in the form the registered schema's target
/// needs: set_config on plain PostgreSQL, the procedure on Citus (<see cref="ISchemaBinding.SetsTenantByProcedure"/>).
/// </summary>
internal static class TenantStatement
{
    /// <summary>The statement, with the proof as its one parameter.</summary>
    public static string Sql => SchemaBindings.Current.SetsTenantByProcedure ? TenantContext.SetTenantByProcedureSql : TenantContext.SetTenantSql;

    /// <summary>Whether it returns a row before the statement's own (set_config does; a CALL returns no result set).</summary>
    public static bool ReturnsRow => !SchemaBindings.Current.SetsTenantByProcedure;
}
