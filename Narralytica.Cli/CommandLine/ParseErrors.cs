using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;
using Narralytica.Cli.Commands;
using Narralytica.Schema;

namespace Narralytica.Cli.CommandLine;

/// <summary>
/// A command line that does not parse: what was wrong, the nearest known command or option for a typo, and
/// where the help is. Exit code 1; with --json also the JSON error object (code <c>usage</c>).
/// </summary>
public static class ParseErrors
{
    public static int Report(ParseResult parse, bool json)
    {
        var command = parse.CommandResult.Command;
        var path = Path(parse.CommandResult);
        var messages = new List<string>();
        var suggestions = new List<string>();
        var unmatched = parse.UnmatchedTokens;
        if (unmatched.Count > 0)
        {
            if (command.Subcommands.Count > 0 && !unmatched[0].StartsWith('-'))
            {
                var closest = Spelling.Closest(unmatched[0], command.Subcommands.Select(c => c.Name));
                messages.Add($"Unknown command '{path} {unmatched[0]}'." + (closest is null ? "" : $" Did you mean '{path} {closest}'?"));
                if (closest is not null)
                    suggestions.Add($"{path} {closest}");
            }
            else
            {
                messages.Add($"Unknown argument(s): {string.Join(" ", unmatched)}.");
                foreach (var token in unmatched.Where(t => t.StartsWith('-')))
                    if (Spelling.Closest(token.Split('=', ':')[0], OptionNames(parse.CommandResult)) is { } option)
                    {
                        messages.Add($"Did you mean '{option}' instead of '{token}'?");
                        suggestions.Add(option);
                    }
            }
        }
        // The parser's own words for the rest (a missing value, a value it cannot read); the unmatched tokens are said above.
        messages.AddRange(parse.Errors.Select(e => e.Message).Where(m => !unmatched.Any(t => m.Contains($"'{t}'", StringComparison.Ordinal))));
        var hint = command.Subcommands.Count > 0
            ? $"Run '{path} --help' for its commands."
            : $"Run '{path} --help' for its options.";
        var message = string.Join(" ", messages) + " " + hint;
        CliOutput.WriteError(new CliError(message, ErrorCodes.Usage, suggestions.Count > 0 ? new { suggestions } : null), json);
        return ExitCodes.Error;
    }

    /// <summary>"narralytica migrations apply": the words that reached the command.</summary>
    private static string Path(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is not null; at = at.Parent)
            if (at is CommandResult c)
                names.Insert(0, c.Command.Name);
        return string.Join(" ", names);
    }

    /// <summary>Every option name and alias the command accepts, its ancestors' recursive ones (--json, --help) included.</summary>
    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        for (SymbolResult? at = result; at is not null; at = at.Parent)
            if (at is CommandResult c)
                foreach (var option in c.Command.Options.Where(o => at == result || o.Recursive))
                {
                    yield return option.Name;
                    foreach (var alias in option.Aliases)
                        yield return alias;
                }
    }
}
