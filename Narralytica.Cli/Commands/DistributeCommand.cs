using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Database.Citus;
using Narralytica.Schema.Sql.Citus;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary><c>narralytica distribute</c>: <see cref="CitusDistributor"/> on the given coordinator, one line per step; or, with --print, <see cref="CitusDistribution.Script"/>.</summary>
public static class DistributeCommand
{
    public static async Task<int> RunAsync(DistributeOptions options, CancellationToken cancellationToken)
    {
        var model = SchemaFile.Load(options.SchemaPath);
        if (options.Print)
        {
            var script = CitusDistribution.Script(model);
            if (options.Json)
                CliOutput.WriteJson(new { sql = script });
            else
                Console.Write(script);
            return ExitCodes.Ok;
        }

        await using var target = await DatabaseTarget.OpenExistingAsync(options.Connection, "distribute");
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        CliOutput.Progress($"Distributing {target.Description} on Citus:");
        try
        {
            var outcomes = await CitusDistributor.DistributeAsync(connection, model,
                o => CliOutput.Progress(o.Ran ? $"  done     {o.Description} ({o.Elapsed.TotalMilliseconds:0} ms)" : $"  skipped  {o.Description} (already done)"),
                cancellationToken);
            var ran = outcomes.Count(o => o.Ran);
            if (options.Json)
                CliOutput.WriteJson(new { steps = outcomes.Select(o => new { step = o.Description, ran = o.Ran, milliseconds = (long)o.Elapsed.TotalMilliseconds }) });
            else
                Console.WriteLine($"Distributed: {ran} step(s) run, {outcomes.Count - ran} already done.");
            return ExitCodes.Ok;
        }
        catch (DistributionException e)
        {
            throw new CliError(e.Message);
        }
    }
}
