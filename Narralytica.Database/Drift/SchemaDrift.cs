using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Database.Catalog;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Sql.Citus;
using Npgsql;

namespace Narralytica.Database.Drift;

/// <summary>
/// Drift: the live database's catalog against schema.yaml. The expected side is
/// what PostgreSQL itself builds from schema.yaml, in a scratch schema inside a transaction that is
/// rolled back, read back by the same <see cref="CatalogReader"/>: both sides are PostgreSQL's own
/// re-print, so a database built by the migrations shows no false drift. Tenant isolation (row-level security,
/// policies, the tenant context) is compared by <see cref="IsolationDrift"/>, whose statements go around the differ's.
/// </summary>
public static class SchemaDrift
{
    /// <summary>The live schema (first on the search path) against what schema.yaml builds.</summary>
    public static async Task<DriftReport> CompareAsync(NpgsqlConnection connection, SchemaModel expectedModel)
    {
        string schema;
        await using (var current = new NpgsqlCommand("SELECT current_schema()", connection))
            schema = await current.ExecuteScalarAsync() as string
                     ?? throw new LiveSchemaException("The connection has no current schema (the search_path names no existing schema); set one, e.g. Search Path=public.");
        var live = await CatalogReader.ReadAsync(connection, null, schema);
        var (built, builtIsolation) = await BuildExpectedAsync(connection, expectedModel, schema);
        // What the live side could not model is reported as such, not again as missing.
        var expected = WithoutSkipped(built, live);
        var isolation = IsolationDrift.Compare(live.Isolation, builtIsolation, expected, live.Model);
        var plan = SchemaDiffer.Diff(WithIsolationOf(expected, live.Model), expected);
        var differences = live.Unsupported.Select(u => new DriftDifference("extra", u))
            .Concat(isolation.Differences)
            .Concat(plan.Changes.Select(c => Classify(c.Description)))
            .Concat(await ReplicationDrift.CompareAsync(connection))
            .Concat(await LaneLoginDrift.CompareAsync(connection))
            .ToList();
        var statements = isolation.Before.Select(InMain).Concat(plan.Statements).Concat(isolation.After.Select(InMain)).ToList();
        return new DriftReport(schema, differences, plan with { Statements = statements });
    }

    private static MigrationStatement InMain(string sql) => new(MigrationStage.Main, sql);

    /// <summary>
    /// The live model as the differ sees it: with schema.yaml's tenant context and row security on the tables both
    /// sides have, since <see cref="IsolationDrift"/> compares those in detail. A table only one side has keeps its
    /// own, so the differ creates a missing table with its policies (after the context, which drift creates first).
    /// </summary>
    private static SchemaModel WithIsolationOf(SchemaModel expected, SchemaModel live)
        => live with
        {
            TenantContext = expected.TenantContext,
            Lanes = expected.Lanes,
            TenantProof = expected.TenantProof,
            CheckedJustification = expected.CheckedJustification,
            SignatureFirstProof = expected.SignatureFirstProof,
            BoundedReaderAudit = expected.BoundedReaderAudit,
            Tables = live.Tables.Select(t => expected.FindTable(t.Name) is { } declared ? t with { RowSecurity = declared.RowSecurity, Queue = declared.Queue, QueueFunctions = declared.QueueFunctions } : t).ToEquatableArray(),
        };

    private static SchemaModel WithoutSkipped(SchemaModel expected, CatalogModel live)
        => expected with
        {
            Tables = expected.Tables
                .Where(t => !live.SkippedTables.Contains(t.Name))
                .Select(t => t with { Columns = t.Columns.Where(c => !live.SkippedColumns.Contains((t.Name, c.Name))).ToEquatableArray() })
                .ToEquatableArray(),
        };

