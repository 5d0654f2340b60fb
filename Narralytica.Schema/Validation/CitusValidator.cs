using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Validation;

/// <summary>
/// What schema.yaml may declare but Citus cannot serve, reported when schema.yaml targets Citus (<c>target: citus</c>).
/// The rest of what Citus needs holds on both targets already (tenant-leading keys and btree indexes, composite foreign keys
/// between tenant tables, no global table referencing a tenant table, no SET NULL on a foreign key holding tenant_id);
/// docs/citus.md lists what the cluster refused. Warnings: the database distributes, and the rest of the data layer works.
/// </summary>
internal sealed class CitusValidator
{
    private readonly List<SchemaDiagnostic> _diagnostics;

    public CitusValidator(List<SchemaDiagnostic> diagnostics) => _diagnostics = diagnostics;

    public void Validate(DeploymentTarget target, IReadOnlyList<Table> tables, IReadOnlyList<StreamPublication> streams)
    {
        if (target != DeploymentTarget.Citus)
            return;
        foreach (var table in tables.Where(t => t.Queue))
            _diagnostics.Add(DiagnosticCatalog.CitusQueue.At(table.Span,
                $"table '{table.Name}' has 'queue: true' and schema.yaml targets Citus, which refuses the workers' claim across tenants " +
                "(one statement over every tenant's shard: 'cannot push down this subquery'); run the queue on a PostgreSQL server of its own, or drop 'queue'"));
        foreach (var stream in streams)
            _diagnostics.Add(DiagnosticCatalog.CitusStream.At(stream.Span,
                $"stream '{stream.Name}' reads its tables' changes from the server it connects to, and on Citus the rows of " +
                $"{string.Join(", ", stream.Tables.Select(t => "'" + t + "'"))} are written on the workers: a replication slot on the coordinator sees none of them; " +
                "follow each worker instead, or drop the stream"));
    }
}
