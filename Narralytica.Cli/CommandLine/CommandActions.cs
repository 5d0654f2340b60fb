using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Cli.Commands;
using Npgsql;

namespace Narralytica.Cli.CommandLine;

/// <summary>
/// Wires a command to its handler: the parse result is bound to the handler's typed options, and whatever the
/// handler throws becomes one error message (and with --json the JSON error object), exit code 1.
/// </summary>
public static class CommandActions
{
    public static void Handle<TOptions>(this Command command, Func<ParseResult, TOptions> bind, Func<TOptions, CancellationToken, Task<int>> handler)
        => command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken, () => handler(bind(parse), cancellationToken)));

    public static void Handle<TOptions>(this Command command, Func<ParseResult, TOptions> bind, Func<TOptions, int> handler)
        => command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken, () => Task.FromResult(handler(bind(parse)))));

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<Task<int>> run)
    {
        var json = CommonOptions.Json(parse);
        using var output = CliOutput.Begin(json);
        try
        {
            return await run();
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted: the failure is the interruption's doing, and Program reports it.
            return ExitCodes.Error;
        }
        catch (CliError e)
        {
            CliOutput.WriteError(e, json);
        }
        catch (PostgresException e)
        {
            // A server-side failure no command anticipated (a missing privilege, say): still one message, exit 1.
            CliOutput.WriteError(new CliError("the database reported: " + e.Message,
                e.SqlState == PostgresErrorCodes.InsufficientPrivilege ? ErrorCodes.PermissionDenied : ErrorCodes.DatabaseError), json);
        }
        catch (NpgsqlException e)
        {
            CliOutput.WriteError(new CliError("the database connection failed: " + e.Message, ErrorCodes.DatabaseError), json);
        }
        catch (Exception e)
        {
            // A bug, not a user's mistake: the whole story for the report, and still a well-formed --json error.
            Console.Error.WriteLine(e);
            CliOutput.WriteError(new CliError("unexpected failure (details above): " + e.Message, ErrorCodes.Internal), json);
        }
        return ExitCodes.Error;
    }
}
