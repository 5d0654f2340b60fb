using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Tests.Infrastructure;

/// <summary>
/// What PostgreSQL's catalog says a schema holds, one normalized line per object, sorted: enums with
/// their values in order, tables, columns (type, nullability, default as PostgreSQL re-prints it),
/// constraints (pg_get_constraintdef, whether validated), indexes (pg_get_indexdef), comments, the
/// privileges granted on the tables and the schema to any role but their owner, row-level security (enabled,
/// forced) and the policies (command, roles, conditions as PostgreSQL re-prints them), and the functions and
/// procedures (the tenant context's). The audit table of cross-tenant reads is a table like the others here.
/// Two databases hold the same schema exactly when their lines are equal. Column positions are left
/// out: PostgreSQL cannot reorder columns, so a migration appends new ones at the end.
/// </summary>
public static class CatalogSnapshot
{
    private const string Query = """
        SELECT 'enum ' || t.typname || ' (' || string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) || ')'
               || coalesce(' comment ' || quote_literal(obj_description(t.oid, 'pg_type')), '')
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE t.typnamespace = to_regnamespace(@schema)
        GROUP BY t.oid, t.typname
        UNION ALL
        SELECT 'table ' || c.relname
               || CASE WHEN c.relrowsecurity THEN ' row security' ELSE '' END || CASE WHEN c.relforcerowsecurity THEN ' forced' ELSE '' END
               || coalesce(' comment ' || quote_literal(obj_description(c.oid, 'pg_class')), '')
        FROM pg_class c WHERE c.relnamespace = to_regnamespace(@schema) AND c.relkind = 'r'
        UNION ALL
        SELECT 'policy ' || c.relname || '.' || p.polname
               || ' ' || CASE p.polcmd WHEN '*' THEN 'ALL' WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' ELSE 'DELETE' END
               || CASE WHEN p.polpermissive THEN '' ELSE ' restrictive' END
               || ' to ' || (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE r::regrole::text END, ',' ORDER BY 1) FROM unnest(p.polroles) r)
               || coalesce(' using ' || regexp_replace(pg_get_expr(p.polqual, p.polrelid), '\s+', ' ', 'g'), '')
               || coalesce(' with check ' || regexp_replace(pg_get_expr(p.polwithcheck, p.polrelid), '\s+', ' ', 'g'), '')
        FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
        WHERE c.relnamespace = to_regnamespace(@schema)
        UNION ALL
        SELECT 'routine ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') kind ' || p.prokind::text || ' ' || l.lanname
               || CASE WHEN p.prosecdef THEN ' security definer' ELSE '' END
               -- A search path pinned to the schema itself names it: compared as <schema>, so two schemas built alike compare equal.
               || coalesce(' set ' || replace(array_to_string(p.proconfig, ','), 'search_path=' || quote_ident(@schema) || ',', 'search_path=<schema>,'), '')
               || coalesce(' acl ' || p.proacl::text, '') || ' body ' || p.prosrc
        FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
        WHERE p.pronamespace = to_regnamespace(@schema)
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') -- an extension's (pgcrypto's), where it was installed
        UNION ALL
        SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
               || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
               || coalesce(' comment ' || quote_literal(col_description(c.oid, a.attnum)), '')
        FROM pg_class c
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
        WHERE c.relnamespace = to_regnamespace(@schema) AND c.relkind = 'r'
        UNION ALL
        SELECT 'constraint ' || c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)
               || CASE WHEN k.convalidated THEN '' ELSE ' not validated' END
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE c.relnamespace = to_regnamespace(@schema)
        UNION ALL
        SELECT 'index ' || pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        WHERE c.relnamespace = to_regnamespace(@schema)
        UNION ALL
        SELECT 'grant ' || a.privilege_type || ' on ' || c.relname || ' to ' || coalesce(r.rolname, 'PUBLIC')
        FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE c.relnamespace = to_regnamespace(@schema) AND c.relkind = 'r' AND a.grantee <> c.relowner
        UNION ALL
        SELECT 'grant ' || a.privilege_type || ' on the schema to ' || coalesce(r.rolname, 'PUBLIC')
        FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE n.oid = to_regnamespace(@schema) AND a.grantee <> n.nspowner
        """;

    /// <summary>The lines for <paramref name="schema"/>, read with that schema first on the search path so names print unqualified.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(NpgsqlConnection connection, string schema)
    {
        await using (var path = new NpgsqlCommand($"SET search_path TO \"{schema}\", public", connection))
            await path.ExecuteNonQueryAsync();
        var lines = new List<string>();
        await using var command = new NpgsqlCommand(Query, connection);
        command.Parameters.AddWithValue("schema", schema);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            lines.Add(PinnedPathOf(reader.GetString(0).Replace($" {schema}.", " ").Replace($"\"{schema}\".", ""), schema));
        return lines.OrderBy(l => l, System.StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A function's pinned search path names its own schema and the one pgcrypto was installed in, which differ between two
    /// schemas of one database holding the same objects: both are written as placeholders.
    /// </summary>
    private static string PinnedPathOf(string line, string schema)
    {
        var start = line.IndexOf(" set search_path=", System.StringComparison.Ordinal);
        if (!line.StartsWith("routine ", System.StringComparison.Ordinal) || start < 0)
            return line;
        start += " set search_path=".Length;
        var end = new[] { " acl ", " body " }.Select(next => line.IndexOf(next, start, System.StringComparison.Ordinal)).Where(i => i >= 0).Min();
        var names = line.Substring(start, end - start).Split(", ")
            .Select(n => n == schema || n == $"\"{schema}\"" ? "<schema>" : n is "pg_catalog" or "pg_temp" ? n : "<extension schema>")
            .Where(n => n != "<extension schema>");
        return line.Substring(0, start) + string.Join(", ", names) + line.Substring(end);
    }

    /// <summary>The lines only one side has, marked - (expected) and + (actual), for a readable failure.</summary>
    public static string Difference(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
        => string.Join("\n", expected.Except(actual).Select(l => "- " + l).Concat(actual.Except(expected).Select(l => "+ " + l)));
}
