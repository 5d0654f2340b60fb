namespace Narralytica.Analyzers;

/// <summary>A tenant-scoped table as code names it: its SQL name, its entity and the scope's collection of it.</summary>
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

    /// <summary>The property of <c>TenantScope</c> and <c>CrossTenantAccess</c> that reaches the table, e.g. <c>Segments</c>.</summary>
    public string CollectionName { get; }
}
