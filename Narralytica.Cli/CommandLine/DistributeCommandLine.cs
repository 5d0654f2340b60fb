using System.CommandLine;
using Narralytica.Cli.Commands;

namespace Narralytica.Cli.CommandLine;

/// <summary><c>narralytica distribute</c>: the Citus target, applied to a live coordinator or printed as a script.</summary>
public static class DistributeCommandLine
{
    public static Command Create()
    {
        var (connection, schema) = (CommonOptions.Connection("none: a real database is required"), CommonOptions.Schema());
        var print = new Option<bool>("--print") { Description = "Print the distribution as a psql script instead of running it (connects to nothing)" };
        var command = new Command("distribute", "Distribute a database built from schema.yaml on Citus: Citus forms of the tenant context and policies, " +
                                                "global tables as reference tables, tenant tables distributed by tenant_id and colocated, foreign keys kept; " +
                                                "each step is skipped when done, so running it again changes nothing")
            { connection, schema, print };
        command.Handle(parse => new DistributeOptions(parse.GetValue(connection), parse.GetValue(schema), parse.GetValue(print), CommonOptions.Json(parse)),
            DistributeCommand.RunAsync);
        return command.WithEpilogue("Run it as the owner of the tables, on the coordinator, with the citus extension created and the workers added. " +
                                    "See docs/citus.md. Exit codes: 0 distributed (or already); 1 an error.");
    }
}
