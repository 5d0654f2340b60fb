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
        command.Handle(parse => new DatabaseOptions(parse.GetValue(connection), parse.GetValue(schema), null, CommonOptions.Json(parse)), DriftCommand.RunAsync);
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
        var appPassword = new Option<string?>("--app-password")
        {
            Description = $"Password of {Narralytica.Schema.Sql.DatabaseRoles.App} [default: {RolesCommand.AppPasswordVariable}; none for a new role, unchanged for an existing one]",
            HelpName = "P",
        };
        var create = new Command("create", "Create, or bring to what they need, the LOGIN roles narralytica_owner (runs the migrations) and narralytica_app " +
                                            "(what the application connects as: not superuser, no BYPASSRLS, CREATEDB or CREATEROLE); running it again changes nothing")
            { connection, ownerPassword, appPassword };
        create.Handle(parse => new RolesCreateOptions(parse.GetValue(connection), parse.GetValue(ownerPassword), parse.GetValue(appPassword),
            CommonOptions.Json(parse)), RolesCommand.CreateAsync);
        return HelpText.Group("roles", "The database roles the data layer runs as", create);
    }

    public static Command Demo()
    {
        var connection = CommonOptions.Connection("a throwaway PostgreSQL, removed on exit");
        var command = new Command("demo", "Create the schema, load two tenants' sample and show tenant isolation through the generated API (20 checks)") { connection };
        command.Handle(parse => new DemoOptions(parse.GetValue(connection), CommonOptions.Json(parse)), DemoCommand.RunAsync);
        return command.WithEpilogue(
            "On a given server the demo works in a schema of its own and drops it afterwards. Ctrl-C stops a throwaway server and removes its folder.\n" +
            "Exit codes: 0 every check held; 1 a check failed or an error; 130 interrupted.");
    }
}
