using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Schema.Sql;

/// <summary>
/// Large objects are PostgreSQL's own storage outside every table: the functions that create one or write into one are
/// executable by PUBLIC, so an injected statement of any lane could store large objects (<c>lo_from_bytea(0, …)</c>)
/// until the disk fills, unseen by grants, row-level security and <c>max_bytes</c>. No lane uses them, nor do the
/// migrations, so EXECUTE on them is taken from PUBLIC in the database. They are functions of pg_catalog, owned by the
/// bootstrap superuser: only a superuser can take it. A migrating role that is not one (<c>narralytica_owner</c>) either
/// holds EXECUTE through PUBLIC, and PostgreSQL only warns that it revoked nothing, or holds no privilege at all on them
/// (<c>narralytica roles create</c>, run by a superuser, took it from PUBLIC first), and PostgreSQL refuses the REVOKE
/// (42501): the statement catches that refusal, then leaves a WARNING only when a lane may still execute one of them.
/// Drift reports what is left.
/// Reading and removing need no guard: a large object is read or unlinked only by its owner or a grantee, and a lane
/// can own none.
/// </summary>
public static class LargeObjectGuards
{
    /// <summary>
    /// The functions PUBLIC may execute that create a large object (<c>lo_create</c>, <c>lo_creat</c>,
    /// <c>lo_from_bytea</c>) or write into one (<c>lo_put</c>, <c>lowrite</c>, <c>lo_truncate</c>, <c>lo_truncate64</c>),
    /// as <c>regprocedure</c> prints them. <c>lo_import</c> is a superuser's already.
    /// </summary>
    public static readonly IReadOnlyList<string> Functions = new[]
    {
        "lo_create(oid)", "lo_creat(integer)", "lo_from_bytea(oid,bytea)",
        "lo_put(oid,bigint,bytea)", "lowrite(integer,bytea)", "lo_truncate(integer,integer)", "lo_truncate64(integer,bigint)",
    };

    private const string Hint = "run `narralytica roles create` as a superuser, then `narralytica drift` to confirm";

    /// <summary>The statement that takes EXECUTE on <see cref="Functions"/> from PUBLIC, as a superuser runs it by hand.</summary>
    public static string RevokeStatement()
        => $"REVOKE EXECUTE ON FUNCTION {string.Join(", ", Functions.Select(f => "pg_catalog." + f))} FROM PUBLIC;";

    /// <summary>
    /// <see cref="RevokeStatement"/>, its refusal to a role without any privilege on the functions caught (there is then
    /// nothing that role could take), then a WARNING when a lane may still execute one of them: re-runnable, and
    /// harmless where the role lacks the rights, whether PUBLIC still holds EXECUTE or a superuser took it already.
    /// </summary>
    public static string Revoke()
        => "DO $$ BEGIN " +
           $"BEGIN EXECUTE {SqlIdentifier.Literal(RevokeStatement())}; EXCEPTION WHEN insufficient_privilege THEN NULL; END; " +
           $"IF {LaneMayExecuteCondition()} THEN " +
           "RAISE WARNING 'A lane role may still create or write large objects in database %: only a superuser can take EXECUTE on PostgreSQL''s large-object functions from PUBLIC', current_database() " +
           $"USING HINT = {SqlIdentifier.Literal(Hint)}; " +
           "END IF; END $$;";

    /// <summary>A condition true when any lane role may execute any of <see cref="Functions"/> (through PUBLIC or a grant of its own).</summary>
    public static string LaneMayExecuteCondition()
        => string.Join(" OR ", DatabaseRoles.Lanes.SelectMany(role => Functions.Select(f =>
            $"has_function_privilege({SqlIdentifier.Literal(role)}, {SqlIdentifier.Literal("pg_catalog." + f)}, 'EXECUTE')")));
}
