using System;
using System.CommandLine;
using Narralytica.Cli.Commands;

namespace Narralytica.Cli.CommandLine;

/// <summary><c>narralytica schema …</c>: schema.yaml's DDL, validation, declared queries and reference docs.</summary>
public static class SchemaCommandLine
{
    public static Command Create() => HelpText.Group("schema", "schema.yaml: its DDL, its validation, the queries it declares, its reference docs",
        Command("sql", "Print the complete DDL for an empty database: roles, tenant context, enums, tables with their indexes, grants and row-level security", SchemaCommands.Sql),
        Check(),
        Command("queries", "List the queries and feeds schema.yaml declares: the generated helper, the index that answers it, its SQL", SchemaCommands.Queries),
        Docs());

    private static Command Check()
    {
        var (schema, connection) = (CommonOptions.Schema(), CommonOptions.Connection("a throwaway PostgreSQL, removed on exit"));
        var command = new Command("check", "Validate schema.yaml and print its diagnostics (file(line,col): error NARRnnnn: …), then build it in a scratch " +
                                           "schema, rolled back, so PostgreSQL checks its SQL: checks, defaults, index predicates")
            { schema, connection };
        command.Handle(parse => new SchemaCheckOptions(parse.GetValue(schema), parse.GetValue(connection), CommonOptions.Json(parse)), SchemaCommands.CheckAsync);
        return command.WithEpilogue("Exit codes: 0 valid; 1 a diagnostic error or SQL PostgreSQL rejects (each at its line).");
    }

    private static Command Docs()
    {
        var schema = CommonOptions.Schema();
        var output = new Option<string?>("--out") { Description = "Where to write the Markdown [default: docs/schema.md beside schema.yaml]", HelpName = "PATH" };
        var command = new Command("docs", "Write the schema's reference: an ER diagram (Mermaid) and every table's columns, keys, indexes and policies") { schema, output };
        command.Handle(parse => new SchemaDocsOptions(parse.GetValue(schema), parse.GetValue(output), CommonOptions.Json(parse)), SchemaCommands.Docs);
        return command;
    }

    private static Command Command(string name, string description, Func<SchemaOptions, int> handler)
    {
        var schema = CommonOptions.Schema();
        var command = new Command(name, description) { schema };
        command.Handle(parse => new SchemaOptions(parse.GetValue(schema), CommonOptions.Json(parse)), handler);
        return command;
    }
}
