namespace Narralytica.Schema.Sql;

/// <summary>
/// The login a change stream connects with: the readers' lane plus the <c>REPLICATION</c> attribute, on a login of its
/// own. PostgreSQL does not pass role attributes to members (a member of a role with REPLICATION does not get it), and
/// REPLICATION reads every published row of every tenant whatever row-level security says, so it goes on one login
/// that derived systems alone use, never on <see cref="DatabaseRoles.Reader"/> itself (whose other logins would then
/// need it too, and every pooled reader would hold it). The login is a member of the readers' role only: its snapshot
/// read goes through the readers' audited cross-tenant read, and it writes nothing.
/// </summary>
public static class StreamLogin
{
    /// <summary>The attributes <c>roles create --stream-login</c> gives the login; REPLICATION is its reason to exist.</summary>
    public const string Attributes = "LOGIN REPLICATION NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE";

    /// <summary>The one role the stream login is a member of: its grants and policies are the readers'.</summary>
    public const string MemberOf = DatabaseRoles.Reader;

    /// <summary>What the lanes' own roles never hold: REPLICATION reads every tenant through a slot, unaudited.</summary>
    public const string LaneRolesMustNotHold = "NOREPLICATION";

    /// <summary>
    /// The logins that hold REPLICATION and may act as a lane's role (members of it, or the role itself), one row each:
    /// the login, the lane role, whether the login is the lane role itself. <c>drift</c> reports them.
    /// </summary>
    public const string ReplicationLoginsQuery =
        "SELECT l.rolname::text, r.rolname::text, l.oid = r.oid FROM pg_roles l JOIN pg_roles r " +
        "ON l.oid = r.oid OR pg_has_role(l.oid, r.oid, 'MEMBER') " +
        "WHERE l.rolreplication AND NOT l.rolsuper AND r.rolname IN ('" + DatabaseRoles.App + "', '" + DatabaseRoles.Control + "', '" +
        DatabaseRoles.Worker + "', '" + DatabaseRoles.Reader + "') ORDER BY 1, 2";
}
