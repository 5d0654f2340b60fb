using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Naming;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Sql.Citus;

namespace Narralytica.Generator.Specs;

/// <summary>Turns the schema model into specs: C# names, column types as data, associations, read paths. No C# text.</summary>
internal static class SpecBuilder
{
    public static ModelSpec Build(SchemaModel model, string ns)
    {
        var entityNames = model.Tables.ToDictionary(t => t.Name, t => t.EntityName ?? ClrNaming.Entity(t.Name));
        var incoming = IncomingKeys(model);
        var entities = model.Tables.Select(t => BuildEntity(model, t, ns, entityNames, incoming)).ToEquatableArray();
        var enums = model.Enums.Select(e => new EnumSpec(ns, ClrNaming.Pascal(e.Name), e.Name, e.Doc,
            UniqueNames(e.Values.Select(ClrNaming.Pascal)).Zip(e.Values, (name, value) => new EnumMemberSpec(name, value)).ToEquatableArray())).ToEquatableArray();
        var byTable = entities.ToDictionary(e => e.TableName);
        var streams = model.Streams.Select(stream => new StreamSpec(ClrNaming.Pascal(stream.Name), stream.Name, stream.Doc,
            stream.Tables.Select(t => byTable[t]).Select(e => new StreamTableSpec(e.TableName, e.EntityName, e.IsTenantScoped, e.Properties)).ToEquatableArray())).ToEquatableArray();
        return new ModelSpec(ns, entities, enums, DdlEmitter.Statements(model).ToEquatableArray(), DdlEmitter.Script(model))
        {
            Streams = streams,
            SetsTenantByProcedure = model.Target == DeploymentTarget.Citus,
        };
    }

    /// <summary>
    /// For each referenced table, the tables whose foreign keys refer to it, in schema.yaml order,
    /// each with those keys in declaration order. Built once, so each entity finds its incoming
    /// references without scanning every table.
    /// </summary>
    private static ILookup<string, (Table Other, List<ForeignKey> Keys)> IncomingKeys(SchemaModel model)
        => model.Tables
            .SelectMany(other => other.ForeignKeys.GroupBy(k => k.ReferencedTable).Select(keys => (Other: other, Keys: keys.ToList())))
            .ToLookup(referencing => referencing.Keys[0].ReferencedTable);

    private static EntitySpec BuildEntity(SchemaModel model, Table table, string ns, Dictionary<string, string> entityNames,
        ILookup<string, (Table Other, List<ForeignKey> Keys)> incomingKeys)
    {
        var entityName = entityNames[table.Name];
        var properties = table.Columns.Select(c => new PropertySpec(
            PropertyName(c.Name, entityName),
            c.Name,
            ReadPathSpecBuilder.Type(c.Type),
            c.Type.Sql,
            c.Nullable,
            IndexOf(table.PrimaryKey.Columns, c.Name),
            c.Default,
            DefaultValue(c),
            c.Origin == ColumnOrigin.IdConvention ? InsertFill.NewId
                : c.Origin == ColumnOrigin.TimestampConvention || IsNow(c.Default) ? InsertFill.Now
                : InsertFill.None,
            StampedOnUpdate: c.Origin == ColumnOrigin.TimestampConvention && c.Name == "updated_at",
            c.Doc ?? ReferenceDoc(table, c.Name))).ToEquatableArray();
        var propertyNames = new HashSet<string>(properties.Select(p => p.Name)) { entityName };

        var associations = new List<AssociationSpec>();
        foreach (var key in table.ForeignKeys)
        {
            var targetEntity = entityNames[key.ReferencedTable];
            var own = key.Columns.Last();
            var baseName = own == "tenant_id" ? "Tenant"
                : own.EndsWith("_id") ? ClrNaming.Pascal(own.Substring(0, own.Length - 3))
                : ClrNaming.Pascal(own) + targetEntity;
            var nullable = key.Columns.Any(c => table.FindColumn(c)!.Nullable);
            associations.Add(new AssociationSpec(
                Reserve(propertyNames, baseName),
                targetEntity,
                key.Columns.Select(c => PropertyName(c, entityName)).ToEquatableArray(),
                key.ReferencedColumns.Select(c => PropertyName(c, targetEntity)).ToEquatableArray(),
                IsMany: false,
                CanBeNull: nullable,
                key.ReferencedTable,
                string.Join(", ", key.Columns.Where(c => c != "tenant_id" || key.Columns.Count == 1))));
        }

        // The other side: rows of other tables that reference this one. Only between tables of the same
        // scope, so a global row never leads to tenant rows outside a tenant scope.
        foreach (var (other, incoming) in incomingKeys[table.Name])
        {
            if (other.IsTenantScoped != table.IsTenantScoped)
                continue;
            foreach (var key in incoming)
            {
                var collection = ClrNaming.Collection(other.Name);
                var baseName = incoming.Count == 1 ? collection : collection + "By" + ClrNaming.Pascal(key.Columns.Last());
                associations.Add(new AssociationSpec(
                    Reserve(propertyNames, baseName),
                    entityNames[other.Name],
                    key.ReferencedColumns.Select(c => PropertyName(c, entityName)).ToEquatableArray(),
                    key.Columns.Select(c => PropertyName(c, entityNames[other.Name])).ToEquatableArray(),
                    IsMany: true,
                    CanBeNull: false,
                    other.Name,
                    key.Columns.Last()));
            }
        }

        return new EntitySpec(ns, entityName, ClrNaming.Collection(table.Name), table.Name, table.Doc,
            table.IsTenantScoped, table.AppendOnly, properties, associations.ToEquatableArray(),
            ReadPathSpecBuilder.Find(table, properties, entityName), ReadPathSql.Copy(table),
            table.IsTenantScoped ? BulkInsertSql.Insert(table) : null,
            ReadPathSpecBuilder.Queries(table, properties, model.Target), ReadPathSpecBuilder.Feeds(model, table, properties, entityNames),
            OwnTransaction: model.Target == DeploymentTarget.Citus && table.IsTenantScoped,
            CitusBulkInsert: model.Target == DeploymentTarget.Citus && table.IsTenantScoped
                ? new CitusBulkInsertSpec(CitusBulkInsert.Head(table), CitusBulkInsert.RowTenant, CitusBulkInsert.ParametersPerRow(table), CitusBulkInsert.RowsPerStatement(table))
                : null);
    }