    internal static async Task<(SchemaModel Model, IsolationCatalog Isolation)> BuildExpectedAsync(NpgsqlConnection connection, SchemaModel model, string liveSchema)
    {
        var scratch = "narralytica_drift_" + Guid.NewGuid().ToString("N").Substring(0, 12);
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            await Execute(connection, transaction, $"CREATE SCHEMA {scratch}");
            await Execute(connection, transaction, $"SET LOCAL search_path TO {scratch}");
            // Publications are objects of the database, not of the scratch schema (the live ones would collide): they
            // are compared as schema.yaml declares them, like privileges.
            foreach (var statement in DdlEmitter.Statements(WithoutGrants(model) with { Streams = EquatableArray<StreamPublication>.Empty }))
                await Execute(connection, transaction, statement);
            // On the Citus target the database holds the Citus forms of the tenant context and policies: so does the build.
            if (model.Target == DeploymentTarget.Citus)
                foreach (var statement in CitusDistribution.FormsPlainPostgresAccepts(model))
                    await Execute(connection, transaction, statement);
            var built = await CatalogReader.ReadAsync(connection, transaction, scratch);
            return (WithGrantsOf(model, built.Model) with { Streams = model.Streams }, built.Isolation);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new LiveSchemaException($"drift builds schema.yaml in a scratch schema inside a transaction that is rolled back, which needs the CREATE privilege on the database: {e.MessageText}. " +
                               "Run it as a user that may create schemas (nothing is kept).");
        }
        finally
        {
            await transaction.RollbackAsync();
            await Execute(connection, null, $"SET search_path TO {SqlIdentifier.Quote(liveSchema)}");
        }
    }

    // Privileges are compared as schema.yaml declares them: PostgreSQL keeps them as granted (there is no
    // re-print to match), and granting in the scratch schema would need the roles to exist, or CREATEROLE.
    internal static SchemaModel WithoutGrants(SchemaModel model)
        => model with
        {
            AppSchemaUsage = false,
            Tables = model.Tables.Select(t => t with
            {
                AppPrivileges = TablePrivileges.None, ControlPrivileges = TablePrivileges.None, WorkerPrivileges = TablePrivileges.None, ReaderPrivileges = TablePrivileges.None,
                WorkerUpdateColumns = EquatableArray<string>.Empty,
            }).ToEquatableArray(),
        };

    private static SchemaModel WithGrantsOf(SchemaModel declared, SchemaModel built)
        => built with
        {
            AppSchemaUsage = declared.AppSchemaUsage,
            TenantProof = declared.TenantProof,
            CheckedJustification = declared.CheckedJustification,
            SignatureFirstProof = declared.SignatureFirstProof,
            BoundedReaderAudit = declared.BoundedReaderAudit,
            Tables = built.Tables.Select(t => declared.FindTable(t.Name) is { } table
                ? t with
                {
                    AppPrivileges = table.AppPrivileges, ControlPrivileges = table.ControlPrivileges, WorkerPrivileges = table.WorkerPrivileges, ReaderPrivileges = table.ReaderPrivileges,
                    WorkerUpdateColumns = table.WorkerUpdateColumns,
                    // The catalog holds the queue's functions, not the columns they are written from, which drift's SQL writes them again from.
                    QueueColumns = table.QueueColumns,
                    QueueFunctions = table.QueueFunctions,
                }
                : t with { AppPrivileges = TablePrivileges.None, ControlPrivileges = TablePrivileges.None, WorkerPrivileges = TablePrivileges.None, ReaderPrivileges = TablePrivileges.None }).ToEquatableArray(),
        };

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The differ speaks of what to do to the database; drift speaks of what the database has.</summary>
    private static DriftDifference Classify(string change)
    {
        if (change.StartsWith("create ", StringComparison.Ordinal) || change.StartsWith("add ", StringComparison.Ordinal))
            return new DriftDifference("missing", change.Substring(change.IndexOf(' ') + 1));
        if (change.StartsWith("drop ", StringComparison.Ordinal))
            return new DriftDifference("extra", change.Substring(5));
        // "grant SELECT on videos to narralytica_app": the role lacks it; "revoke … from …": it holds one too many.
        if (change.StartsWith("grant ", StringComparison.Ordinal))
            return new DriftDifference("missing", "privilege " + change.Substring(6).Replace(" to ", " for "));
        if (change.StartsWith("revoke ", StringComparison.Ordinal))
            return new DriftDifference("extra", "privilege " + change.Substring(7).Replace(" from ", " held by "));
        return new DriftDifference("changed", change);
    }
}

/// <summary>One difference: <c>missing</c> (schema.yaml has it, the database not), <c>extra</c> (the other way round) or <c>changed</c>.</summary>
public sealed record DriftDifference(string Kind, string What);

public sealed record DriftReport(string Schema, IReadOnlyList<DriftDifference> Differences, MigrationPlan Plan)
{
    public bool HasDrift => Differences.Count > 0;
}
