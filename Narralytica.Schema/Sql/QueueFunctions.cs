using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The workers' side of a queue table as functions (claim, heartbeat, complete, complete many, cancel, fail, release):
/// each runs one statement of <see cref="QueueStatements"/> as the function's owner (SECURITY DEFINER, search path
/// pinned to the schema), and the workers' role holds EXECUTE on them and nothing cross-tenant on the table. So a
/// worker, or a statement injected into one, cannot read another tenant's jobs, nor set their state: it gets the jobs a
/// fair claim hands it, and changes a job only while it holds that job's claim (tenant, id, owner and attempt).
/// The functions also bound what a caller may ask: a claim takes 1 to <see cref="MaxClaim"/> jobs, a lease lasts 1 s to
/// a day, a retry waits at most 30 days, a worker's name is 1 to 200 characters.
/// <para>
/// The owner reads and changes every tenant's jobs inside the functions only: row-level security is forced on the table,
/// so the owner (when it lacks BYPASSRLS) passes through <see cref="CallerLanes.QueueFunctionsPolicy"/>, which holds while
/// the transaction-local <see cref="Setting"/> is on; the functions turn it on before their statement and off after it.
/// That policy is the owner's alone, so setting it gives no other role anything.
/// </para>
/// </summary>
public static class QueueFunctions
{
    public const string Claim = "narralytica_queue_claim";
    public const string Heartbeat = "narralytica_queue_heartbeat";
    public const string Complete = "narralytica_queue_complete";
    public const string CompleteMany = "narralytica_queue_complete_many";
    public const string Cancel = "narralytica_queue_cancel";
    public const string Fail = "narralytica_queue_fail";
    public const string Release = "narralytica_queue_release";

    /// <summary>The setting the functions turn on around their statement, which the owner's policy on the table reads.</summary>
    public const string Setting = "narralytica.queue_function";

    /// <summary>The most jobs one claim may take.</summary>
    public const int MaxClaim = 1000;

    /// <summary>The longest lease a claim or heartbeat may take, in seconds: a day.</summary>
    public const int MaxLeaseSeconds = 86_400;

    /// <summary>The longest a failed job may wait for its next attempt, in seconds: 30 days.</summary>
    public const int MaxBackoffSeconds = 2_592_000;

    /// <summary>The longest worker name (<c>lease_owner</c>), in characters.</summary>
    public const int MaxWorkerName = 200;

    /// <summary>The longest worker name in bytes: what <c>lease_owner</c>'s check holds.</summary>
    public const int MaxWorkerNameBytes = 256;

    /// <summary>Every function's name, in the order they are created.</summary>
    public static readonly IReadOnlyList<string> Names = new[] { Claim, Heartbeat, Complete, CompleteMany, Cancel, Fail, Release };

    /// <summary>How the runtime calls a function that returns rows: its arguments are the statement's parameters.</summary>
    public static string Call(string name) => $"SELECT * FROM {name}({Parameters(name)})";

    /// <summary>How the runtime calls a function that returns whether it changed the job (true) or the claim was lost (false).</summary>
    public static string CallScalar(string name) => $"SELECT {name}({Parameters(name)})";

    private static string Parameters(string name)
        => string.Join(", ", Enumerable.Range(1, Signature(name).Count(c => c == ',') + 1).Select(i => "$" + i));

    /// <summary>The argument types of a function, as <c>pg_get_function_identity_arguments</c> prints them without names.</summary>
    public static string Signature(string name) => name switch
    {
        Claim => "integer, uuid, text, double precision",
        Heartbeat => "uuid, uuid, text, integer, double precision",
        Complete or Release => "uuid, uuid, text, integer",
        Cancel => "uuid, uuid, text, integer, text",
        Fail => "uuid, uuid, text, integer, text, double precision",
        CompleteMany => "uuid[], uuid[], text[], integer[]",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a queue function"),
    };

    /// <summary>
    /// The functions of <paramref name="table"/>'s queue, each created (or replaced in place) for the schema the statement
    /// runs in, EXECUTE taken from PUBLIC and given to the workers; nothing when the table is no queue.
    /// </summary>
    public static IReadOnlyList<string> Create(Table table)
    {
        var statements = new List<string>();
        foreach (var function in Definitions(table))
        {
            var create = $"CREATE OR REPLACE FUNCTION {function.Name}({function.Arguments}) RETURNS {function.Returns} LANGUAGE plpgsql VOLATILE " +
                         $"SECURITY DEFINER SET search_path = %I, pg_temp AS $f$ {function.Body} $f$";
            // format() reads % as its own: the one %I is the schema, every % of the body is doubled.
            var template = create.Replace("%", "%%").Replace("%%I, pg_temp", "%I, pg_temp");
            statements.Add(DatabaseRoles.OnCurrentSchema(template));
            statements.Add($"REVOKE ALL ON FUNCTION {function.Name}({Signature(function.Name)}) FROM PUBLIC;");
            statements.Add($"GRANT EXECUTE ON FUNCTION {function.Name}({Signature(function.Name)}) TO {DatabaseRoles.Worker};");
        }
        return statements;
    }

