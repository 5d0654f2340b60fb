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
/// The claim: on a queue table the workers call the queue's functions (<see cref="QueueFunctions"/>), which run as the
/// owner; the owner passes the forced row-level security there through <see cref="QueueFunctionsPolicy"/>. The workers'
/// role itself reads and writes jobs, like every other tenant table, under <see cref="TenantIsolation.TenantPolicy"/>.
/// Schemas from before the functions gave the workers' role two policies of its own instead, which read and updated
/// every tenant's rows (<see cref="QueueClaimPolicy"/>, <see cref="QueueFinishPolicy"/>): a migration replaces them.
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

    /// <summary>The workers' policies on a queue table before the queue's functions: see and lock (SELECT), then update (UPDATE), every tenant's rows.</summary>
    public const string QueueClaimPolicy = "queue_claim";

    public const string QueueFinishPolicy = "queue_finish";

    /// <summary>The owner's policy on a queue table: every tenant's rows, inside the queue's functions only (<see cref="QueueFunctions.Setting"/>).</summary>
    public const string QueueFunctionsPolicy = "queue_functions";

    /// <summary>The condition of <see cref="QueueFunctionsPolicy"/>: the setting the queue's functions turn on around their statement.</summary>
    public const string QueueFunctionsCondition = "current_setting('" + QueueFunctions.Setting + "', true) = 'on'";

    /// <summary>The audit column the lanes add: after it, the row opens nothing.</summary>
    public const string ExpiresColumn = "expires_at";

    /// <summary>Computed once per statement (an InitPlan), as the tenant policy's setting is.</summary>
    public const string ReaderReadCondition = "(SELECT " + ReadAllowedFunction + "())";

    /// <summary>The longest justification a cross-tenant read may give, in characters: a reason, not a report.</summary>
    public const int MaxJustificationLength = 500;

    /// <summary>
    /// What a justification must hold besides whitespace: any character but the whitespace of Unicode (what .NET's
    /// <c>char.IsWhiteSpace</c> counts, spelled out so that the check does not depend on the database's locale).
    /// </summary>
    public const string JustificationPattern = @"[^\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";

    /// <summary>The SQLSTATE of a refused justification: invalid_parameter_value.</summary>
    public const string RefusedJustificationState = "22023";

    /// <summary>
    /// The most unexpired audit rows one login may hold at once. A derived system opens one row per read or snapshot
    /// (<c>AcrossTenants</c>, a stream's snapshot) and each lasts <see cref="AuditLifetime"/>, so a hundred means a read
    /// every six seconds for ten minutes; past it the trail would be flooded, not used.
    /// </summary>
    public const int MaxOpenAuditsPerLogin = 100;

    /// <summary>The SQLSTATE of an open-read refused at <see cref="MaxOpenAuditsPerLogin"/>: program_limit_exceeded.</summary>
    public const string TooManyOpenReadsState = "54000";

    private const string OpenReadBody =
        "INSERT INTO " + TenantIsolation.AuditTable + " (id, justification, database_user, created_at, " + ExpiresColumn + ") " +
        "VALUES (gen_random_uuid(), justification, session_user, now(), now() + interval '" + AuditLifetime + "') RETURNING id";

    /// <summary>
    /// The open-read function's body since <see cref="SchemaModel.CheckedJustification"/>: a blank (whitespace only) or overlong
    /// justification is refused with <see cref="RefusedJustificationState"/> and a message that says what to write, before any row is written.
    /// </summary>
    private static readonly string CheckedOpenReadBody =
        "DECLARE\n" +
        "    audit uuid;\n" +
        "BEGIN\n" +
        "    IF $1 IS NULL OR $1 !~ '" + JustificationPattern + "' OR char_length($1) > " + MaxJustificationLength + " THEN\n" +
        "        RAISE EXCEPTION USING ERRCODE = '" + RefusedJustificationState + "',\n" +
        "            MESSAGE = 'a cross-tenant read needs a justification that says why: not blank, and at most " + MaxJustificationLength + " characters (this one has ' || coalesce(char_length($1), 0) || ')',\n" +
        "            HINT = 'say in a sentence why the code needs every tenant''s rows; point to a ticket for the details';\n" +
        "    END IF;\n" +
        "    " + OpenReadBody + " INTO audit;\n" +
        "    RETURN audit;\n" +
        "END\n";

    /// <summary>
    /// The open-read function's body since <see cref="SchemaModel.BoundedReaderAudit"/>: the justification checked as in
    /// <see cref="CheckedOpenReadBody"/>, then at most <see cref="MaxOpenAuditsPerLogin"/> unexpired rows per login. Opens are
    /// taken one at a time (the lock conflicts with itself only, so reads of the trail go on), which keeps the count exact
    /// when one login opens from many connections at once.
    /// </summary>
    private static readonly string BoundedOpenReadBody =
        "DECLARE\n" +
        "    audit uuid;\n" +
        "    open_reads bigint;\n" +
        "BEGIN\n" +
        "    IF $1 IS NULL OR $1 !~ '" + JustificationPattern + "' OR char_length($1) > " + MaxJustificationLength + " THEN\n" +
        "        RAISE EXCEPTION USING ERRCODE = '" + RefusedJustificationState + "',\n" +
        "            MESSAGE = 'a cross-tenant read needs a justification that says why: not blank, and at most " + MaxJustificationLength + " characters (this one has ' || coalesce(char_length($1), 0) || ')',\n" +
        "            HINT = 'say in a sentence why the code needs every tenant''s rows; point to a ticket for the details';\n" +
        "    END IF;\n" +
        "    LOCK TABLE " + TenantIsolation.AuditTable + " IN SHARE ROW EXCLUSIVE MODE;\n" +
        "    SELECT count(*) INTO open_reads FROM " + TenantIsolation.AuditTable + " a WHERE a.database_user = session_user AND a." + ExpiresColumn + " > statement_timestamp();\n" +
        "    IF open_reads >= " + MaxOpenAuditsPerLogin + " THEN\n" +
        "        RAISE EXCEPTION USING ERRCODE = '" + TooManyOpenReadsState + "',\n" +
        "            MESSAGE = 'login ' || session_user || ' already holds " + MaxOpenAuditsPerLogin + " unexpired cross-tenant reads, the most one login may hold',\n" +
        "            HINT = 'an audit row opens reads for " + AuditLifetime + ": read under the one already open, or wait until the oldest expires';\n" +
        "    END IF;\n" +
        "    " + OpenReadBody + " INTO audit;\n" +
        "    RETURN audit;\n" +
        "END\n";

    /// <summary>
    /// Whether the transaction's audit row opens cross-tenant reads, checked at each statement's start
    /// (<c>statement_timestamp()</c>, as the signed tenant's verifier does): a transaction begun inside the window
    /// reads no more once the row expires, however long it stays open.
    /// </summary>
    private const string ReadAllowedBody =
        "SELECT EXISTS (SELECT FROM " + TenantIsolation.AuditTable + " a WHERE a.id = " + TenantIsolation.CurrentAudit +
        " AND a.database_user = session_user AND a." + ExpiresColumn + " > statement_timestamp() AND a.created_at <> transaction_timestamp())";

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
    /// <param name="orReplace">
    /// Replace a function of the same name and arguments in place (CREATE OR REPLACE): the policies call the read
    /// function, so it cannot be dropped while they exist.
    /// </param>
    public static IReadOnlyList<string> CreateFunction(string name, bool orReplace = false) => name switch
    {
        OpenReadFunction => Create(OpenReadFunction, "justification text", "uuid", "plpgsql", "VOLATILE", BoundedOpenReadBody, orReplace),
        ReadAllowedFunction => Create(ReadAllowedFunction, "", "boolean", "sql", "STABLE", ReadAllowedBody, orReplace),
        _ => new string[0],
    };

    /// <summary>
    /// Replaces the open-read function of the lanes' first version (which took any justification the table's check
    /// accepted) with the one that refuses a blank or overlong one (<see cref="CheckedOpenReadBody"/>); its grants stay.
    /// </summary>
    public static string ReplaceOpenReadWithCheckedJustification()
        => Create(OpenReadFunction, "justification text", "uuid", "plpgsql", "VOLATILE", CheckedOpenReadBody, orReplace: true)[0];

    /// <summary>
    /// Replaces both functions of lanes that predate <see cref="SchemaModel.BoundedReaderAudit"/> with the bounded open-read
    /// (<see cref="BoundedOpenReadBody"/>) and the per-statement window (<see cref="ReadAllowedBody"/>); their grants stay.
    /// </summary>
    public static IReadOnlyList<string> ReplaceWithBoundedAudit() => new[]
    {
        CreateFunction(OpenReadFunction, orReplace: true)[0],
        CreateFunction(ReadAllowedFunction, orReplace: true)[0],
    };

    private static IReadOnlyList<string> Create(string name, string arguments, string returns, string language, string volatility, string body, bool orReplace = false)
    {
        var create = $"CREATE {(orReplace ? "OR REPLACE " : "")}FUNCTION {name}({arguments}) RETURNS {returns} LANGUAGE {language} {volatility} SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ {body} $f$";
        var signature = $"{name}({(arguments.Length == 0 ? "" : "text")})";
        return new[]
        {
            DatabaseRoles.OnCurrentSchema(create),
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

    public static string CreateQueueFunctionsPolicy(Table table)
        => $"CREATE POLICY {QueueFunctionsPolicy} ON {SqlFragments.Name(table)} TO {DatabaseRoles.Owner} USING ({QueueFunctionsCondition}) WITH CHECK ({QueueFunctionsCondition});";
}
