using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Narralytica.Analyzers;

/// <summary>
/// What the analyzers need to know about the generated data layer, resolved once per compilation: which types are
/// tenant entities (they implement the runtime's ITenantEntity, in this compilation or in an assembly built on the
/// runtime), the tables they map and how the tenant scope names them.
/// </summary>
internal sealed class TenantModel
{
    private const string TenantEntityName = "Narralytica.Runtime.ITenantEntity";
    private const string ControlPlaneName = "Narralytica.Runtime.ControlPlane";
    private const string TableAttributeName = "LinqToDB.Mapping.TableAttribute";
    private const string RuntimeNamespace = "Narralytica.Runtime";
    // The static classes whose extension members are the generated tables of TenantScope and ControlPlane.
    private const string ScopeTablesName = "TenantScopeTables";
    private const string ControlPlaneTablesName = "ControlPlaneTables";

    private readonly INamedTypeSymbol _tenantEntity;
    private readonly bool _compilationIsTheModel;
    private readonly Dictionary<string, TenantTable> _tablesByName;
    private readonly Dictionary<ITypeSymbol, TenantTable> _tablesByEntity;
    private readonly Dictionary<ITypeSymbol, TenantTable> _globalTablesByEntity;
    private readonly INamedTypeSymbol? _controlPlane;

    private TenantModel(Compilation compilation, INamedTypeSymbol tenantEntity)
    {
        _tenantEntity = tenantEntity;
        _compilationIsTheModel = SymbolEqualityComparer.Default.Equals(tenantEntity.ContainingAssembly, compilation.Assembly);
        _tablesByName = new Dictionary<string, TenantTable>(StringComparer.Ordinal);
        _tablesByEntity = new Dictionary<ITypeSymbol, TenantTable>(SymbolEqualityComparer.Default);
        _globalTablesByEntity = new Dictionary<ITypeSymbol, TenantTable>(SymbolEqualityComparer.Default);
        _controlPlane = compilation.GetTypeByMetadataName(ControlPlaneName);
        AcrossTenantsAttribute = compilation.GetTypeByMetadataName(AcrossTenantsMarks.AttributeName);

        var tableAttribute = compilation.GetTypeByMetadataName(TableAttributeName);
        var modelTypes = ModelTypes(compilation, tenantEntity.ContainingAssembly).ToList();
        var collections = TableCollections(modelTypes.Where(t => t.Name == ScopeTablesName));
        foreach (var entity in modelTypes.Where(IsTenantEntity))
        {
            var name = TableName(entity, tableAttribute);
            if (name is null)
                continue;
            // A model without a generated TenantScope has no collection names: the plural is the generator's convention.
            var table = new TenantTable(name, entity.Name, collections.TryGetValue(entity, out var collection) ? collection : entity.Name + "s");
            _tablesByName[name] = table;
            _tablesByEntity[entity] = table;
        }
        // Global entities: the model's other mapped tables, named as the control plane names them.
        var controlPlaneCollections = TableCollections(modelTypes.Where(t => t.Name == ControlPlaneTablesName));
        foreach (var entity in modelTypes.Where(t => t.TypeKind == TypeKind.Class && !IsTenantEntity(t)))
            if (TableName(entity, tableAttribute) is { } name)
                _globalTablesByEntity[entity] = new TenantTable(name, entity.Name,
                    controlPlaneCollections.TryGetValue(entity, out var collection) ? collection : entity.Name + "s");
    }

    /// <summary>The model the compilation references, or null when it references none (nothing to check then).</summary>
    public static TenantModel? Resolve(Compilation compilation)
        => compilation.GetTypeByMetadataName(TenantEntityName) is { } tenantEntity ? new TenantModel(compilation, tenantEntity) : null;

    /// <summary>
    /// Whether <paramref name="type"/> is a row of a tenant-scoped table: it implements ITenantEntity, or is a
    /// type parameter constrained to it (a generic helper over tenant entities).
    /// </summary>
    public bool IsTenantEntity(ITypeSymbol type)
        => type is ITypeParameterSymbol parameter
            ? parameter.ConstraintTypes.Any(IsTenantEntity)
            : SymbolEqualityComparer.Default.Equals(type, _tenantEntity) || type.AllInterfaces.Contains(_tenantEntity, SymbolEqualityComparer.Default);

    /// <summary>The tenant table an entity maps, when it is one of the model's generated entities.</summary>
    public TenantTable? TableOf(ITypeSymbol entity) => _tablesByEntity.TryGetValue(entity, out var table) ? table : null;

