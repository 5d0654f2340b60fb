using System.Linq;

namespace Narralytica.Schema.Sql;

/// <summary>
/// Only the schema's owner creates objects in it. The functions that run as the owner (SECURITY DEFINER: the signed
/// tenant's verifier, the readers' audit, the queue's functions) pin their search path to the schema, then pg_temp, and
/// PostgreSQL picks an operator or function found there by its argument types: one that a lane created in the schema
/// with an exact match (an <c>=</c> on an enum of the schema, an operator between two types that pg_catalog covers only
/// through a cast) would be chosen over pg_catalog's and run as the owner, where it could read the tenant keys.
/// PostgreSQL 15 gives PUBLIC no CREATE on a new database's <c>public</c> schema, but a database made from an older
/// template (a cluster upgraded from PostgreSQL 14 or before) keeps it. So CREATE on the schema is taken from PUBLIC and
/// from every lane; where the migrating role may not (it does not own the schema), the statement warns, and drift
/// reports what is left.
/// </summary>
public static class SchemaCreateGuards
{
    private const string Hint = "run REVOKE CREATE ON SCHEMA <schema> FROM PUBLIC as the schema''s owner, then `narralytica drift` to confirm";

    /// <summary>Takes CREATE on the current schema from PUBLIC and every lane, then warns if a lane may still create in it: re-runnable.</summary>
    public static string Revoke()
        => "DO $$ BEGIN " +
           $"BEGIN EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC, {string.Join(", ", DatabaseRoles.Lanes)}', current_schema()); " +
           "EXCEPTION WHEN insufficient_privilege THEN NULL; END; " +
           $"IF {LaneMayCreateCondition("current_schema()")} THEN " +
           "RAISE WARNING 'A lane role may still create objects in schema %, where functions run as its owner would find them', current_schema() " +
           $"USING HINT = '{Hint}'; " +
           "END IF; END $$;";

    /// <summary>A condition true when any lane role may create in <paramref name="schema"/> (an SQL expression of its name), through PUBLIC or a grant of its own.</summary>
    public static string LaneMayCreateCondition(string schema)
        => string.Join(" OR ", DatabaseRoles.Lanes.Select(role => $"has_schema_privilege({SqlIdentifier.Literal(role)}, {schema}, 'CREATE')"));
}
