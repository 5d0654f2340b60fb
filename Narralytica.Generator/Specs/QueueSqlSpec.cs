using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Generator.Specs;

/// <summary>The queue's statements (<see cref="QueueSql"/>, equatable text) of the schema's queue table, or null when it has none.</summary>
internal static class QueueSqlSpec
{
    public static QueueSql? Build(SchemaModel schema)
    {
        var enumNames = schema.Enums.Select(e => e.Name).ToList();
        return schema.Tables.Select(t => QueueSql.For(t, enumNames)).FirstOrDefault(sql => sql is not null);
    }
}