    /// <summary>Whether <paramref name="type"/> is a row of a global table (tenants, users, roles, …) of the model.</summary>
    public bool IsGlobalEntity(ITypeSymbol type) => _globalTablesByEntity.ContainsKey(type);

    /// <summary>The global table an entity maps, with its collection on the control plane.</summary>
    public TenantTable? GlobalTableOf(ITypeSymbol entity) => _globalTablesByEntity.TryGetValue(entity, out var table) ? table : null;

    /// <summary>Whether <paramref name="type"/> is the generated control plane (<c>db.ControlPlane</c>).</summary>
    public bool IsControlPlane(ITypeSymbol? type) => _controlPlane is not null && SymbolEqualityComparer.Default.Equals(type, _controlPlane);

    /// <summary>
    /// The tenant table SQL names: a quoted identifier is compared as written, an unquoted one folded to
    /// lower case, as PostgreSQL does.
    /// </summary>
    public TenantTable? TableNamed(string identifier, bool quoted)
        => _tablesByName.TryGetValue(quoted ? identifier : identifier.ToLowerInvariant(), out var table) ? table : null;

    /// <summary>The <c>[AcrossTenants]</c> attribute of the model (null in a model that predates it).</summary>
    public INamedTypeSymbol? AcrossTenantsAttribute { get; }

    /// <summary>True when the compilation references no tenant table, so no SQL can name one.</summary>
    public bool HasNoTables => _tablesByName.Count == 0;

    /// <summary>
    /// Code of the runtime itself (its scope, escape hatch and helpers), when the compilation is the runtime: these are
    /// the sanctioned ways in, so the rules do not apply to them. (The generated layer is generated code, which the
    /// analyzers do not look at.)
    /// </summary>
    public bool IsModelOwnCode(ISymbol symbol)
    {
        if (!_compilationIsTheModel)
            return false;
        var ns = symbol.ContainingNamespace?.ToDisplayString() ?? "";
        return ns == RuntimeNamespace || ns.StartsWith(RuntimeNamespace + ".", StringComparison.Ordinal);
    }

    /// <summary>
    /// The types a generated layer may be in: this compilation's, and those of the referenced assemblies built on the
    /// runtime (an application referencing its data layer's project or package).
    /// </summary>
    private static IEnumerable<INamedTypeSymbol> ModelTypes(Compilation compilation, IAssemblySymbol runtime)
    {
        var assemblies = new List<IAssemblySymbol> { compilation.Assembly };
        foreach (var reference in compilation.References)
            if (compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly
                && assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == runtime.Name)))
                assemblies.Add(assembly);
        return assemblies.SelectMany(a => TypesOf(a.GlobalNamespace));
    }

    private static IEnumerable<INamedTypeSymbol> TypesOf(INamespaceSymbol ns)
    {
        foreach (var type in ns.GetTypeMembers())
            yield return type;
        foreach (var child in ns.GetNamespaceMembers())
            foreach (var type in TypesOf(child))
                yield return type;
    }

    private bool IsTenantEntity(INamedTypeSymbol type)
        => type.TypeKind == TypeKind.Class && type.AllInterfaces.Contains(_tenantEntity, SymbolEqualityComparer.Default);

    private static string? TableName(INamedTypeSymbol entity, INamedTypeSymbol? tableAttribute)
    {
        foreach (var attribute in entity.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, tableAttribute))
                continue;
            foreach (var named in attribute.NamedArguments)
                if (named.Key == "Name" && named.Value.Value is string fromProperty)
                    return fromProperty;
            if (attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string fromConstructor)
                return fromConstructor;
        }
        return null;
    }

    // The generated IQueryable<Entity> or ITable<Entity> extension properties (the scope's, the control plane's), by
    // entity: their names are what the messages suggest. An extension block is a type nested in its static class.
    private static Dictionary<ITypeSymbol, string> TableCollections(IEnumerable<INamedTypeSymbol> owners)
    {
        var collections = new Dictionary<ITypeSymbol, string>(SymbolEqualityComparer.Default);
        foreach (var owner in owners)
            foreach (var type in owner.GetTypeMembers().Prepend(owner))
                foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
                    if (property.Type is INamedTypeSymbol { Name: "IQueryable" or "ITable", TypeArguments.Length: 1 } queryable)
                        collections[queryable.TypeArguments[0]] = property.Name;
        return collections;
    }
}
