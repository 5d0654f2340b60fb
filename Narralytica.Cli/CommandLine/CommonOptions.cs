using System.CommandLine;
using System.Linq;

namespace Narralytica.Cli.CommandLine;

/// <summary>The options several commands share, each created per command (an option belongs to one command).</summary>
public static class CommonOptions
{
    private const string JsonName = "--json";

    /// <summary>On the root, and so on every command below it.</summary>
    public static Option<bool> JsonOption() => new(JsonName)
    {
        Description = "Print the result as one JSON document on stdout, errors included ({\"error\": {\"code\", \"message\"}}); text goes to stderr",
        Recursive = true,
    };

    /// <summary>Whether --json was given, wherever on the line.</summary>
    public static bool Json(ParseResult parse)
    {
        var root = parse.RootCommandResult.Command;
        return root.Options.FirstOrDefault(o => o.Name == JsonName) is Option<bool> json && parse.GetValue(json);
    }

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
