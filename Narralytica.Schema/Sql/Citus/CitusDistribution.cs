using System.Collections.Generic;
using System.Linq;
using System.Text;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql.Citus;

/// <summary>One step of <see cref="CitusDistribution"/>: what it does, the statements (one transaction), and the query that says it is done.</summary>
/// <param name="Description">What the step does, for progress.</param>
/// <param name="Statements">Its statements, run in one transaction.</param>
/// <param name="DoneWhen">A query returning true when the step has nothing left to do (then it is skipped); null: always run (it is idempotent).</param>
public sealed record DistributionStep(string Description, IReadOnlyList<string> Statements, string? DoneWhen);

/// <summary>
/// Turns a database built from schema.yaml (by the migrations or <c>schema sql</c>) into a Citus one: the same schema,
/// global tables as reference tables (copied to every node), tenant tables distributed by <c>tenant_id</c> in one
/// colocation group, so every statement of one tenant runs on one node. The order is what Citus needs:
/// <list type="number">
/// <item>the tenant context in its Citus forms (<see cref="CitusForms"/>): procedures whose <c>SET LOCAL</c> reaches the
/// workers, policies without subqueries;</item>
/// <item>the functions the policies call, on every node (<c>create_distributed_function</c>), each allowed to read its
/// reference table (the keys, the audit rows) from inside a shard's statement, where the worker evaluates the policy;</item>
/// <item>every foreign key dropped while a table is still local: a local table referencing a reference table would be
/// turned into a Citus local table, and one referencing a distributed table is refused;</item>
/// <item>the reference tables, then the tenant tables (the first one anchors the colocation group), each in dependency order;</item>
/// <item>every foreign key added back, by its schema.yaml name: Citus checks it on every shard.</item>
/// </list>
/// Each step says when it is done, so running the whole again skips what is done and finishes what an interrupted run left.
/// </summary>
public static class CitusDistribution
{
    /// <summary>The distribution column of every tenant table.</summary>
    public const string DistributionColumn = "tenant_id";

    /// <summary>Every step, in order: <see cref="FormSteps"/>, then the Citus calls and the foreign keys around them.</summary>
    public static IReadOnlyList<DistributionStep> Steps(SchemaModel model)
    {
        var steps = FormSteps(model).ToList();
        var ordered = DdlEmitter.DependencyOrder(model);
        foreach (var function in PolicyFunctions(model))
            steps.Add(new DistributionStep($"{function}: on every node, reading its reference table where it runs", new[]
                {
                    $"SELECT create_distributed_function({SqlIdentifier.Literal(function)});",
                    NestedExecution(function),
                },
                $"SELECT EXISTS (SELECT FROM pg_dist_object WHERE classid = 'pg_proc'::regclass AND objid = {SqlIdentifier.Literal(function)}::regprocedure) " +
                $"AND coalesce((SELECT {SqlIdentifier.Literal(CitusForms.NestedExecutionSetting + "=on")} = ANY (proconfig) FROM pg_proc WHERE oid = {SqlIdentifier.Literal(function)}::regprocedure), false)"));

        var reference = ReferenceTables(model, ordered);
        var distributed = ordered.Where(t => t.IsTenantScoped).Select(t => t.Name).ToList();
        var keyed = ordered.Where(t => t.ForeignKeys.Count > 0).ToList();

        steps.Add(new DistributionStep("foreign keys: dropped until every table is distributed",
            keyed.SelectMany(t => t.ForeignKeys.Select(k => $"ALTER TABLE {SqlFragments.Name(t)} DROP CONSTRAINT IF EXISTS {SqlIdentifier.Quote(k.Name)};")).ToList(),
            AllDistributed(reference.Concat(distributed))));

        foreach (var name in reference)
            steps.Add(new DistributionStep($"{name}: reference table", new[] { $"SELECT create_reference_table({RegClass(name)});" }, IsDistributed(name)));

        var anchor = distributed.FirstOrDefault();
        foreach (var name in distributed)
        {
            var colocation = name == anchor ? "" : $", colocate_with => {RegClass(anchor!)}";
            steps.Add(new DistributionStep($"{name}: distributed by {DistributionColumn}",
                new[] { $"SELECT create_distributed_table({RegClass(name)}, {SqlIdentifier.Literal(DistributionColumn)}{colocation});" }, IsDistributed(name)));
        }

        foreach (var table in keyed)
            foreach (var key in table.ForeignKeys)
                steps.Add(new DistributionStep($"{table.Name}: foreign key {key.Name}", new[] { DdlEmitter.AddForeignKey(table, key) },
                    $"SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = {RegClass(table.Name)}::regclass AND conname = {SqlIdentifier.Literal(key.Name)})"));
        return steps;
    }

    /// <summary>
    /// The first steps: the tenant context and the policies in their Citus forms (<see cref="CitusForms"/>). They call
    /// nothing of Citus, so plain PostgreSQL runs them too (that is how the tests prove them).
    /// </summary>
    public static IReadOnlyList<DistributionStep> FormSteps(SchemaModel model)
    {
        var procedures = new List<CitusForms.SetLocalProcedure> { CitusForms.SetTenant };
        if (model.TenantContext)
            procedures.Add(CitusForms.SetAudit);
        if (model.TenantProof)
            procedures.Add(CitusForms.SetProof);
        var steps = new List<DistributionStep>
        {
            new("tenant context: procedures whose SET LOCAL reaches every node", procedures.Select(p => p.Create).ToList(),
                "SELECT " + string.Join(" AND ", procedures.Select(p =>
                    $"EXISTS (SELECT FROM pg_proc WHERE oid = to_regprocedure({SqlIdentifier.Literal(p.Signature)}) AND prosrc = {SqlIdentifier.Literal(p.Body)})"))),
        };
        foreach (var table in DdlEmitter.DependencyOrder(model).Where(t => t.RowSecurity))
        {
            var rewritten = RewrittenPolicies(model, table);
            steps.Add(new DistributionStep($"{table.Name}: policies without subqueries",
                rewritten.SelectMany(p => new[]
                {
                    TenantIsolation.DropPolicy(table, p).Replace("DROP POLICY ", "DROP POLICY IF EXISTS "),
                    CitusForms.CreatePolicy(table, p, model.TenantProof)!,
                }).ToList(),
                PoliciesInCitusForm(model, table, rewritten)));
        }
        return steps;
    }

