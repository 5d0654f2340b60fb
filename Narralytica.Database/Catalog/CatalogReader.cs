using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Schema.Model;
using Narralytica.Schema.Parsing;
using Narralytica.Schema.Sql;
using Npgsql;
using Index = Narralytica.Schema.Model.Index;

namespace Narralytica.Database.Catalog;

/// <summary>
/// Reads a schema of a live database into the schema model the differ uses: enums, tables, columns,
/// keys, checks, foreign keys, indexes, comments, the application role's privileges and row-level security, as PostgreSQL's catalog has them. Expressions go
/// through the same normalization as schema.yaml's. What the language cannot express (a column of a
/// type schema.yaml has no name for, an index on an expression) is listed in <see cref="CatalogModel.Unsupported"/>.
/// </summary>
public static class CatalogReader
{
    /// <summary>What a live queue table's <see cref="Table.QueueFunctions"/> says: its workers go through the functions, whatever they are.</summary>
    public const string LiveQueueFunctions = "live";

    /// <summary>
    /// Tables the data layer keeps for itself, never part of schema.yaml: the migration history, the migrator's lock,
    /// and the audit table of cross-tenant reads, which is part of the tenant context (<see cref="IsolationCatalog"/>).
    /// </summary>
    public static readonly string[] OwnTables = { "narralytica_schema_history", "narralytica_schema_lock", TenantIsolation.AuditTable, TenantProof.KeyTable };

