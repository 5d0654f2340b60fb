using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Database.Scratch;
using Narralytica.Schema.Model;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// PostgreSQL's check of schema.yaml's SQL for <c>schema check</c> and <c>migrations add</c>: on the server of
/// --connection (or NARRALYTICA_DATABASE), else on a throwaway one; prints each rejected fragment at its line.
/// </summary>
public static class SqlCheck
{
    public static async Task RunAsync(SchemaModel model, string schemaPath, string? connectionOption)
    {
        await using var target = await DatabaseTarget.OpenAsync(connectionOption, "narralytica_check");
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        var rejected = await SchemaSqlCheck.CheckAsync(connection, model);
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), schemaPath);
        foreach (var diagnostic in rejected)
            Console.Error.WriteLine(diagnostic.Format(relative));
        if (rejected.Count > 0)
            throw new CliError($"PostgreSQL rejects {rejected.Count} SQL fragment(s) of {relative} (above); fix them and run again. Nothing was written.",
                ErrorCodes.SchemaInvalid,
                new { diagnostics = rejected.Select(d => new { file = relative, line = d.Span.Line, column = d.Span.Column, severity = "error", id = d.Id, message = d.Message }) });
    }
}