    /// <summary>
    /// The value of a column's database default when C# can start a row with it: numbers, booleans, text and JSON
    /// literals, enum labels. Other expressions (functions other than now()) have no C# equivalent and give none.
    /// Defaults are canonical, so a literal of the column's own type comes without a cast ('{}' on jsonb).
    /// </summary>
    private static DefaultValueSpec? DefaultValue(Column column)
    {
        if (column.Default is not { } sql || column.Type.IsArray)
            return null;
        var text = sql.Trim();
        var literal = System.Text.RegularExpressions.Regex.Match(text, @"^'((?:[^']|'')*)'(?:::[a-z_ ]+)?$");
        switch (column.Type.Kind)
        {
            case PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt:
                return System.Text.RegularExpressions.Regex.IsMatch(text, @"^-?\d+$") ? new DefaultValueSpec(DefaultValueKind.Number, text) : null;
            case PgTypeKind.Boolean:
                return text.ToLowerInvariant() is "true" or "false" ? new DefaultValueSpec(DefaultValueKind.Boolean, text.ToLowerInvariant()) : null;
            case PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char or PgTypeKind.Jsonb:
                return literal.Success ? new DefaultValueSpec(DefaultValueKind.Text, literal.Groups[1].Value.Replace("''", "'")) : null;
            case PgTypeKind.Enum when literal.Success:
                return new DefaultValueSpec(DefaultValueKind.EnumMember, ClrNaming.Pascal(literal.Groups[1].Value));
            default:
                return null;
        }
    }

    /// <summary>Defaults are canonical (SqlExpression): CURRENT_TIMESTAMP and transaction_timestamp() are now().</summary>
    private static bool IsNow(string? sql) => sql == "now()";

    /// <summary>The documentation a foreign-key column gets when schema.yaml gives none.</summary>
    private static string? ReferenceDoc(Table table, string column)
    {
        var key = table.ForeignKeys.FirstOrDefault(k => k.Columns.Last() == column);
        return key is null ? null : $"Refers to a {key.ReferencedTable} row{(table.IsTenantScoped && key.Columns.Count > 1 ? " of the same tenant" : "")}.";
    }

    /// <summary>A property may not share its class's name (CS0542); such a column gets a suffix.</summary>
    public static string PropertyName(string column, string entityName)
    {
        var name = ClrNaming.Pascal(column);
        return name == entityName ? name + "Value" : name;
    }

    private static string Reserve(HashSet<string> taken, string name)
    {
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++)
            candidate = name + i;
        return candidate;
    }

    private static IEnumerable<string> UniqueNames(IEnumerable<string> names)
    {
        var taken = new HashSet<string>();
        return names.Select(n => Reserve(taken, n)).ToList();
    }

    private static int IndexOf(EquatableArray<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == item)
                return i;
        return -1;
    }
}
