using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Schema.Sql;

/// <summary>
/// What keeps a lane's session from finding an object of the caller's own making before the schema's. The generated SQL
/// names tables unqualified (the schema comes from configuration, and one database may hold it twice), and PostgreSQL
/// searches pg_temp first unless the search path names it: a temporary table called <c>segments</c> would be read and
/// written in place of the real one. So no lane may create temporary objects (TEMPORARY on the database is PUBLIC's by
/// default: it is taken from PUBLIC and given back to the owner alone, the only role that uses it), and every lane's
/// search path names pg_temp explicitly, last (the data source's connection, and each lane role's default in the database).
/// <para>
/// Only the database's owner (or a superuser) can take a privilege from PUBLIC, and only a role with CREATEROLE can set
/// another role's defaults: where the migration runs without those rights, the statements leave a WARNING saying so
/// instead of failing the migration, <c>narralytica roles create</c> does the same, and drift reports what is missing.
/// </para>
/// </summary>
public static class SessionGuards
{
    /// <summary>What follows the schema in every lane's search path: the catalog, then the temporary schema, explicitly last.</summary>
    public const string SearchPathTail = "pg_catalog, pg_temp";

    /// <summary>The roles that keep TEMPORARY: the owner alone.</summary>
    public static readonly IReadOnlyList<string> TemporaryHolders = new[] { DatabaseRoles.Owner };

    private const string Hint = "run `narralytica roles create` as the database's owner or a superuser, then `narralytica drift` to confirm";

    /// <summary>TEMPORARY on the current database taken from PUBLIC (so from every lane) and granted to the owner.</summary>
    public static string RevokeTemporary()
        => "DO $$ BEGIN " +
           "EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); " +
           string.Concat(TemporaryHolders.Select(role => $"EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO {role}', current_database()); ")) +
           $"IF {string.Join(" OR ", DatabaseRoles.Lanes.Select(role => $"has_database_privilege({SqlIdentifier.Literal(role)}, current_database(), 'TEMPORARY')"))} THEN " +
           "RAISE WARNING 'A lane role may still create temporary tables in database %: only its owner or a superuser can take TEMPORARY from PUBLIC', current_database() " +
           $"USING HINT = {SqlIdentifier.Literal(Hint)}; " +
           "END IF; END $$;";

    /// <summary>Each lane role's search path in the current database: the current schema, then <see cref="SearchPathTail"/>.</summary>
    public static string PinSearchPaths()
        => "DO $$ BEGIN " +
           string.Concat(DatabaseRoles.Lanes.Select(role =>
               $"EXECUTE format('ALTER ROLE {role} IN DATABASE %I SET search_path = %I, {SearchPathTail}', current_database(), current_schema()); ")) +
           "EXCEPTION WHEN insufficient_privilege THEN " +
           "RAISE WARNING 'The lane roles'' search path could not be pinned in database % (setting another role''s defaults needs CREATEROLE)', current_database() " +
           $"USING HINT = {SqlIdentifier.Literal(Hint)}; " +
           "END $$;";

    /// <summary>Both guards, after the lane roles exist.</summary>
    public static IReadOnlyList<string> Create() => new[] { RevokeTemporary(), PinSearchPaths() };

    /// <summary>Whether a search path setting (as <c>pg_db_role_setting</c> holds it, <c>search_path=…</c>'s value) ends with pg_temp.</summary>
    public static bool EndsWithTemporarySchema(string searchPath)
    {
        var names = searchPath.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
        return names.Count > 0 && names[names.Count - 1] == "pg_temp";
    }
}
