using System;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Cli.Commands;

namespace Narralytica.Cli;

public static class Program
{
    private const string Usage = """
        narralytica — the Narralytica data layer's command line

        Commands:
          schema sql   [--schema PATH]          Print the complete DDL for schema.yaml.
          schema check [--schema PATH] [--connection CS]
                                                Validate schema.yaml and print its diagnostics, then build it in a
                                                scratch schema (rolled back) so PostgreSQL checks its SQL: checks,
                                                defaults, index predicates (a throwaway server without --connection).
          schema queries [--schema PATH]        List the queries and feeds schema.yaml declares: helper, index, SQL.
          schema docs [--schema PATH] [--out PATH]  Write docs/schema.md: ER diagram, columns, keys, indexes, policies.
          migrations add <name> [--allow KINDS] Diff the migrations' snapshot with schema.yaml and write the change as
                                                a new migration (plus narralytica.sum and the snapshot). Unsafe changes
                                                are refused unless accepted: --allow destructive,data-dependent,locking,tenancy.
                                                schema.yaml's SQL is first checked by PostgreSQL as schema check does.
          migrations script [--from N] [--to M] Print migrations N+1..M (default: all) as SQL, ready for psql.
          migrations check [--connection CS]    For CI: sum, snapshot, safety marks and schema.yaml agree, and the snapshot
                                                is what the migrations build in a scratch database (exit 2 and the
                                                pending SQL when schema.yaml has uncaptured changes).
          migrations remove [--connection CS]   Remove the last migration, restoring the sum and the snapshot to what the
                                                remaining migrations build; refused when the database given applied it.
          migrations baseline [--connection CS] Adopt a database built without the migrations (schema sql, by hand): when
                                                it matches schema.yaml, record every migration as applied; otherwise
                                                list the differences and record nothing (exit 2).
          migrations apply [--connection CS] [--json] [--lock-timeout 5s]
                                                Apply the pending migrations, each in its own transaction, recorded in
                                                narralytica_schema_history; safe with many appliers at once.
          migrations status [--connection CS] [--json]
                                                Applied and pending migrations, and whether history and files agree
                                                (exit 2 when some are pending, 1 when they disagree).
          migrations hash                       Record the migrations as they are in narralytica.sum (after a reviewed
                                                hand edit of a migration that was never applied).
            (all migrations commands: [--schema PATH] [--migrations DIR], default DIR is migrations/ next to schema.yaml;
             without --connection, NARRALYTICA_DATABASE; add, check and remove build in scratch databases on that
             server, or on a throwaway PostgreSQL when none is given)
          drift [--connection CS] [--json]      Compare the live database's catalog with schema.yaml: exit 2 with the
                                                differences (missing, extra, changed) and the SQL that reconciles them.
          roles create [--connection CS] [--owner-password P] [--app-password P]
                                                Create (or update) the LOGIN roles narralytica_owner, which runs the
                                                migrations (with BYPASSRLS when a superuser runs this), and
                                                narralytica_app, which the application connects as (not superuser,
                                                no BYPASSRLS, CREATEDB or CREATEROLE). Passwords also from
                                                NARRALYTICA_OWNER_PASSWORD and NARRALYTICA_APP_PASSWORD.
          demo [--connection CS]                Create the schema on a database (a throwaway PostgreSQL when no
                                                server is given; NARRALYTICA_DATABASE is used when set), load a
                                                sample and show tenant isolation through the generated API.
          help                                  This text.

        Exit codes: 0 nothing wrong, 1 an error, 2 a difference found.
        """;

    public static async Task<int> Main(string[] args)
    {
        try
        {
            var command = string.Join(" ", args.Take(2));
            switch (args.FirstOrDefault())
            {
                case "schema" when args.Length >= 2 && args[1] == "sql":
                    return SchemaCommands.Sql(new Arguments(args.Skip(2)));
                case "schema" when args.Length >= 2 && args[1] == "check":
                    return await SchemaCommands.CheckAsync(new Arguments(args.Skip(2)));
                case "schema" when args.Length >= 2 && args[1] == "docs":
                    return SchemaCommands.Docs(new Arguments(args.Skip(2)));
                case "schema" when args.Length >= 2 && args[1] == "queries":
                    return SchemaCommands.Queries(new Arguments(args.Skip(2)));
                case "migrations" when args.Length >= 2 && args[1] == "add":
                    return await MigrationCommands.AddAsync(new Arguments(args.Skip(2)));
                case "migrations" when args.Length >= 2 && args[1] == "script":
                    return MigrationCommands.Script(new Arguments(args.Skip(2)));
                case "migrations" when args.Length >= 2 && args[1] == "check":
                    return await MigrationCommands.CheckAsync(new Arguments(args.Skip(2)));
                case "migrations" when args.Length >= 2 && args[1] == "apply":
                    return await ApplyCommands.ApplyAsync(new Arguments(args.Skip(2)));
                case "migrations" when args.Length >= 2 && args[1] == "status":
                    return await ApplyCommands.StatusAsync(new Arguments(args.Skip(2)));
                case "drift":
                    return await DriftCommand.RunAsync(new Arguments(args.Skip(1)));
                case "migrations" when args.Length >= 2 && args[1] == "remove":
                    return await MigrationCommands.RemoveAsync(new Arguments(args.Skip(2)));
                case "migrations" when args.Length >= 2 && args[1] == "baseline":
                    return await MigrationCommands.BaselineAsync(new Arguments(args.Skip(2)));
                case "migrations" when args.Length >= 2 && args[1] == "hash":
                    return MigrationCommands.Hash(new Arguments(args.Skip(2)));
                case "roles" when args.Length >= 2 && args[1] == "create":
                    return await RolesCommand.CreateAsync(new Arguments(args.Skip(2)));
                case "demo":
                    return await DemoCommand.RunAsync(new Arguments(args.Skip(1)));
                case null or "help" or "--help" or "-h":
                    Console.WriteLine(Usage);
                    return args.Length == 0 ? ExitCodes.Error : ExitCodes.Ok;
                default:
                    Console.Error.WriteLine($"Unknown command '{command}'.\n");
                    Console.Error.WriteLine(Usage);
                    return ExitCodes.Error;
            }
        }
        catch (Exception e) when (e is CliError or Narralytica.Database.LiveSchemaException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Error;
        }
        catch (Npgsql.NpgsqlException e)
        {
            // A server-side failure no command anticipated (a missing privilege, say): still one message, exit 1.
            Console.Error.WriteLine("error: the database reported: " + e.Message);
            return ExitCodes.Error;
        }
    }
}
