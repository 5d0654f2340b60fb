using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Generator.Specs;

/// <summary>The pipeline checkpoints' statements (<see cref="CheckpointSql"/>, equatable text) of the schema's checkpoints table, or null when it has none.</summary>
internal static class CheckpointSqlSpec
{
    public static CheckpointSql? Build(SchemaModel schema) => schema.Tables.Select(CheckpointSql.For).FirstOrDefault(sql => sql is not null);
}
