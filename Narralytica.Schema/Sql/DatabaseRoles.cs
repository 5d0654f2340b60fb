using System.Collections.Generic;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The two roles of a Narralytica database and the SQL that grants to them. The owner role runs the
/// migrations and owns the tables; the application role only reads and writes rows, with no UPDATE or
/// DELETE on append-only tables, so PostgreSQL itself refuses to rewrite history.
/// </summary>
public static class DatabaseRoles
{
    public const string Owner = "narralytica_owner";
    public const string App = "narralytica_app";

    /// <summary>
    /// Creates each role that does not exist yet, without LOGIN (<c>narralytica roles create</c> gives it one
    /// with a password): re-runnable, and a no-op where the roles exist, so it needs no CREATEROLE there.
    /// </summary>
    public static IReadOnlyList<string> CreateIfMissing() => new[] { CreateIfMissing(Owner), CreateIfMissing(App) };

    private static string CreateIfMissing(string role)
        => $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {SqlIdentifier.Literal(role)}) THEN CREATE ROLE {role} NOLOGIN; END IF; END $$;";

    // The schema is the one the statements run in, whatever its name: migrations do not know it in advance.
    public static string GrantSchemaUsage() => OnCurrentSchema($"GRANT USAGE ON SCHEMA %I TO {App}");

    public static string RevokeSchemaUsage() => OnCurrentSchema($"REVOKE USAGE ON SCHEMA %I FROM {App}");

    private static string OnCurrentSchema(string statement)
        => $"DO $$ BEGIN EXECUTE format({SqlIdentifier.Literal(statement)}, current_schema()); END $$;";

    public static string Grant(Table table, TablePrivileges privileges) => Grant(SqlFragments.Name(table), privileges);

    public static string Revoke(Table table, TablePrivileges privileges) => Revoke(SqlFragments.Name(table), privileges);

    /// <summary>GRANT on a table schema.yaml does not declare (<paramref name="table"/>: its name as SQL, quoted where needed).</summary>
    public static string Grant(string table, TablePrivileges privileges)
        => $"GRANT {string.Join(", ", TablePrivilegeNames.Keywords(privileges))} ON {table} TO {App};";

    public static string Revoke(string table, TablePrivileges privileges)
        => $"REVOKE {string.Join(", ", TablePrivilegeNames.Keywords(privileges))} ON {table} FROM {App};";
}
