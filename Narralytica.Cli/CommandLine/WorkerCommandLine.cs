using System.CommandLine;
using Narralytica.Cli.Commands;

namespace Narralytica.Cli.CommandLine;

/// <summary><c>narralytica worker [demo]</c>: run the sample handlers on a database's job queue, or watch a demo of the queue.</summary>
public static class WorkerCommandLine
{
    public static Command Create()
    {
        var connection = CommonOptions.Connection("none: a real database is required");
        var keyId = new Option<string?>("--tenant-key-id")
        {
            Description = $"The id of the tenant key the workers sign their jobs' tenants with [default: {WorkerCommand.KeyIdVariable}]; its secret is read from {WorkerCommand.KeySecretVariable}",
            HelpName = "ID",
        };
        var concurrency = new Option<int>("--concurrency") { Description = "How many jobs run at once [default: 4]", HelpName = "N", DefaultValueFactory = _ => 4 };
        var lease = new Option<double>("--lease") { Description = "Seconds a claim holds a job without a heartbeat; a killed worker's jobs run again after it [default: 30]", HelpName = "SECONDS", DefaultValueFactory = _ => 30 };
        var poll = new Option<double>("--poll") { Description = "Seconds an idle worker waits before looking again when no notification came [default: 1]", HelpName = "SECONDS", DefaultValueFactory = _ => 1 };
        var noListen = new Option<bool>("--no-listen") { Description = "Do not LISTEN for enqueues: find work by polling only" };
        var drain = new Option<double>("--drain") { Description = "On Ctrl-C, seconds running jobs get to finish before they are released [default: 2]", HelpName = "SECONDS", DefaultValueFactory = _ => 2 };

        var demoConnection = CommonOptions.Connection("a throwaway PostgreSQL, removed on exit");
        var demo = new Command("demo", "Enqueue a big backlog for one tenant and a few jobs for another, run two workers, and show fairness across tenants and a retried job")
            { demoConnection };
        demo.Handle(parse => new WorkerDemoOptions(parse.GetValue(demoConnection), CommonOptions.Json(parse)), WorkerDemoCommand.RunAsync);
        demo.WithEpilogue("On a given server the demo works in a database of its own (it needs CREATEDB) and drops it afterwards.");

        var worker = new Command("worker", "Run a pool of the sample job handlers (sample.note, sample.sleep, sample.flaky) on a database's queue, with live counts; Ctrl-C drains and stops")
            { connection, keyId, concurrency, lease, poll, noListen, drain, demo };
        worker.Handle(parse => new WorkerOptions(parse.GetValue(connection), parse.GetValue(keyId), parse.GetValue(concurrency), parse.GetValue(lease),
            parse.GetValue(poll), !parse.GetValue(noListen), parse.GetValue(drain), CommonOptions.Json(parse)), WorkerCommand.RunAsync);
        worker.WithEpilogue("Connect as a login that is a member of narralytica_worker. A worker killed outright leaves its jobs to run again once their lease expires.\n" +
                            "Exit codes: 0 stopped after draining; 1 an error; 130 interrupted (Ctrl-C), after draining.");
        return worker;
    }
}
