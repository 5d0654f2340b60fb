using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Narralytica.Cli.CommandLine;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Cli;

/// <summary>The command line explains itself: help for every command and group, the nearest word for a typo, JSON errors.</summary>
public sealed class HelpAndErrorTests
{
    public static IEnumerable<object[]> EveryCommand()
    {
        static IEnumerable<string> Walk(Command command, string path)
        {
            foreach (var sub in command.Subcommands)
            {
                yield return (path + " " + sub.Name).Trim();
                foreach (var deeper in Walk(sub, path + " " + sub.Name))
                    yield return deeper;
            }
        }
        return Walk(CommandTree.Create(), "").Select(path => new object[] { path });
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task Every_command_and_group_has_help_with_its_options_and_json(string command)
    {
        foreach (var flag in new[] { "--help", "-h" })
        {
            var (exit, output, errors) = await Infrastructure.CommandLine.RunAsync(command.Split(' ').Append(flag).ToArray());
            Assert.True(exit == 0, errors);
            Assert.Contains("Usage:", output);
            Assert.Contains("narralytica " + command, output);
            Assert.Contains("--json", output);
        }
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void The_CLI_docs_table_has_a_row_for_every_command_with_each_of_its_options(string path)
    {
        var command = path.Split(' ').Aggregate(CommandTree.Create(), (parent, name) => parent.Subcommands.Single(c => c.Name == name));
        if (command.Subcommands.Count > 0)
            return; // a group: its commands have the rows
        var rows = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, "docs", "cli.md")).Where(line => line.StartsWith("| `" + path + "`", System.StringComparison.Ordinal) || line.StartsWith("| `" + path + " ", System.StringComparison.Ordinal)).ToList();
        Assert.True(rows.Count == 1, $"docs/cli.md's commands table has {rows.Count} rows for '{path}'");
        var options = command.Options.Where(o => o.Name is not "--json" && o is not System.CommandLine.Help.HelpOption);
        foreach (var option in options)
            Assert.Contains($"`{option.Name}", rows[0].Split('|')[2]);
    }

    [Theory]
    [InlineData("migrations apply", "--lock-timeout")]
    [InlineData("drift", "--connection")]
    [InlineData("migrations add", "--allow")]
    [InlineData("roles create", "--owner-password")]
    public async Task Help_names_each_option_of_the_command(string command, string option)
    {
        var (exit, output, _) = await Infrastructure.CommandLine.RunAsync(command.Split(' ').Append("--help").ToArray());
        Assert.Equal(0, exit);
        Assert.Contains(option, output);
        (exit, var viaHelp, _) = await Infrastructure.CommandLine.RunAsync(new[] { "help" }.Concat(command.Split(' ')).ToArray());
        Assert.Equal(0, exit);
        Assert.Equal(output, viaHelp);
    }

    [Theory]
    [InlineData("migrations", "apply")]
    [InlineData("schema", "queries")]
    [InlineData("roles", "create")]
    public async Task A_group_alone_prints_its_help_and_exits_1(string group, string subcommand)
    {
        var (exit, output, errors) = await Infrastructure.CommandLine.RunAsync(group);
        Assert.Equal(1, exit);
        Assert.DoesNotContain("Unknown command", errors);
        Assert.Contains("Commands:", output);
        Assert.Contains(subcommand, output);
    }

    [Fact]
    public async Task No_arguments_prints_the_usage_and_exits_1()
    {
        var (exit, output, _) = await Infrastructure.CommandLine.RunAsync();
        Assert.Equal(1, exit);
        Assert.Contains("migrations", output);
        Assert.Contains("Exit codes:", output);
    }

    [Theory]
    [InlineData("migratons apply", "Did you mean 'narralytica migrations'?")]
    [InlineData("migrations aply", "Did you mean 'narralytica migrations apply'?")]
    [InlineData("demo --conection x", "Did you mean '--connection' instead of '--conection'?")]
    [InlineData("drift --jsno", "Did you mean '--json' instead of '--jsno'?")]
    public async Task A_typo_gets_the_nearest_command_or_option(string commandLine, string suggestion)
    {
        var (exit, _, errors) = await Infrastructure.CommandLine.RunAsync(commandLine.Split(' '));
        Assert.Equal(1, exit);
        Assert.Contains(suggestion, errors);
    }

    [Theory]
    [InlineData("migrations script --from x", "--from x: write a migration number")]
    [InlineData("migrations apply --lock-timeout forever", "--lock-timeout forever: write a duration")]
    [InlineData("schema sql --schema", "--schema")]
    public async Task A_bad_value_is_a_usage_error(string commandLine, string message)
    {
        var (exit, output, errors) = await Infrastructure.CommandLine.RunAsync(new[] { "--json" }.Concat(commandLine.Split(' ')).ToArray());
        Assert.Equal(1, exit);
        Assert.Contains(message, errors);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("usage", json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Json_errors_carry_a_code_a_message_and_the_details()
    {
        var path = Path.Combine(Path.GetTempPath(), $"broken-{System.Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, "tables:\n  tenants:\n    scope: global\n    columns:\n      name: txet\n");
        try
        {
            var (exit, output, errors) = await Infrastructure.CommandLine.RunAsync("schema", "check", "--schema", path, "--json");
            Assert.Equal(1, exit);
            Assert.Contains("error NARR1003", errors);
            using var json = JsonDocument.Parse(output);
            var error = json.RootElement.GetProperty("error");
            Assert.Equal("schema_invalid", error.GetProperty("code").GetString());
            var diagnostic = error.GetProperty("details").GetProperty("diagnostics")[0];
            Assert.Equal("NARR1003", diagnostic.GetProperty("id").GetString());
            Assert.Equal(5, diagnostic.GetProperty("line").GetInt32());
        }
        finally
        {
            File.Delete(path);
        }

        var (typoExit, typoOutput, _) = await Infrastructure.CommandLine.RunAsync("migratons", "--json");
        Assert.Equal(1, typoExit);
        using var typo = JsonDocument.Parse(typoOutput);
        Assert.Equal("narralytica migrations", typo.RootElement.GetProperty("error").GetProperty("details").GetProperty("suggestions")[0].GetString());
    }

    [Theory]
    [InlineData("schema sql", "sql")]
    [InlineData("schema check", "valid")]
    [InlineData("schema queries", "helpers")]
    [InlineData("migrations script --to 1", "migrations")]
    [InlineData("migrations check", "consistent")]
    public async Task Json_stdout_is_one_document_for_the_offline_commands(string command, string property)
    {
        var (exit, output, errors) = await Infrastructure.CommandLine.RunAsync(
            command.Split(' ').Concat(new[] { "--schema", RepositoryFiles.SchemaPath, "--json" }).ToArray());
        Assert.True(exit == 0, errors);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.TryGetProperty(property, out _), output);
    }
}
