using System.CommandLine;
using Narralytica.Schema.Model;

namespace Narralytica.Cli.CommandLine;

/// <summary><c>--target postgres|citus</c>: where the database runs, over schema.yaml's <c>target:</c> for one run.</summary>
public static class TargetOption
{
    public static Option<string?> Create(string what)
    {
        var option = new Option<string?>("--target")
        {
            Description = $"Where the database runs, for {what}: postgres or citus [default: schema.yaml's 'target:', else postgres]",
            HelpName = "TARGET",
        };
        option.AcceptOnlyFromAmong("postgres", "citus");
        return option;
    }

    /// <summary>The target given on the command line; null: schema.yaml's.</summary>
    public static DeploymentTarget? Value(ParseResult parse, Option<string?> option) => DeploymentTargets.Parse(parse.GetValue(option));
}
