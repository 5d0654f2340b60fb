using System.Collections.Generic;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The database objects of the lanes beyond grants (<see cref="DatabaseRoles"/>, <see cref="LanePrivileges"/>):
/// the readers' audited cross-tenant read and the workers' claim on queue tables.
/// <para>
/// The audited read: a reader calls <see cref="OpenReadFunction"/> with a justification; the function (SECURITY DEFINER,
/// search path pinned to the schema) writes the audit row itself, with who (<c>session_user</c>), when (<c>now()</c>) and
/// until when (<see cref="AuditLifetime"/> later), and returns its id. The reader names it in the transaction's
/// <see cref="TenantIsolation.AuditSetting"/>, and the <see cref="ReaderReadPolicy"/> of every tenant table lets it read
/// every tenant's rows while that row is its own and unexpired (<see cref="ReadAllowedFunction"/>, also SECURITY DEFINER:
/// no lane holds any privilege on the audit table, so none can write, rewrite or read the trail; its owner reads it).
/// </para>
/// <para>
/// The claim: on a <c>queue: true</c> table the workers' role reads and updates every tenant's rows
/// (<see cref="QueueClaimPolicy"/>, <see cref="QueueFinishPolicy"/>), which <c>SELECT … FOR UPDATE SKIP LOCKED</c> needs;
/// inserts and deletes, and every other tenant table, stay under <see cref="TenantIsolation.TenantPolicy"/>.
/// </para>
/// </summary>
public static class CallerLanes
{
    public const string OpenReadFunction = "narralytica_open_cross_tenant_read";
    public const string ReadAllowedFunction = "narralytica_cross_tenant_read_allowed";

    /// <summary>How long an audit row opens cross-tenant reads; a new read needs a new row after that.</summary>
    public const string AuditLifetime = "10 minutes";

    /// <summary>The readers' policy on every tenant table: SELECT of every tenant's rows under an open audit row of the same login.</summary>
    public const string ReaderReadPolicy = "reader_cross_tenant_read";

    /// <summary>The workers' policies on a queue table: see and lock (SELECT), then update (UPDATE), every tenant's rows.</summary>
    public const string QueueClaimPolicy = "queue_claim";

    public const string QueueFinishPolicy = "queue_finish";

    /// <summary>The audit column the lanes add: after it, the row opens nothing.</summary>
    public const string ExpiresColumn = "expires_at";

    /// <summary>Computed once per statement (an InitPlan), as the tenant policy's setting is.</summary>
    public const string ReaderReadCondition = "(SELECT " + ReadAllowedFunction + "())";

    private const string OpenReadBody =
        "INSERT INTO " + TenantIsolation.AuditTable + " (id, justification, database_user, created_at, " + ExpiresColumn + ") " +
        "VALUES (gen_random_uuid(), justification, session_user, now(), now() + interval '" + AuditLifetime + "') RETURNING id";

    private const string ReadAllowedBody =
        "SELECT EXISTS (SELECT FROM " + TenantIsolation.AuditTable + " a WHERE a.id = " + TenantIsolation.CurrentAudit +
        " AND a.database_user = session_user AND a." + ExpiresColumn + " > now() AND a.created_at <> transaction_timestamp())";

    /// <summary>The audit table as the lanes have it: <see cref="TenantIsolation.CreateAuditTable"/> with its expiry.</summary>
    public const string CreateAuditTable = "CREATE TABLE " + TenantIsolation.AuditTable + " (\n" +
                                           "    id uuid NOT NULL,\n" +
                                           "    justification text NOT NULL,\n" +
                                           "    database_user text NOT NULL DEFAULT session_user,\n" +
                                           "    created_at timestamp with time zone NOT NULL DEFAULT now(),\n" +
                                           "    " + ExpiresColumn + " timestamp with time zone NOT NULL,\n" +
                                           "    CONSTRAINT pk_" + TenantIsolation.AuditTable + " PRIMARY KEY (id),\n" +
                                           "    CONSTRAINT ck_" + TenantIsolation.AuditTable + "_justification CHECK (btrim(justification) <> '')\n" +
                                           ");";

