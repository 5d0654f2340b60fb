using System.Collections.Generic;
using LinqToDB.Mapping;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// What the runtime needs to know of one schema.yaml, handed over by the project that compiles it: the generator writes
/// the implementation (<c>NarralyticaSchemaBinding</c> in that project's namespace) and registers it with
/// <see cref="SchemaBindings.Register"/> when the project's assembly loads. The runtime itself knows no schema.
/// </summary>
public interface ISchemaBinding
{
    /// <summary>Maps the schema's enum types on a data source being built, each named <paramref name="schemaPrefix"/> + its SQL name.</summary>
    void MapEnums(NpgsqlDataSourceBuilder builder, string schemaPrefix);

    /// <summary>Adds the schema's conversions to linq2db's mapping (enum parameters go to Npgsql as CLR enums).</summary>
    void ConfigureMappingSchema(MappingSchema schema);

    /// <summary>The migrations of the schema's migrations folder, compiled in, oldest first.</summary>
    IReadOnlyList<SchemaMigration> Migrations { get; }

    /// <summary>
    /// Whether the fast paths set the tenant by <see cref="TenantContext.SetTenantProofProcedure"/> rather than by
    /// set_config: true on Citus (schema.yaml's <c>target: citus</c>), whose workers receive a procedure's SET LOCAL but
    /// never a set_config.
    /// </summary>
    bool SetsTenantByProcedure { get; }

    /// <summary>The job queue's statements, written from the queue table's declaration (<see cref="JobQueueStatements.None"/> without one).</summary>
    JobQueueStatements Queue { get; }
}
