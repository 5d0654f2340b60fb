using System;
using System.CommandLine;
using Narralytica.Cli.Commands;

namespace Narralytica.Cli.CommandLine;

/// <summary><c>narralytica schema …</c>: schema.yaml's DDL, validation and declared queries.</summary>
public static class SchemaCommandLine
{
    public static Command Create() => HelpText.Group("schema", "schema.yaml: its DDL, its validation, the queries it declares",
        Command("sql", "Print the complete DDL for an empty database: roles, tenant context, enums, tables with their indexes, grants and row-level security", SchemaCommands.Sql),
        Command("check", "Validate schema.yaml and print its diagnostics (file(line,col): error NARRnnnn: …)", SchemaCommands.Check),
        Command("queries", "List the queries and feeds schema.yaml declares: the generated helper, the index that answers it, its SQL", SchemaCommands.Queries));

    private static Command Command(string name, string description, Func<SchemaOptions, int> handler)
    {
        var schema = CommonOptions.Schema();
        var command = new Command(name, description) { schema };
        command.Handle(parse => new SchemaOptions(parse.GetValue(schema), CommonOptions.Json(parse)), handler);
        return command;
    }
}
