namespace Narralytica.Analyzers;

/// <summary>A table as code names it: its SQL name, its entity and the collection that reaches it (the tenant scope's, or the control plane's for a global table).</summary>
internal sealed class TenantTable
{
    public TenantTable(string name, string entityName, string collectionName)
    {
        Name = name;
        EntityName = entityName;
        CollectionName = collectionName;
    }

    /// <summary>The table name in SQL, from the entity's <c>[Table("…")]</c>.</summary>
    public string Name { get; }

    /// <summary>The generated entity class, e.g. <c>Segment</c>.</summary>
    public string EntityName { get; }

    /// <summary>The property that reaches the table, e.g. <c>Segments</c> of <c>TenantScope</c> and <c>CrossTenantAccess</c>, <c>Users</c> of <c>ControlPlane</c>.</summary>
    public string CollectionName { get; }
}
