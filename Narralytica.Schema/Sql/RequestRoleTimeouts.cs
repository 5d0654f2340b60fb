using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Narralytica.Schema.Sql;

/// <summary>
/// How long a session of a role that serves requests may run one statement, wait for one lock, and sit idle inside a
/// transaction. <see cref="TimeSpan.Zero"/> disables that limit.
/// </summary>
public sealed record SessionTimeouts(TimeSpan Statement, TimeSpan Lock, TimeSpan IdleInTransaction)
{
    /// <summary>
    /// For requests: a statement runs at most 30 s (a request's query takes milliseconds; a runaway one is stopped),
    /// waits at most 5 s for a lock (it fails with lock_not_available rather than queue behind a lock holder while
    /// everything queues behind it), and a transaction left idle for 10 s is ended with its session, releasing its locks.
    /// </summary>
    public static SessionTimeouts RequestDefaults { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
}

/// <summary>
/// The timeouts of the roles that serve requests, as <c>ALTER ROLE … SET</c>: PostgreSQL starts every session that logs
/// in as the role with them. They bound what a bug, a leaked transaction or a single injected statement can hold:
/// an idle transaction holding <c>LOCK TABLE segments</c> ends after <see cref="SessionTimeouts.IdleInTransaction"/>,
/// and every statement waiting behind a lock gives up after <see cref="SessionTimeouts.Lock"/>. They are defaults, not
/// a boundary: these settings are user-settable in PostgreSQL, so a session may change its own.
/// </summary>
public static class RequestRoleTimeouts
{
    /// <summary>
    /// The roles whose member logins get the timeouts: every lane. Any of them can take a lock and sit on it (the control
    /// plane a row lock on <c>tenants</c> that every tenant's insert checks, a reader a table lock a migration waits for),
    /// so each gets a bound; the readers' long reads keep their statements unbounded (<see cref="For"/>).
    /// </summary>
    public static IReadOnlyList<string> Roles { get; } = new[] { DatabaseRoles.App, DatabaseRoles.Worker, DatabaseRoles.Control, DatabaseRoles.Reader };

    /// <summary>The shortest idle-in-transaction time of a reader: a rebuild reads a page, writes it elsewhere, and reads on.</summary>
    public static TimeSpan ReaderIdleInTransactionFloor { get; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The timeouts of <paramref name="role"/>'s logins, given those of requests: the same for requests, workers and the
    /// control plane; for readers (and stream logins, members of the readers' lane) no statement limit, since a derived
    /// system's rebuild reads a whole tenant, and at least <see cref="ReaderIdleInTransactionFloor"/> idle in a transaction.
    /// </summary>
    public static SessionTimeouts For(string role, SessionTimeouts requests)
        => role != DatabaseRoles.Reader ? requests : requests with
        {
            Statement = TimeSpan.Zero,
            IdleInTransaction = requests.IdleInTransaction == TimeSpan.Zero || requests.IdleInTransaction >= ReaderIdleInTransactionFloor
                ? requests.IdleInTransaction : ReaderIdleInTransactionFloor,
        };

    /// <summary>PostgreSQL's settings, each with its value in <paramref name="timeouts"/>.</summary>
    public static IReadOnlyList<(string Setting, TimeSpan Value)> Settings(SessionTimeouts timeouts) => new[]
    {
        ("statement_timeout", timeouts.Statement),
        ("lock_timeout", timeouts.Lock),
        ("idle_in_transaction_session_timeout", timeouts.IdleInTransaction),
    };

    /// <summary>The timeouts as <c>roles create</c> reports them: <c>statement_timeout 30s, lock_timeout 5s, …</c>.</summary>
    public static string Describe(SessionTimeouts timeouts)
        => string.Join(", ", Settings(timeouts).Select(s => $"{s.Setting} {Value(s.Value)}"));

    /// <summary>
    /// <c>ALTER ROLE role SET setting = 'value'</c> for each role and setting; with <paramref name="database"/>, for
    /// sessions in that database only (<c>IN DATABASE</c>), which takes precedence over the role's own.
    /// </summary>
    public static IReadOnlyList<string> Statements(IEnumerable<string> roles, SessionTimeouts timeouts, string? database = null)
        => roles.SelectMany(role => Settings(timeouts).Select(s =>
                $"ALTER ROLE {SqlIdentifier.Quote(role)}{(database is null ? "" : " IN DATABASE " + SqlIdentifier.Quote(database))} SET {s.Setting} = {SqlIdentifier.Literal(Value(s.Value))};"))
            .ToList();

    /// <summary>
    /// A duration as PostgreSQL reads it and keeps it (<c>pg_db_role_setting</c> stores the text as written): the
    /// largest whole unit, <c>0</c> for none. PostgreSQL counts these settings in milliseconds.
    /// </summary>
    public static string Value(TimeSpan duration)
    {
        var ms = (long)duration.TotalMilliseconds;
        if (ms < 0)
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "a timeout is zero (none) or positive");
        if (ms == 0)
            return "0";
        if (ms % 60000 == 0)
            return (ms / 60000).ToString(CultureInfo.InvariantCulture) + "min";
        if (ms % 1000 == 0)
            return (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s";
        return ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}