    /// <summary>
    /// What a distributed database holds of the Citus forms that plain PostgreSQL accepts too: the statements of
    /// <see cref="FormSteps"/> and Citus' setting on the policies' functions (an inert placeholder without Citus).
    /// Drift builds its expected side with them on the Citus target.
    /// </summary>
    public static IReadOnlyList<string> FormsPlainPostgresAccepts(SchemaModel model)
        => FormSteps(model).SelectMany(s => s.Statements).Concat(PolicyFunctions(model).Select(NestedExecution)).ToList();

    /// <summary>The functions the policies call, which run on every node.</summary>
    private static List<string> PolicyFunctions(SchemaModel model)
    {
        var functions = new List<string>();
        if (model.TenantProof)
            functions.Add(TenantProof.VerifyFunction + "()");
        if (model.Lanes)
            functions.Add(CallerLanes.ReadAllowedFunction + "()");
        return functions;
    }

    /// <summary>Lets <paramref name="function"/> read a reference table inside a shard's statement; a CREATE OR REPLACE of the function drops it, so it is set again after one.</summary>
    public static string NestedExecution(string function) => $"ALTER FUNCTION {function} SET {CitusForms.NestedExecutionSetting} = on;";

    /// <summary>The steps as one psql script, each step in a transaction under a comment with its done-query.</summary>
    public static string Script(SchemaModel model)
    {
        var builder = new StringBuilder();
        builder.Append("-- Narralytica on Citus: distributes a database built from schema.yaml (run as its owner, on the coordinator).\n");
        builder.Append("-- `narralytica distribute` runs the same steps, skipping each one whose check says it is done.\n");
        foreach (var step in Steps(model))
        {
            builder.Append("\n-- ").Append(step.Description).Append('\n');
            if (step.DoneWhen is not null)
                builder.Append("-- done when: ").Append(step.DoneWhen).Append('\n');
            builder.Append("BEGIN;\n");
            foreach (var statement in step.Statements)
                builder.Append(statement).Append('\n');
            builder.Append("COMMIT;\n");
        }
        return builder.ToString();
    }

    /// <summary>The tables copied to every node: the global tables of schema.yaml, then the fixed tables the policies' functions read.</summary>
    public static IReadOnlyList<string> ReferenceTables(SchemaModel model) => ReferenceTables(model, DdlEmitter.DependencyOrder(model));

    private static List<string> ReferenceTables(SchemaModel model, IReadOnlyList<Table> ordered)
    {
        var names = ordered.Where(t => !t.IsTenantScoped).Select(t => t.Name).ToList();
        if (model.TenantProof)
            names.Add(TenantProof.KeyTable);
        if (model.TenantContext)
            names.Add(TenantIsolation.AuditTable);
        return names;
    }

    /// <summary>The policies of <paramref name="table"/> whose plain form holds a subquery: the tenant's and the readers'.</summary>
    private static List<string> RewrittenPolicies(SchemaModel model, Table table)
        => TenantIsolation.Policies(table, model.TenantContext, model.Lanes)
            .Where(p => p == TenantIsolation.TenantPolicy || p == CallerLanes.ReaderReadPolicy).ToList();

    /// <summary>
    /// True when every rewritten policy of <paramref name="table"/> has its Citus form, as PostgreSQL prints it; null (the
    /// step always runs) when a form's printed text is not known.
    /// </summary>
    private static string? PoliciesInCitusForm(SchemaModel model, Table table, List<string> policies)
    {
        var checks = new List<string>();
        foreach (var policy in policies)
        {
            if (CitusForms.PrintedCondition(policy, model.TenantProof) is not { } printed)
                return null;
            var withCheck = policy == TenantIsolation.TenantPolicy ? $"with_check = {SqlIdentifier.Literal(printed)}" : "with_check IS NULL";
            checks.Add($"EXISTS (SELECT FROM pg_policies WHERE schemaname = current_schema() AND tablename = {SqlIdentifier.Literal(table.Name)} " +
                       $"AND policyname = {SqlIdentifier.Literal(policy)} AND qual = {SqlIdentifier.Literal(printed)} AND {withCheck})");
        }
        return "SELECT " + string.Join(" AND ", checks);
    }

    private static string RegClass(string table) => SqlIdentifier.Literal(SqlIdentifier.Quote(table));

    private static string IsDistributed(string table) => $"SELECT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = {RegClass(table)}::regclass)";

    private static string AllDistributed(IEnumerable<string> tables)
        => "SELECT NOT EXISTS (SELECT FROM unnest(ARRAY[" + string.Join(", ", tables.Select(RegClass)) + "]::regclass[]) AS t(relation) " +
           "WHERE t.relation NOT IN (SELECT logicalrelid FROM pg_dist_partition))";
}
