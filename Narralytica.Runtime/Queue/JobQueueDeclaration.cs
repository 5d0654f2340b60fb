using System;

namespace Narralytica.Runtime;

/// <summary>What the generated queue SQL (<c>JobQueueSql</c>) says schema.yaml declares, checked before it is run.</summary>
internal static class JobQueueDeclaration
{
    public static void EnsureDeclared()
    {
        if (!JobQueueSql.IsDeclared)
            throw new InvalidOperationException(
                "schema.yaml declares no queue table, so there is no job queue: add 'queue: true' (or a mapping naming its columns) " +
                "to the tenant table that holds the jobs (docs/workers.md, 'Declaring a queue').");
    }

    public static void EnsureKeyAllowed(NewJob job)
    {
        if (job.UniqueKey is not null && !JobQueueSql.HasUniqueKey)
            throw new ArgumentException(
                $"The job has a UniqueKey, but the queue on '{JobQueueSql.Table}' declares no 'unique_key' column: add one to its " +
                "'queue:' in schema.yaml, with its unique index (docs/workers.md, 'The uniqueness key'), or leave UniqueKey null.", nameof(job));
    }
}