    public const string CommentOnAuditTable = "COMMENT ON TABLE " + TenantIsolation.AuditTable + " IS 'Cross-tenant reads: one row per use of the escape hatch, " +
                                              "written by " + OpenReadFunction + " with the justification, the login, the time and the expiry. No lane holds a privilege on it.';";

    /// <summary>Existing rows (written by the application's former escape hatch) get an expiry that has passed by the time the migration commits.</summary>
    public static IReadOnlyList<string> AddExpiry() => new[]
    {
        $"ALTER TABLE {TenantIsolation.AuditTable} ADD COLUMN {ExpiresColumn} timestamp with time zone NOT NULL DEFAULT now();",
        $"ALTER TABLE {TenantIsolation.AuditTable} ALTER COLUMN {ExpiresColumn} DROP DEFAULT;",
        CommentOnAuditTable,
    };

    public static IReadOnlyList<string> DropExpiry() => new[]
    {
        $"ALTER TABLE {TenantIsolation.AuditTable} DROP COLUMN {ExpiresColumn};",
        TenantIsolation.CommentOnAuditTable,
    };

    /// <summary>The functions' names, as the catalog lists them.</summary>
    public static readonly IReadOnlyList<string> FunctionNames = new[] { OpenReadFunction, ReadAllowedFunction };

    /// <summary>
    /// One function with its privileges: created for the schema the statement runs in (the search path is pinned to it,
    /// then pg_temp, so nothing a caller creates elsewhere is found first), EXECUTE taken from PUBLIC and given to the readers.
    /// </summary>
    public static IReadOnlyList<string> CreateFunction(string name) => name switch
    {
        OpenReadFunction => Create(OpenReadFunction, "justification text", "uuid", "VOLATILE", OpenReadBody),
        ReadAllowedFunction => Create(ReadAllowedFunction, "", "boolean", "STABLE", ReadAllowedBody),
        _ => new string[0],
    };

    private static IReadOnlyList<string> Create(string name, string arguments, string returns, string volatility, string body)
    {
        var create = $"CREATE FUNCTION {name}({arguments}) RETURNS {returns} LANGUAGE sql {volatility} SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ {body} $f$";
        var signature = $"{name}({(arguments.Length == 0 ? "" : "text")})";
        return new[]
        {
            $"DO $$ BEGIN EXECUTE format({SqlIdentifier.Literal(create)}, current_schema()); END $$;",
            $"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC;",
            $"GRANT EXECUTE ON FUNCTION {signature} TO {DatabaseRoles.Reader};",
        };
    }

    public static string DropFunction(string name, string arguments) => $"DROP FUNCTION {SqlIdentifier.Quote(name)}({arguments});";

    /// <summary>Both functions, created after the audit table they write and read.</summary>
    public static IReadOnlyList<string> CreateFunctions()
    {
        var statements = new List<string>();
        foreach (var name in FunctionNames)
            statements.AddRange(CreateFunction(name));
        return statements;
    }

    public static IReadOnlyList<string> DropFunctions() => new[] { DropFunction(OpenReadFunction, "text"), DropFunction(ReadAllowedFunction, "") };

    public static string CreateReaderReadPolicy(Table table)
        => $"CREATE POLICY {ReaderReadPolicy} ON {SqlFragments.Name(table)} FOR SELECT TO {DatabaseRoles.Reader} USING ({ReaderReadCondition});";

    public static string CreateQueueClaimPolicy(Table table)
        => $"CREATE POLICY {QueueClaimPolicy} ON {SqlFragments.Name(table)} FOR SELECT TO {DatabaseRoles.Worker} USING (true);";

    public static string CreateQueueFinishPolicy(Table table)
        => $"CREATE POLICY {QueueFinishPolicy} ON {SqlFragments.Name(table)} FOR UPDATE TO {DatabaseRoles.Worker} USING (true) WITH CHECK (true);";
}
