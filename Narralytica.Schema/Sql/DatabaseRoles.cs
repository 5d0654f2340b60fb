using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The roles of a Narralytica database and the SQL that grants to them. The owner runs the migrations and owns the
/// tables; every other caller has a lane of its own, none a member of another: the application (requests of one
/// tenant), the control plane (global tables), the workers (the queue across tenants, the rest inside one tenant) and
/// the readers (derived systems, reading across tenants under an audit). Append-only tables get no UPDATE or DELETE,
/// so PostgreSQL itself refuses to rewrite history. What each lane holds: <see cref="LanePrivileges"/>.
/// </summary>
public static class DatabaseRoles
{
    public const string Owner = "narralytica_owner";
    public const string App = "narralytica_app";
    public const string Control = "narralytica_control";
    public const string Worker = "narralytica_worker";
    public const string Reader = "narralytica_reader";

    /// <summary>The roles of the callers, in the order they are created, granted and described.</summary>
    public static readonly IReadOnlyList<string> Lanes = new[] { App, Control, Worker, Reader };

    /// <summary>
    /// Creates each role that does not exist yet, without LOGIN (<c>narralytica roles create</c> gives it one
    /// with a password): re-runnable, and a no-op where the roles exist, so it needs no CREATEROLE there.
    /// </summary>
    public static IReadOnlyList<string> CreateIfMissing() => new[] { CreateIfMissing(Owner), CreateIfMissing(App) };

    /// <summary>The roles the lanes add to the owner and the application: control plane, workers, readers.</summary>
    public static IReadOnlyList<string> CreateLanesIfMissing() => new[] { CreateIfMissing(Control), CreateIfMissing(Worker), CreateIfMissing(Reader) };

    private static string CreateIfMissing(string role)
        => $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {SqlIdentifier.Literal(role)}) THEN CREATE ROLE {role} NOLOGIN; END IF; END $$;";

    // The schema is the one the statements run in, whatever its name: migrations do not know it in advance.
    public static string GrantSchemaUsage(string role = App) => OnCurrentSchema($"GRANT USAGE ON SCHEMA %I TO {role}");

    public static string RevokeSchemaUsage(string role = App) => OnCurrentSchema($"REVOKE USAGE ON SCHEMA %I FROM {role}");

    /// <summary>
    /// Runs <paramref name="statement"/>, a format() template whose <c>%I</c> is the schema, for the schema the migration runs
    /// in (a literal % of it written %%).
    /// </summary>
    public static string OnCurrentSchema(string statement)
        => $"DO $$ BEGIN EXECUTE format({SqlIdentifier.Literal(statement)}, current_schema()); END $$;";

    public static string Grant(Table table, TablePrivileges privileges, string role = App) => Grant(SqlFragments.Name(table), privileges, role);

    public static string Revoke(Table table, TablePrivileges privileges, string role = App) => Revoke(SqlFragments.Name(table), privileges, role);

    /// <summary>GRANT on a table schema.yaml does not declare (<paramref name="table"/>: its name as SQL, quoted where needed).</summary>
    public static string Grant(string table, TablePrivileges privileges, string role = App)
        => $"GRANT {string.Join(", ", TablePrivilegeNames.Keywords(privileges))} ON {table} TO {role};";

    public static string Revoke(string table, TablePrivileges privileges, string role = App)
        => $"REVOKE {string.Join(", ", TablePrivilegeNames.Keywords(privileges))} ON {table} FROM {role};";

    /// <summary>What <paramref name="role"/> holds on <paramref name="table"/> in the model.</summary>
    public static TablePrivileges PrivilegesOf(Table table, string role) => role switch
    {
        App => table.AppPrivileges,
        Control => table.ControlPrivileges,
        Worker => table.WorkerPrivileges,
        Reader => table.ReaderPrivileges,
        _ => TablePrivileges.None,
    };

    /// <summary>Every lane's grant on a new table, in <see cref="Lanes"/> order, then the workers' column-level UPDATE.</summary>
    public static IEnumerable<string> GrantAll(Table table)
    {
        foreach (var role in Lanes.Where(role => PrivilegesOf(table, role) != TablePrivileges.None))
            yield return Grant(table, PrivilegesOf(table, role), role);
        if (table.WorkerUpdateColumns.Count > 0)
            yield return GrantUpdate(table, table.WorkerUpdateColumns, Worker);
    }

    /// <summary>
    /// UPDATE of some columns only (<see cref="Table.WorkerUpdateColumns"/>). Revoking the table-wide UPDATE also revokes
    /// every column's, so a column grant comes after any table-level REVOKE UPDATE of the same role.
    /// </summary>
    public static string GrantUpdate(Table table, IEnumerable<string> columns, string role)
        => $"GRANT UPDATE ({ColumnList(columns)}) ON {SqlFragments.Name(table)} TO {role};";

    public static string RevokeUpdate(Table table, IEnumerable<string> columns, string role)
        => $"REVOKE UPDATE ({ColumnList(columns)}) ON {SqlFragments.Name(table)} FROM {role};";

    private static string ColumnList(IEnumerable<string> columns) => string.Join(", ", columns.Select(SqlIdentifier.Quote));
}
