using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Schema.Sql;

/// <summary>
/// What applications log in as: a login of their own that is a member of exactly one lane role, never the lane role
/// itself. The lane roles are NOLOGIN: a member may <c>SET ROLE</c> to its lane and <c>ALTER ROLE</c> it (PostgreSQL 15
/// has no <c>GRANT … WITH SET FALSE</c>), but a role nobody logs in as has no password to change and no defaults any
/// session starts with. What a session of the lane must start with (the timeouts of the lanes that serve requests and
/// workers, the pinned search path) is set on each member login instead, which a member of the same lane cannot
/// change (altering another login's settings needs CREATEROLE): only the login's own sessions can change their own.
/// </summary>
public static class MemberLogins
{
    /// <summary>The attributes of a member login: a login that inherits its lane's privileges and may go around nothing.</summary>
    public const string Attributes = "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT";

    /// <summary>The lanes by the names <c>roles create --login NAME=LANE</c> takes, each with its role.</summary>
    public static readonly IReadOnlyList<(string Lane, string Role)> Lanes = new[]
    {
        ("requests", DatabaseRoles.App), ("control", DatabaseRoles.Control), ("worker", DatabaseRoles.Worker), ("reader", DatabaseRoles.Reader),
    };

    /// <summary>The role of the lane named <paramref name="lane"/> (<c>requests</c>, <c>control</c>, <c>worker</c>, <c>reader</c>), or null.</summary>
    public static string? RoleOfLane(string lane) => Lanes.Where(l => l.Lane == lane).Select(l => l.Role).FirstOrDefault();

    /// <summary>The lane name of a lane role, as <c>--login</c> spells it.</summary>
    public static string LaneOfRole(string role) => Lanes.Single(l => l.Role == role).Lane;

    /// <summary>The member login the demo and <c>narralytica server</c> create for a lane role: <c>narralytica_app_login</c>, ….</summary>
    public static string DefaultLoginOf(string role) => role + "_login";

    /// <summary>
    /// The settings a new session of <paramref name="login"/> starts with: its lane's timeouts
    /// (<see cref="RequestRoleTimeouts.For"/>, in every database), and in <paramref name="database"/> the
    /// search path <paramref name="schema"/>, then <see cref="SessionGuards.SearchPathTail"/>.
    /// </summary>
    public static IReadOnlyList<string> Settings(string login, string role, SessionTimeouts timeouts, string database, string schema)
    {
        var statements = new List<string>();
        if (RequestRoleTimeouts.Roles.Contains(role))
            statements.AddRange(RequestRoleTimeouts.Statements(new[] { login }, RequestRoleTimeouts.For(role, timeouts)));
        statements.Add($"ALTER ROLE {SqlIdentifier.Quote(login)} IN DATABASE {SqlIdentifier.Quote(database)} SET search_path = {SqlIdentifier.Quote(schema)}, {SessionGuards.SearchPathTail};");
        return statements;
    }
}
