using System.CommandLine;
using Narralytica.Cli.Commands;

namespace Narralytica.Cli.CommandLine;

/// <summary><c>narralytica stream create | drop | status | demo</c>: the replication slots of change streams, and a derived system kept current by one.</summary>
public static class StreamCommandLine
{
    /// <summary>The stream schema.yaml declares; a slot may read another publication with --publication.</summary>
    public const string DefaultPublication = "search_changes";

    /// <summary>1 GiB: more WAL held back than this is worth a look.</summary>
    public const long DefaultMaxRetainedBytes = 1L << 30;

    public static Command Create()
    {
        var create = SlotCommand("create", "Create a replication slot for a stream's publication, starting at the current end of the WAL " +
                                           "(a derived system that needs a snapshot creates its own slot with it)", StreamCommands.CreateAsync, withPublication: true);
        var drop = SlotCommand("drop", "Drop a replication slot: the server releases the WAL it holds, and the changes not yet read are gone", StreamCommands.DropAsync, withPublication: false);

        var statusConnection = CommonOptions.Connection("none: a real database is required");
        var maxRetained = new Option<long>("--max-retained")
        {
            Description = $"Warn about a slot that holds back more WAL than this many bytes [default: {DefaultMaxRetainedBytes} (1 GiB)]",
            HelpName = "BYTES",
            DefaultValueFactory = _ => DefaultMaxRetainedBytes,
        };
        var status = new Command("status", "List the database's logical replication slots: active or not, lag and WAL held back (bytes), time since the last acknowledgement; " +
                                           "warn about slots over --max-retained or with lost WAL") { statusConnection, maxRetained };
        status.Handle(parse => new StreamStatusOptions(parse.GetValue(statusConnection), parse.GetValue(maxRetained), CommonOptions.Json(parse)), StreamCommands.StatusAsync);
        status.WithEpilogue("Exit codes: 0 no slot needs attention; 2 a slot is over the limit or lost WAL; 1 an error.");

        var demoConnection = CommonOptions.Connection("a throwaway PostgreSQL, removed on exit");
        var demo = new Command("demo", "Build the full-text search projection from a snapshot, follow the change stream, change a segment and show the search answer change")
            { demoConnection };
        demo.Handle(parse => new StreamDemoOptions(parse.GetValue(demoConnection), CommonOptions.Json(parse)), StreamDemoCommand.RunAsync);
        demo.WithEpilogue("On a given server the demo works in a database of its own (it needs CREATEDB and a login with REPLICATION) and drops it, and its slot, afterwards.");

        return HelpText.Group("stream", "Change streams: the replication slots derived systems read (logical replication)", create, drop, status, demo);
    }

    private static Command SlotCommand(string name, string description, System.Func<StreamSlotOptions, System.Threading.CancellationToken, System.Threading.Tasks.Task<int>> handler, bool withPublication)
    {
        var connection = CommonOptions.Connection("none: a real database is required");
        var slot = new Option<string>("--slot") { Description = "The replication slot's name", HelpName = "NAME", Required = true };
        var publication = new Option<string>("--publication")
        {
            Description = $"The publication the slot's stream reads [default: {DefaultPublication}]",
            HelpName = "NAME",
            DefaultValueFactory = _ => DefaultPublication,
        };
        var command = new Command(name, description) { connection, slot };
        if (withPublication)
            command.Options.Add(publication);
        command.Handle(parse => new StreamSlotOptions(parse.GetValue(connection), parse.GetValue(slot)!,
            withPublication ? parse.GetValue(publication)! : DefaultPublication, CommonOptions.Json(parse)), handler);
        return command;
    }
}
