using System.Linq;
using Narralytica.Schema;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Xunit;

namespace Narralytica.Tests.Schema;

/// <summary>
/// <c>queue:</c> in schema.yaml: the mapping that names a queue's columns, its shorthand <c>queue: true</c>, the queue SQL
/// written from it, and each diagnostic (a column missing, of the wrong type, no index serving the claim, a uniqueness key
/// without its index, a queue on a global table).
/// </summary>
public sealed class QueueDeclarationTests
{
    /// <summary>A queue whose every column has a name of its own, with the two claim indexes and a uniqueness key.</summary>
    internal const string Named =
        "enums:\n  task_state: [queued, running, succeeded, failed, cancelled]\n" +
        "tables:\n" +
        "  tenants:\n    scope: global\n    columns:\n      name: text\n" +
        "  tasks:\n    scope: tenant\n" +
        "    queue: {kind: handler, payload: input, status: state, priority: rank, run_after: not_before, attempts: tries, max_attempts: max_tries, " +
        "lease_owner: held_by, lease_expires_at: held_until, started_at: began_at, finished_at: ended_at, last_error: error, unique_key: once_key}\n" +
        "    columns:\n" +
        "      handler: text\n" +
        "      input: {type: jsonb, default: \"'{}'::jsonb\"}\n" +
        "      state: {type: task_state, default: \"'queued'\"}\n" +
        "      rank: {type: integer, default: \"0\"}\n" +
        "      not_before: {type: timestamptz, default: now()}\n" +
        "      tries: {type: integer, default: \"0\"}\n" +
        "      max_tries: {type: integer, default: \"3\"}\n" +
        "      held_by: text?\n" +
        "      held_until: timestamptz?\n" +
        "      began_at: timestamptz?\n" +
        "      ended_at: timestamptz?\n" +
        "      error: text?\n" +
        "      once_key: text?\n" +
        "    indexes:\n" +
        "      - columns: [rank desc, not_before]\n        where: state = 'queued'\n" +
        "      - columns: [held_until]\n        where: state = 'running'\n" +
        "      - columns: [once_key]\n        unique: true\n        where: state in ('queued', 'running')\n";

    private const string ReadyIndex = "      - columns: [rank desc, not_before]\n        where: state = 'queued'\n";
    private const string ExpiredIndex = "      - columns: [held_until]\n        where: state = 'running'\n";

