using System.CommandLine;

namespace Narralytica.Cli.CommandLine;

/// <summary>The options several commands share, each created per command (an option belongs to one command).</summary>
public static class CommonOptions
{
    /// <summary>On the root and every command below it.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the result as one JSON document on stdout, errors included ({\"error\": {\"code\", \"message\"}}); text goes to stderr",
        Recursive = true,
    };

    public static Option<string?> Schema() => new("--schema")
    {
        Description = "The schema.yaml to use [default: ./schema.yaml or the nearest one above]",
        HelpName = "PATH",
    };

    public static Option<string?> Migrations() => new("--migrations")
    {
        Description = "The migrations folder [default: migrations/ next to schema.yaml]",
        HelpName = "DIR",
    };

    public static Option<string?> Connection(string fallback) => new("--connection")
    {
        Description = $"The server, as an Npgsql connection string (Host=…;Port=…;Database=…;Username=…;Password=…) [default: NARRALYTICA_DATABASE, else {fallback}]",
        HelpName = "CS",
    };
}
