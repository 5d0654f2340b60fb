using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Database.Drift;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary><c>narralytica drift</c>: prints <see cref="SchemaDrift"/>'s comparison of the live database with schema.yaml.</summary>
public static class DriftCommand
{
    public static async Task<int> RunAsync(DatabaseOptions options, CancellationToken cancellationToken)
    {
        var expectedModel = SchemaFile.Load(options.SchemaPath);
        if (options.Target is { } deployment)
            expectedModel = expectedModel with { Target = deployment };
        await using var target = await DatabaseTarget.OpenExistingAsync(options.Connection, "drift");
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);

        var drift = await SchemaDrift.CompareAsync(connection, expectedModel);
        if (options.Json)
        {
            CliOutput.WriteJson(new
            {
                schema = drift.Schema,
                differences = drift.Differences.Select(d => new { kind = d.Kind, what = d.What }),
                sql = drift.Plan.Statements.Select(s => s.Sql),
                drift = drift.HasDrift,
            });
        }
        else if (!drift.HasDrift)
            Console.WriteLine($"No drift: schema {drift.Schema} of {target.Description} matches schema.yaml.");
        else
        {
            Console.WriteLine($"Drift: schema {drift.Schema} of {target.Description} differs from schema.yaml in {drift.Differences.Count} way(s):");
            foreach (var difference in drift.Differences)
                Console.WriteLine($"  {difference.Kind,-8} {difference.What}");
            if (drift.Plan.Statements.Count > 0)
            {
                Console.WriteLine("SQL that would bring the database to schema.yaml (review it; prefer a migration for anything you keep):");
                foreach (var statement in drift.Plan.Statements)
                    Console.WriteLine("  " + statement.Sql.Replace("\n", "\n  "));
            }
        }
        return drift.HasDrift ? ExitCodes.DifferenceFound : ExitCodes.Ok;
    }
}