    private static SchemaDiagnostic Single(string yaml, string id)
    {
        var compilation = SchemaCompiler.Compile(yaml);
        var matching = compilation.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"expected one {id}, got: {string.Join(" | ", compilation.Diagnostics.Select(d => d.Format("schema.yaml")))}");
        Assert.Null(compilation.Model);
        return matching[0];
    }

    private static Table Valid(string yaml)
    {
        var compilation = SchemaCompiler.Compile(yaml);
        Assert.True(compilation.Model is not null, string.Join(" | ", compilation.Diagnostics.Select(d => d.Format("schema.yaml"))));
        return compilation.Model!.FindTable("tasks")!;
    }

    private static string Edit(string yaml, string from, string to)
    {
        Assert.Contains(from, yaml);
        return yaml.Replace(from, to);
    }

    private static int LineOf(string yaml, string text) => yaml.Substring(0, yaml.IndexOf(text, System.StringComparison.Ordinal)).Count(c => c == '\n') + 1;

    [Fact]
    public void The_queue_SQL_names_the_columns_the_declaration_names()
    {
        var tasks = Valid(Named);
        Assert.True(tasks.Queue);
        Assert.Equal("state", tasks.QueueColumns!.Required(QueueRoles.Status));
        Assert.Equal("once_key", tasks.QueueColumns.UniqueKey);

        var sql = QueueSql.For(tasks, new[] { "task_state" })!;
        Assert.True(sql.HasUniqueKey);
        Assert.Contains("INSERT INTO tasks (tenant_id, id, handler, input, rank, max_tries, not_before, once_key)", sql.Enqueue);
        Assert.Contains("ON CONFLICT (tenant_id, once_key) WHERE state IN ('queued', 'running') DO NOTHING", sql.Enqueue);
        // The workers' statements run inside the queue's functions; the runtime calls those.
        var inside = QueueSql.Statements(tasks, new[] { "task_state" })!;
        Assert.Equal("SELECT * FROM narralytica_queue_claim($1, $2, $3, $4)", sql.Claim);
        Assert.Equal("SELECT narralytica_queue_complete($1, $2, $3, $4)", sql.Complete);
        Assert.Contains("ORDER BY j.rank DESC, j.not_before LIMIT $1 / s.seats + CASE WHEN s.seat < $1 % s.seats THEN 1 ELSE 0 END FOR UPDATE OF j SKIP LOCKED", inside.Claim);
        Assert.Contains("state = CASE WHEN j.state = 'running' AND j.tries >= j.max_tries THEN 'failed'::task_state", inside.Claim);
        Assert.Contains("held_by = $3 AND tries = $4", inside.Complete);
        // The claim's inner aliases aside, no conventional name is left.
        foreach (var statement in new[] { sql.Enqueue, sql.EnqueueMany, sql.CancelQueued, inside.Claim, inside.Heartbeat, inside.Complete, inside.Cancel, inside.Fail, inside.Release, inside.CompleteMany })
            foreach (var conventional in new[] { " jobs ", "status", "lease_", "last_error", "started_at", "finished_at" })
                Assert.DoesNotContain(conventional, statement);
    }

    private const string Conventional =
        "enums:\n  job_status: [queued, running, succeeded, failed, cancelled]\n" +
        "tables:\n" +
        "  tenants:\n    scope: global\n    columns:\n      name: text\n" +
        "  tasks:\n    scope: tenant\n    queue: true\n" +
        "    columns:\n      kind: varchar(64)\n      payload: jsonb\n      status: {type: job_status, default: \"'queued'\"}\n      priority: smallint\n" +
        "      run_after: timestamptz\n      attempts: integer\n      max_attempts: integer\n      lease_owner: text?\n      lease_expires_at: timestamptz?\n" +
        "      started_at: timestamptz?\n      finished_at: timestamptz?\n      last_error: text?\n      dedupe_key: text?\n" +
        "    indexes:\n      - columns: [priority desc, run_after]\n        where: status = 'queued'\n      - columns: [lease_expires_at]\n        where: status = 'running'\n" +
        "      - columns: [dedupe_key]\n        unique: true\n        where: status in ('queued', 'running')\n";

    [Fact]
    public void Queue_true_names_the_conventional_columns_and_a_mapping_keeps_them_for_the_roles_it_leaves_out()
    {
        var shorthand = Valid(Conventional).QueueColumns!;
        Assert.Equal(QueueRoles.Required, shorthand.Columns.Select(c => c.Column));
        Assert.Equal(QueueRoles.Required, shorthand.Columns.Select(c => c.Role));
        Assert.Null(shorthand.UniqueKey);

        var withKey = Valid(Edit(Conventional, "    queue: true\n", "    queue: {unique_key: dedupe_key}\n")).QueueColumns!;
        Assert.Equal(QueueRoles.Required.Append("dedupe_key"), withKey.Columns.Select(c => c.Column));
        Assert.Equal("dedupe_key", withKey.UniqueKey);
    }

    [Fact]
    public void Queue_false_is_no_queue()
    {
        var yaml = System.Text.RegularExpressions.Regex.Replace(Named, "    queue: \\{[^\\n]*\\}\n", "    queue: false\n");
        var tasks = Valid(yaml);
        Assert.False(tasks.Queue);
        Assert.Null(tasks.QueueColumns);
    }

    [Fact]
    public void A_named_column_that_does_not_exist_is_NARR1050_at_its_name()
    {
        var yaml = Edit(Named, "status: state,", "status: phase,");
        var diagnostic = Single(yaml, "NARR1050");
        Assert.Equal(LineOf(yaml, "    queue:"), diagnostic.Span.Line);
        Assert.Contains("names 'phase' as its status column, but 'tasks' has no column 'phase'", diagnostic.Message);
        Assert.Contains("'queue: {status: <column>}'", diagnostic.Message);
    }

    [Fact]
    public void A_conventional_column_that_does_not_exist_is_NARR1050_at_queue()
    {
        var yaml = Edit(Named, "started_at: began_at, ", "");
        var diagnostic = Single(yaml, "NARR1050");
        Assert.Contains("whose started_at column is 'started_at' by convention, but it has no column 'started_at'", diagnostic.Message);
        Assert.Contains("add it ('started_at: timestamptz?')", diagnostic.Message);
    }

    [Theory]
    [InlineData("      not_before: {type: timestamptz, default: now()}\n", "      not_before: {type: timestamp, default: now()}\n", "not_before", "timestamptz, not null")]
    [InlineData("      not_before: {type: timestamptz, default: now()}\n", "      not_before: timestamptz?\n", "not_before", "timestamptz, not null")]
    [InlineData("      rank: {type: integer, default: \"0\"}\n", "      rank: {type: bigint, default: \"0\"}\n", "rank", "smallint or integer, not null")]
    [InlineData("      tries: {type: integer, default: \"0\"}\n", "      tries: {type: numeric, default: \"0\"}\n", "tries", "integer, not null")]
    [InlineData("      held_by: text?\n", "      held_by: text\n", "held_by", "text or varchar, nullable")]
    [InlineData("      input: {type: jsonb, default: \"'{}'::jsonb\"}\n", "      input: text\n", "input", "jsonb, not null")]
    [InlineData("enums:\n  task_state: [queued, running, succeeded, failed, cancelled]\n", "enums:\n  task_state: [queued, running, succeeded, failed]\n", "state", "an enum with the labels queued, running, succeeded, failed, cancelled, or text")]
    [InlineData("      once_key: text?\n", "      once_key: uuid?\n", "once_key", "text or varchar")]
    public void A_column_of_the_wrong_type_is_NARR1051_at_the_column(string from, string to, string column, string wanted)
    {
        var yaml = Edit(Named, from, to);
        var diagnostic = Single(yaml, "NARR1051");
        Assert.Contains($"column '{column}' of table 'tasks' is the queue's", diagnostic.Message);
        Assert.Contains($"so it must be {wanted}", diagnostic.Message);
        if (column != "state")
            Assert.Equal(LineOf(yaml, "      " + column + ":"), diagnostic.Span.Line);
    }

    [Fact]
    public void A_text_status_is_accepted_and_its_statuses_are_cast_to_text()
    {
        var yaml = Edit(Named, "      state: {type: task_state, default: \"'queued'\"}\n", "      state: {type: text, default: \"'queued'\"}\n");
        var sql = QueueSql.Statements(Valid(yaml), new[] { "task_state" })!;
        Assert.Contains("'failed'::text", sql.Claim);
    }

    // What serves the claim of ready jobs: tenant_id, then (rank desc, not_before) or both reversed, partial on
    // state = 'queued'. More columns may follow.
    [Theory]
    [InlineData("      - columns: [rank asc, not_before desc]\n        where: state = 'queued'\n")]
    [InlineData("      - columns: [rank desc, not_before, id]\n        where: \"state = 'queued'::task_state\"\n")]
    public void Indexes_that_serve_the_claim_of_ready_jobs(string index)
        => Valid(Edit(Named, ReadyIndex, index));

    [Theory]
    [InlineData("      - columns: [not_before, rank desc]\n        where: state = 'queued'\n")]       // the order is run_after first
    [InlineData("      - columns: [rank, not_before]\n        where: state = 'queued'\n")]           // priority ascending: the claim would sort
    [InlineData("      - columns: [rank desc, not_before]\n        where: state = 'running'\n")]      // the wrong status
    [InlineData("      - columns: [rank desc, not_before]\n")]                                     // every status mixed in
    [InlineData("      - columns: [state, rank desc, not_before]\n")]                              // the skip scan would walk the finished jobs
    [InlineData("      - columns: [rank desc]\n        where: state = 'queued'\n")]                  // run_after missing
    [InlineData("      - columns: [rank desc, not_before]\n        where: state = 'queued'\n        using: brin\n")]
    [InlineData("")]
    public void Indexes_that_do_not_serve_the_claim_of_ready_jobs_are_NARR1052(string index)
    {
        var diagnostic = Single(Edit(Named, ReadyIndex, index), "NARR1052");
        Assert.Contains("serves the claim of ready jobs", diagnostic.Message);
        Assert.Contains("add to 'indexes:' '- { columns: [rank desc, not_before], where: \"state = 'queued'\" }'", diagnostic.Message);
    }

    [Theory]
    [InlineData("      - columns: [state, held_until]\n", false)]                                  // every tenant's finished jobs read too
    [InlineData("      - columns: [held_until desc]\n        where: state = 'running'\n", true)]
    [InlineData("      - columns: [held_until]\n", false)]
    [InlineData("", false)]
    public void The_claim_of_expired_leases_needs_an_index_on_the_running_jobs_lease(string index, bool serves)
    {
        var yaml = Edit(Named, ExpiredIndex, index);
        if (serves)
            Valid(yaml);
        else
            Assert.Contains("serves the claim of expired leases", Single(yaml, "NARR1052").Message);
    }

    [Theory]
    [InlineData("      - columns: [once_key]\n        unique: true\n")]                                    // never free again once used
    [InlineData("      - columns: [once_key]\n        where: state in ('queued', 'running')\n")]           // not unique
    [InlineData("      - columns: [once_key, handler]\n        unique: true\n        where: state in ('queued', 'running')\n")]
    [InlineData("")]
    public void A_uniqueness_key_without_its_partial_unique_index_is_NARR1053(string index)
    {
        var yaml = Edit(Named, "      - columns: [once_key]\n        unique: true\n        where: state in ('queued', 'running')\n", index);
        var diagnostic = Single(yaml, "NARR1053");
        Assert.Contains("add to 'indexes:' '- { columns: [once_key], unique: true, where: \"state in ('queued', 'running')\" }'", diagnostic.Message);
    }

    [Fact]
    public void A_queue_on_a_global_table_is_NARR2011()
    {
        var yaml = Edit(Named, "  tasks:\n    scope: tenant\n", "  tasks:\n    scope: global\n");
        var diagnostic = Single(yaml, "NARR2011");
        Assert.Equal(LineOf(yaml, "    queue:"), diagnostic.Span.Line);
        Assert.Contains("write 'scope: tenant', or drop 'queue'", diagnostic.Message);
    }

    [Fact]
    public void Two_queue_tables_and_one_column_in_two_roles_are_refused()
    {
        var second = Named + "  chores:\n    scope: tenant\n    queue: true\n    columns:\n      note: text\n";
        Assert.Contains("'tasks' already is; the runtime serves one queue table", Single(second, "NARR1013").Message);
        var shared = Edit(Named, "started_at: began_at,", "started_at: ended_at,");
        Assert.Contains("names column 'ended_at' as both its started_at and its finished_at", Single(shared, "NARR1013").Message);
    }

    [Fact]
    public void A_queue_keeps_the_conventional_key()
    {
        var yaml = Edit(Named, "    columns:\n      handler: text\n", "    primary_key: [handler]\n    columns:\n      handler: text\n");
        Assert.Contains("the conventional key (tenant_id, id)", Single(yaml, "NARR1013").Message);
    }

    [Fact]
    public void The_queue_mapping_accepts_only_roles()
    {
        var yaml = Edit(Named, "status: state,", "stauts: state,");
        var message = Single(yaml, "NARR1002").Message;
        Assert.Contains("Did you mean 'status'?", message);
        Assert.Contains("Allowed keys: kind, payload, status, priority", message);
    }
}