    /// <summary>Drops every queue function (those that exist): the table stopped being a queue, or went.</summary>
    public static IReadOnlyList<string> Drop() => Names.Select(name => $"DROP FUNCTION IF EXISTS {name}({Signature(name)});").ToList();

    /// <summary>
    /// What the functions of <paramref name="table"/>'s queue are, in short (a hash of their definitions), which the
    /// snapshot keeps: when it changes (a queue column renamed or mapped anew, the table renamed), the functions are
    /// replaced. Empty when the table is no queue.
    /// </summary>
    public static string Fingerprint(Table table)
    {
        var definitions = Definitions(table);
        if (definitions.Count == 0)
            return "";
        var text = string.Join("\n", definitions.Select(d => d.Name + "(" + d.Arguments + ") " + d.Returns + " " + d.Body));
        using var sha = SHA256.Create();
        return BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes(text)), 0, 8).Replace("-", "").ToLowerInvariant();
    }

    private sealed record Definition(string Name, string Arguments, string Returns, string Body);

    private static IReadOnlyList<Definition> Definitions(Table table)
    {
        if (QueueSql.Statements(table, Array.Empty<string>()) is not { } sql)
            return Array.Empty<Definition>();
        var claimArguments = "max_jobs integer, after_tenant uuid, worker text, lease_seconds double precision";
        var finishArguments = "job_tenant uuid, job_id uuid, worker text, attempt integer";
        return new[]
        {
            new Definition(Claim, claimArguments,
                "TABLE (claim_place bigint, job_tenant uuid, job_id uuid, job_kind text, job_payload text, job_priority smallint, job_attempts integer, " +
                "job_max_attempts integer, job_status text, job_lease_expires_at timestamp with time zone, job_last_error text)",
                Rows(ClaimChecks, sql.Claim)),
            new Definition(Heartbeat, finishArguments + ", lease_seconds double precision", "TABLE (job_lease_expires_at timestamp with time zone)",
                Rows(LeaseCheck, sql.Heartbeat)),
            new Definition(Complete, finishArguments, "boolean", Changed("", sql.Complete)),
            new Definition(CompleteMany, "job_tenants uuid[], job_ids uuid[], workers text[], attempts integer[]", "TABLE (job_tenant uuid, job_id uuid)",
                Rows("", sql.CompleteMany)),
            new Definition(Cancel, finishArguments + ", reason text", "boolean", Changed("", sql.Cancel)),
            new Definition(Fail, finishArguments + ", error text, backoff_seconds double precision", "TABLE (job_status text, job_run_after timestamp with time zone)",
                Rows(BackoffCheck, sql.Fail)),
            new Definition(Release, finishArguments, "boolean", Changed("", sql.Release)),
        };
    }

    // The columns win over the functions' own names wherever a statement names both.
    private const string Prologue = "#variable_conflict use_column\n";
    private static readonly string On = $"PERFORM set_config('{Setting}', 'on', true); ";
    private static readonly string Off = $"PERFORM set_config('{Setting}', '', true); ";

    private static string Refuse(string condition, string message)
        => $"IF {condition} THEN RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = {message}; END IF; ";

    private static readonly string LeaseCheck =
        Refuse($"lease_seconds IS NULL OR NOT lease_seconds BETWEEN 1 AND {MaxLeaseSeconds}", "'a lease lasts 1 second to a day, not ' || coalesce(lease_seconds::text, 'null') || ' seconds'");

    private static readonly string ClaimChecks =
        Refuse($"max_jobs IS NULL OR max_jobs < 1 OR max_jobs > {MaxClaim}", $"'a claim takes 1 to {MaxClaim} jobs, not ' || coalesce(max_jobs::text, 'null')") +
        Refuse("after_tenant IS NULL", "'a claim starts after a tenant: pass the one served last, or the zero uuid for the first claim'") +
        Refuse($"worker IS NULL OR length(worker) < 1 OR length(worker) > {MaxWorkerName} OR octet_length(worker) > {MaxWorkerNameBytes}",
            $"'a worker''s name (the lease owner) has 1 to {MaxWorkerName} characters, at most {MaxWorkerNameBytes} bytes'") +
        LeaseCheck;

    private static readonly string BackoffCheck =
        Refuse($"backoff_seconds IS NULL OR NOT backoff_seconds BETWEEN 0 AND {MaxBackoffSeconds}", "'a retry waits 0 seconds to 30 days, not ' || coalesce(backoff_seconds::text, 'null') || ' seconds'");

    /// <summary>A function that returns the rows of its statement.</summary>
    private static string Rows(string checks, string statement)
        => Prologue + "BEGIN " + checks + On + "RETURN QUERY " + statement + "; " + Off + "END";

    /// <summary>A function that returns whether its statement changed the job.</summary>
    private static string Changed(string checks, string statement)
        => Prologue + "DECLARE changed boolean; BEGIN " + checks + On + statement + "; changed := FOUND; " + Off + "RETURN changed; END";
}
