using System.CommandLine;
using Narralytica.Cli.Commands;

namespace Narralytica.Cli.CommandLine;

/// <summary><c>narralytica drift</c>, <c>roles create</c> and <c>demo</c>: commands that work on a live database.</summary>
public static class DatabaseCommandLine
{
    public static Command Drift()
    {
        var (connection, schema) = (CommonOptions.Connection("none: a real database is required"), CommonOptions.Schema());
        var command = new Command("drift", "Compare the live database's catalog with schema.yaml: the differences (missing, extra, changed) and the SQL that reconciles them")
            { connection, schema };
        var target = TargetOption.Create("the forms compared (citus: those narralytica distribute installs)");
        command.Options.Add(target);
        command.Handle(parse => new DatabaseOptions(parse.GetValue(connection), parse.GetValue(schema), null, CommonOptions.Json(parse)) { Target = TargetOption.Value(parse, target) }, DriftCommand.RunAsync);
        return command.WithEpilogue("Exit codes: 0 the database matches schema.yaml; 2 it differs; 1 an error.");
    }

    public static Command Roles()
    {
        var connection = CommonOptions.Connection("none: a real database is required");
        var ownerPassword = new Option<string?>("--owner-password")
        {
            Description = $"Password of {Narralytica.Schema.Sql.DatabaseRoles.Owner} [default: {RolesCommand.OwnerPasswordVariable}; none for a new role, unchanged for an existing one]",
            HelpName = "P",
        };
        var login = new Option<string[]>("--login")
        {
            Description = "Also create (or bring to what it needs) a login an application connects as, NAME=LANE with LANE requests, control, worker or reader: " +
                          "LOGIN, a member of that lane's role only, starting its sessions with the lane's timeouts (requests, worker) and search path. " +
                          "Its password: NARRALYTICA_LOGIN_<NAME>_PASSWORD (none for a new login, unchanged for an existing one). Repeatable",
            HelpName = "NAME=LANE",
            AllowMultipleArgumentsPerToken = false,
        };
        var streamLogin = new Option<string?>("--stream-login")
        {
            Description = "Also create (or bring to what it needs) the login change streams connect with: LOGIN REPLICATION, a member of narralytica_reader only. " +
                          "REPLICATION reads every published row of every tenant, whatever row-level security says; it needs a superuser. See docs/streams.md",
            HelpName = "NAME",
        };
        var streamPassword = new Option<string?>("--stream-password")
        {
            Description = $"Password of the --stream-login [default: {RolesCommand.StreamPasswordVariable}; none for a new login, unchanged for an existing one]",
            HelpName = "P",
        };
        var defaults = Narralytica.Schema.Sql.SessionTimeouts.RequestDefaults;
        var statementTimeout = TimeoutOption("--statement-timeout", "How long one statement of a --login of the requests or worker lane may run", defaults.Statement);
        var lockTimeout = TimeoutOption("--lock-timeout", "How long a statement of a --login of the requests or worker lane may wait for a lock before it fails (lock_not_available)", defaults.Lock);
        var idleTimeout = TimeoutOption("--idle-in-transaction-timeout", "How long a session of a --login of the requests or worker lane may sit idle inside a transaction before it is ended, its locks released", defaults.IdleInTransaction);
        var create = new Command("create", "Create, or bring to what they need, the LOGIN role narralytica_owner (runs the migrations) and the NOLOGIN lane roles narralytica_app (tenant requests), " +
                                            "narralytica_control (the control plane), narralytica_worker (workers) and narralytica_reader (derived systems): none a member of another, " +
                                            "none superuser or with BYPASSRLS, CREATEDB or CREATEROLE but the owner; the member logins applications connect as (--login); " +
                                            "and, run by a superuser, no large objects for the lanes; running it again changes nothing")
            { connection, ownerPassword, login, streamLogin, streamPassword, statementTimeout, lockTimeout, idleTimeout };
        create.Handle(parse => new RolesCreateOptions(parse.GetValue(connection), parse.GetValue(ownerPassword), CommonOptions.Json(parse))
        {
            Logins = parse.GetValue(login) ?? System.Array.Empty<string>(),
            StreamLogin = parse.GetValue(streamLogin),
            StreamPassword = parse.GetValue(streamPassword),
            Timeouts = new(parse.GetValue(statementTimeout), parse.GetValue(lockTimeout), parse.GetValue(idleTimeout)),
        }, RolesCommand.CreateAsync);
        return HelpText.Group("roles", "The database roles the data layer runs as", create);
    }

    private static Option<System.TimeSpan> TimeoutOption(string name, string description, System.TimeSpan defaultValue)
        => new(name)
        {
            Description = $"{description}: 500ms, 5s, 2m; 0 for no limit [default: {Narralytica.Schema.Sql.RequestRoleTimeouts.Value(defaultValue)}]",
            HelpName = "DURATION",
            CustomParser = result =>
            {
                try
                {
                    return RolesCommand.ParseTimeout(name, result.Tokens.Count > 0 ? result.Tokens[0].Value : "");
                }
                catch (CliError e)
                {
                    result.AddError(e.Message);
                    return default;
                }
            },
            DefaultValueFactory = _ => defaultValue,
        };

    public static Command Demo()
    {
        var connection = CommonOptions.Connection("a throwaway PostgreSQL, removed on exit");
        var command = new Command("demo", "Create the schema, load two tenants' sample and show tenant isolation through the generated API, each caller in its own lane") { connection };
        command.Handle(parse => new DemoOptions(parse.GetValue(connection), CommonOptions.Json(parse)), DemoCommand.RunAsync);
        return command.WithEpilogue(
            "On a given server the demo works in a schema of its own and drops it afterwards. Ctrl-C stops a throwaway server and removes its folder.\n" +
            "Exit codes: 0 every check held; 1 a check failed or an error; 130 interrupted.");
    }

    public static Command Server()
    {
        var command = new Command("server", "Start a throwaway PostgreSQL with the schema applied, every lane's role (LOGIN, no password) and a tenant key; " +
                                            "print how to connect as each role, and run until Ctrl-C");
        command.Handle(parse => new ServerOptions(CommonOptions.Json(parse)), ServerCommand.RunAsync);
        return command.WithEpilogue(
            "The server listens on 127.0.0.1 with trust authentication, for trying things by hand; nothing of it outlives the command: " +
            "Ctrl-C stops it and removes its folder (a folder left by a killed run is removed by the next start).\n" +
            "Exit codes: 1 the server could not start; 130 interrupted (the normal end).");
    }
}