    public static async Task<CatalogModel> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, CancellationToken cancellationToken = default)
    {
        var unsupported = new List<string>();
        var skippedTables = new HashSet<string>();
        var skippedColumns = new HashSet<(string, string)>();
        var enums = await ReadEnumsAsync(connection, transaction, schema, cancellationToken);
        var enumNames = new HashSet<string>(enums.Select(e => e.Name));
        var columns = await QueryAsync(connection, transaction, """
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid), col_description(c.oid, a.attnum), obj_description(c.oid, 'pg_class')
            FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
            WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = @schema) AND c.relkind IN ('r', 'p')
            ORDER BY c.relname, a.attnum
            """, schema, cancellationToken);
        var constraints = await QueryAsync(connection, transaction, """
            SELECT c.relname, k.conname, k.contype::text,
                   array(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i),
                   r.relname,
                   array(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i),
                   k.confdeltype::text, pg_get_constraintdef(k.oid)
            FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid
            LEFT JOIN pg_class r ON r.oid = k.confrelid
            WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = @schema) AND k.contype IN ('p', 'u', 'c', 'f')
            ORDER BY c.relname, k.conname
            """, schema, cancellationToken);
        var indexes = await QueryAsync(connection, transaction, """
            SELECT c.relname, x.relname, i.indisunique, am.amname, i.indnkeyatts,
                   array(SELECT CASE WHEN u.n = 0 THEN NULL ELSE a.attname::text END FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(n, o) LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.n ORDER BY u.o),
                   i.indoption::int2[], pg_get_expr(i.indpred, i.indrelid)
            FROM pg_index i
            JOIN pg_class x ON x.oid = i.indexrelid
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_am am ON am.oid = x.relam
            WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = @schema)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
            ORDER BY c.relname, x.relname
            """, schema, cancellationToken);

        var lanes = await ReadLanePrivilegesAsync(connection, transaction, schema, cancellationToken);
        var columnGrants = await ReadColumnPrivilegesAsync(connection, transaction, schema, cancellationToken);
        foreach (var grant in columnGrants.Where(g => !(g.Role == DatabaseRoles.Worker && g.Privilege == "UPDATE")))
            unsupported.Add($"column privilege {grant.Privilege} on {grant.Table}.{grant.Column} held by {grant.Role}, which schema.yaml never grants");
        var privileges = lanes[DatabaseRoles.App];
        var isolation = await IsolationCatalog.ReadAsync(connection, transaction, schema,
            columns.Any(r => (string)r[0]! == TenantIsolation.AuditTable),
            DatabaseRoles.Lanes.ToDictionary(role => role, role => lanes[role].Tables.TryGetValue(TenantIsolation.AuditTable, out var audit) ? audit : TablePrivileges.None),
            DatabaseRoles.Lanes.Where(role => lanes[role].SchemaUsage).ToList(), cancellationToken);
        TablePrivileges Held(string role, string table) => lanes[role].Tables.TryGetValue(table, out var granted) ? granted : TablePrivileges.None;
        var proof = await ProofCatalog.ReadAsync(connection, transaction, schema, columns.Any(r => (string)r[0]! == TenantProof.KeyTable),
            DatabaseRoles.Lanes.Aggregate(TablePrivileges.None, (held, role) => held | Held(role, TenantProof.KeyTable)), cancellationToken);
        isolation = isolation with { Proof = proof };

        var tables = new List<Table>();
        foreach (var group in columns.GroupBy(r => (string)r[0]!).Where(g => !OwnTables.Contains(g.Key)))
        {
            var name = group.Key;
            var tableColumns = new List<Column>();
            foreach (var row in group)
            {
                var typeText = (string)row[2]!;
                var type = TypeParser.Parse(typeText, enumNames, out _);
                if (type is null)
                {
                    unsupported.Add($"column {name}.{row[1]} has type {typeText}, which schema.yaml cannot declare");
                    skippedColumns.Add((name, (string)row[1]!));
                    continue;
                }
                var defaultSql = row[4] is string d ? SqlExpression.NormalizeDefault(d, type, enumNames) : null;
                tableColumns.Add(new Column((string)row[1]!, type, !(bool)row[3]!, defaultSql, row[5] as string, ColumnOrigin.Declared, false, SourceSpan.None));
            }
            var own = constraints.Where(r => (string)r[0]! == name).ToList();
            var primary = own.FirstOrDefault(r => (string)r[2]! == "p");
            if (primary is null)
            {
                unsupported.Add($"table {name} has no primary key, which schema.yaml requires");
                skippedTables.Add(name);
                continue;
            }
            var indexRows = indexes.Where(r => (string)r[0]! == name).ToList();
            tables.Add(new Table(name, tableColumns.Any(c => c.Name == "tenant_id") ? TableScope.Tenant : TableScope.Global, group.First()[6] as string, null, false, false,
                tableColumns.ToEquatableArray(),
                new PrimaryKey((string)primary[1]!, Names(primary[3]), SourceSpan.None),
                own.Where(r => (string)r[2]! == "u").Select(r => new UniqueConstraint((string)r[1]!, Names(r[3]), SourceSpan.None)).ToEquatableArray(),
                own.Where(r => (string)r[2]! == "c").Select(r => new CheckConstraint((string)r[1]!, SqlExpression.Normalize(CheckBody((string)r[7]!), enumNames), SourceSpan.None)).ToEquatableArray(),
                own.Where(r => (string)r[2]! == "f").Select(r => new ForeignKey((string)r[1]!, Names(r[3]), (string)r[4]!, Names(r[5]), OnDelete((string)r[6]!), SourceSpan.None)).ToEquatableArray(),
                indexRows.Select(r => ReadIndex(r, enumNames, unsupported)).Where(i => i is not null).Select(i => i!).ToEquatableArray(),
                SourceSpan.None)
            {
                AppPrivileges = Held(DatabaseRoles.App, name),
                ControlPrivileges = Held(DatabaseRoles.Control, name),
                WorkerPrivileges = Held(DatabaseRoles.Worker, name),
                WorkerUpdateColumns = columnGrants.Where(g => g.Table == name && g.Role == DatabaseRoles.Worker && g.Privilege == "UPDATE").Select(g => g.Column).ToEquatableArray(),
                ReaderPrivileges = Held(DatabaseRoles.Reader, name),
                Queue = isolation.RowSecurityOf(name).Find(CallerLanes.QueueClaimPolicy) is not null || isolation.RowSecurityOf(name).Find(CallerLanes.QueueFunctionsPolicy) is not null,
                // The catalog holds the functions, not schema.yaml's declaration they were written from: drift compares
                // their definitions (IsolationDrift), and the live table only says that its workers go through them.
                QueueFunctions = isolation.RowSecurityOf(name).Find(CallerLanes.QueueFunctionsPolicy) is not null ? LiveQueueFunctions : "",
                RowSecurity = isolation.RowSecurityOf(name).IsComplete(isolation.TenantContext, isolation.Lanes),
            });
        }
        var model = new SchemaModel(enums.ToEquatableArray(), tables.ToEquatableArray())
        {
            AppSchemaUsage = privileges.SchemaUsage,
            TenantContext = isolation.TenantContext,
            Lanes = isolation.Lanes,
            TenantProof = isolation.Proof.IsComplete,
            // The checked open-read function is the plpgsql one; the lanes' first was plain SQL (drift compares the bodies).
            CheckedJustification = isolation.Procedures.Any(p => p.Name == CallerLanes.OpenReadFunction && p.Definition.StartsWith("f plpgsql", StringComparison.Ordinal)),
            // The function's definition ends with its body (drift compares the whole definition).
            SignatureFirstProof = isolation.Proof.VerifyFunction?.EndsWith(" " + TenantProof.VerifyBody, StringComparison.Ordinal) == true,
            // The bounded functions check the window per statement; the earlier ones compared with the transaction's start.
            BoundedReaderAudit = isolation.Procedures.Any(p => p.Name == CallerLanes.ReadAllowedFunction && p.Definition.Contains("statement_timestamp()")),
            Streams = await PublicationCatalog.ReadAsync(connection, transaction, schema, cancellationToken),
            GuardedSessions = await SessionGuardCatalog.ReadAsync(connection, transaction, schema, cancellationToken),
            GuardedLargeObjects = await LargeObjectGuardCatalog.ReadAsync(connection, transaction, cancellationToken),
            GuardedSchemaCreate = await SchemaCreateGuardCatalog.ReadAsync(connection, transaction, schema, cancellationToken),
        };
        return new CatalogModel(model, unsupported, skippedTables, skippedColumns, isolation);
    }

    /// <summary>
    /// The privileges granted to each lane's role itself (<see cref="DatabaseRoles.Lanes"/>), on each table and on the
    /// schema (from the access lists; grants through PUBLIC or another role are not the role's own). None for a role
    /// that does not exist.
    /// </summary>
    private static async Task<Dictionary<string, (Dictionary<string, TablePrivileges> Tables, bool SchemaUsage)>> ReadLanePrivilegesAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, CancellationToken cancellationToken)
    {
        var roles = string.Join(", ", DatabaseRoles.Lanes.Select(SqlIdentifier.Literal));
        var rows = await QueryAsync(connection, transaction, $"""
            SELECT r.rolname::text, c.relname, a.privilege_type
            FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee
            WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = @schema) AND c.relkind IN ('r', 'p')
              AND r.rolname IN ({roles})
            UNION ALL
            SELECT r.rolname::text, NULL, a.privilege_type
            FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a JOIN pg_roles r ON r.oid = a.grantee
            WHERE n.nspname = @schema AND r.rolname IN ({roles})
            """, schema, cancellationToken);
        var lanes = DatabaseRoles.Lanes.ToDictionary(role => role, _ => (Tables: new Dictionary<string, TablePrivileges>(StringComparer.Ordinal), SchemaUsage: false));
        foreach (var row in rows)
        {
            var role = (string)row[0]!;
            var (tables, schemaUsage) = lanes[role];
            if (row[1] is not string table)
                lanes[role] = (tables, schemaUsage || (string)row[2]! == "USAGE");
            else if (TablePrivilegeNames.Parse((string)row[2]!) is { } privilege)
                tables[table] = (tables.TryGetValue(table, out var held) ? held : TablePrivileges.None) | privilege;
        }
        return lanes;
    }

    /// <summary>
    /// The column-level privileges of the lanes' roles (each column's access list, in column order): the workers' UPDATE of a
    /// queue table's columns is part of the model; any other is none of schema.yaml's.
    /// </summary>
    private static async Task<List<(string Role, string Table, string Column, string Privilege)>> ReadColumnPrivilegesAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, CancellationToken cancellationToken)
    {
        var roles = string.Join(", ", DatabaseRoles.Lanes.Select(SqlIdentifier.Literal));
        var rows = await QueryAsync(connection, transaction, $"""
            SELECT r.rolname::text, c.relname::text, a.attname::text, x.privilege_type
            FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            CROSS JOIN LATERAL aclexplode(a.attacl) x
            JOIN pg_roles r ON r.oid = x.grantee
            WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = @schema) AND c.relkind IN ('r', 'p')
              AND r.rolname IN ({roles})
            ORDER BY c.relname, r.rolname, x.privilege_type, a.attnum
            """, schema, cancellationToken);
        return rows.Select(row => ((string)row[0]!, (string)row[1]!, (string)row[2]!, (string)row[3]!)).ToList();
    }

    private static Index? ReadIndex(object?[] row, IReadOnlyCollection<string> enumNames, List<string> unsupported)
    {
        var names = (string?[])row[5]!;
        var options = (short[])row[6]!;
        var keyCount = (short)row[4]!;
        if (names.Any(n => n is null))
        {
            unsupported.Add($"index {row[1]} on {row[0]} is on an expression, which schema.yaml cannot declare");
            return null;
        }
        var columns = names.Take(keyCount).Select((n, i) =>
        {
            // indoption bit 1: DESC; bit 2: NULLS FIRST. The default is NULLS LAST for ASC, NULLS FIRST for DESC.
            var descending = (options[i] & 1) != 0;
            var nullsFirst = (options[i] & 2) != 0;
            var nulls = nullsFirst == descending ? NullsOrder.Default : nullsFirst ? NullsOrder.First : NullsOrder.Last;
            return new IndexColumn(n!, descending, nulls);
        }).ToEquatableArray();
        var method = Enum.TryParse<IndexMethod>((string)row[3]!, ignoreCase: true, out var m) ? m : IndexMethod.Btree;
        var where = row[7] is string predicate ? SqlExpression.Normalize(predicate, enumNames) : null;
        return new Index((string)row[1]!, columns, (bool)row[2]!, method, where, names.Skip(keyCount).Select(n => n!).ToEquatableArray(), SourceSpan.None);
    }

    private static async Task<List<EnumType>> ReadEnumsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(connection, transaction, """
            SELECT t.typname, array(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), obj_description(t.oid, 'pg_type')
            FROM pg_type t WHERE t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = @schema) AND t.typtype = 'e' ORDER BY t.typname
            """, schema, cancellationToken);
        return rows.Select(r => new EnumType((string)r[0]!, ((string[])r[1]!).ToEquatableArray(), r[2] as string, SourceSpan.None)).ToList();
    }

    private static EquatableArray<string> Names(object? value) => ((string[])value!).ToEquatableArray();

    private static string CheckBody(string definition)
    {
        // pg_get_constraintdef: "CHECK ((a > 0))", with " NOT VALID" after it when not validated.
        var body = definition.EndsWith(" NOT VALID", StringComparison.Ordinal) ? definition.Substring(0, definition.Length - " NOT VALID".Length) : definition;
        return body.StartsWith("CHECK (", StringComparison.Ordinal) ? body.Substring(7, body.Length - 8) : body;
    }

    private static OnDelete OnDelete(string code) => code switch
    {
        "r" => Narralytica.Schema.Model.OnDelete.Restrict,
        "c" => Narralytica.Schema.Model.OnDelete.Cascade,
        "n" => Narralytica.Schema.Model.OnDelete.SetNull,
        "d" => Narralytica.Schema.Model.OnDelete.SetDefault,
        _ => Narralytica.Schema.Model.OnDelete.NoAction,
    };

    internal static async Task<List<object?[]>> QueryAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, string schema, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("schema", schema);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}

/// <summary>
/// A live schema as the model, plus what the model cannot hold (each a difference in itself) and the
/// tables and columns left out for it, which a comparison must leave out on the other side too, and its tenant
/// isolation in the detail drift compares (the model only says whether each part is complete).
/// </summary>
public sealed record CatalogModel(SchemaModel Model, IReadOnlyList<string> Unsupported, IReadOnlySet<string> SkippedTables,
    IReadOnlySet<(string Table, string Column)> SkippedColumns, IsolationCatalog Isolation);
