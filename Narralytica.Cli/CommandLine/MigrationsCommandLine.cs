using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using Narralytica.Cli.Commands;

namespace Narralytica.Cli.CommandLine;

/// <summary><c>narralytica migrations …</c>: write, print, check and record migrations; apply them and see their status.</summary>
public static class MigrationsCommandLine
{
    private const string ConnectionFallback = "none: a real database is required";
    private const string ScratchFallback = "a throwaway PostgreSQL, removed on exit";

    public static Command Create() => HelpText.Group("migrations", "Versioned migrations: diffs of schema.yaml, reviewed and applied in order",
        Add(), Script(), Check(), Remove(), Apply(), Status(), Baseline(), Hash());

    private static Command Add()
    {
        var name = new Argument<string?>("name") { Description = "The migration's name, e.g. add_video_language (letters, digits and _)", Arity = ArgumentArity.ZeroOrOne };
        var allow = new Option<string?>("--allow")
        {
            Description = "Accept unsafe kinds of change, comma-separated: destructive, data-dependent, locking, tenancy",
            HelpName = "KINDS",
        };
        var (schema, migrations, connection) = (CommonOptions.Schema(), CommonOptions.Migrations(), CommonOptions.Connection(ScratchFallback));
        var command = new Command("add", "Diff the snapshot with schema.yaml and write the change as new migration file(s), narralytica.sum and the snapshot; " +
                                         "an unsafe change is refused unless --allow accepts its kind, and SQL PostgreSQL rejects (checked in a scratch schema) is never written")
            { name, allow, schema, migrations, connection };
        var target = TargetOption.Create("the new migration's SQL");
        command.Options.Add(target);
        command.Handle(parse => new MigrationAddOptions(parse.GetValue(name), parse.GetValue(allow), parse.GetValue(schema), parse.GetValue(migrations),
            parse.GetValue(connection), CommonOptions.Json(parse)) { Target = TargetOption.Value(parse, target) }, MigrationCommands.AddAsync);
        return command;
    }

    private static Command Script()
    {
        var from = Version("--from", "The version the database is at (0 for an empty one) [default: 0]", "N");
        var to = Version("--to", "The last migration to include [default: the newest]", "M");
        var (schema, migrations) = (CommonOptions.Schema(), CommonOptions.Migrations());
        var command = new Command("script", "Print migrations N+1..M as SQL for psql, each transactional one inside BEGIN; … COMMIT;")
            { from, to, schema, migrations };
        command.Handle(parse => new MigrationScriptOptions(parse.GetValue(from), parse.GetValue(to), parse.GetValue(schema), parse.GetValue(migrations),
            CommonOptions.Json(parse)), MigrationCommands.Script);
        return command;
    }

    private static Command Check()
    {
        var (schema, migrations, connection) = (CommonOptions.Schema(), CommonOptions.Migrations(), CommonOptions.Connection(ScratchFallback));
        var command = new Command("check", "For CI: the sum matches the files, the snapshot is what the migrations build (in a scratch database), every unsafe " +
                                           "statement carries its acceptance, and schema.yaml has no uncaptured change")
            { schema, migrations, connection };
        command.Handle(parse => new MigrationCheckOptions(parse.GetValue(schema), parse.GetValue(migrations), parse.GetValue(connection), CommonOptions.Json(parse)),
            MigrationCommands.CheckAsync);
        return command.WithEpilogue("Exit codes: 0 consistent; 1 a problem in the folder; 2 schema.yaml has changes no migration captures (the pending SQL on stdout).");
    }

    private static Command Remove()
    {
        var (schema, migrations, connection) = (CommonOptions.Schema(), CommonOptions.Migrations(), CommonOptions.Connection(ScratchFallback + "; no database is checked for having applied it"));
        var command = new Command("remove", "Remove the newest migration, restoring narralytica.sum and the snapshot to what the remaining migrations build; " +
                                            "refused when the database given has applied it. schema.yaml is left as it is")
            { schema, migrations, connection };
        command.Handle(parse => new MigrationRemoveOptions(parse.GetValue(schema), parse.GetValue(migrations), parse.GetValue(connection), CommonOptions.Json(parse)),
            MigrationCommands.RemoveAsync);
        return command;
    }

    private static Command Baseline() => DatabaseCommand("baseline",
            "Adopt a database built without the migrations (schema sql, by hand): when it matches schema.yaml, record every migration as applied; " +
            "otherwise list the differences and record nothing",
            MigrationCommands.BaselineAsync)
        .WithEpilogue("Exit codes: 0 adopted; 2 the database differs from schema.yaml (nothing recorded); 1 an error.");

    private static Command Hash() => FolderCommand("hash",
        "Record the migrations as they are in narralytica.sum and the snapshot header (after a reviewed hand edit of a migration never applied anywhere)",
        MigrationCommands.Hash);

    private static Command Apply()
    {
        var lockTimeout = new Option<TimeSpan?>("--lock-timeout")
        {
            Description = "How long each statement may wait for a lock before the migration fails: 500ms, 5s, 2m [default: the server's]",
            HelpName = "DURATION",
            CustomParser = result => Parse<TimeSpan?>(result, ApplyCommands.ParseLockTimeout),
        };
        var command = DatabaseCommand("apply",
            "Apply the pending migrations, each in its own transaction, recorded in narralytica_schema_history; safe with many appliers at once",
            ApplyCommands.ApplyAsync, lockTimeout);
        return command.WithEpilogue("Exit codes: 0 applied or up to date; 1 a failure (nothing of the failed migration is kept).");
    }

    private static Command Status() => DatabaseCommand("status",
            "List applied migrations (when, by whom, how long) and pending ones, and any disagreement between history and files",
            ApplyCommands.StatusAsync)
        .WithEpilogue("Exit codes: 0 up to date; 2 migrations are pending; 1 history and files disagree.");

    private static Command FolderCommand(string name, string description, Func<MigrationFolderOptions, int> handler)
    {
        var (schema, migrations) = (CommonOptions.Schema(), CommonOptions.Migrations());
        var command = new Command(name, description) { schema, migrations };
        command.Handle(parse => new MigrationFolderOptions(parse.GetValue(schema), parse.GetValue(migrations), CommonOptions.Json(parse)), handler);
        return command;
    }

    private static Command DatabaseCommand(string name, string description, Func<DatabaseOptions, System.Threading.CancellationToken, System.Threading.Tasks.Task<int>> handler,
        Option<TimeSpan?>? lockTimeout = null)
    {
        var (connection, schema, migrations) = (CommonOptions.Connection(ConnectionFallback), CommonOptions.Schema(), CommonOptions.Migrations());
        var command = new Command(name, description) { connection, schema, migrations };
        if (lockTimeout is not null)
            command.Options.Add(lockTimeout);
        command.Handle(parse => new DatabaseOptions(parse.GetValue(connection), parse.GetValue(schema), parse.GetValue(migrations), CommonOptions.Json(parse),
            lockTimeout is null ? null : parse.GetValue(lockTimeout)), handler);
        return command;
    }

    /// <summary>A migration number, 3 or 0003.</summary>
    private static Option<int?> Version(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result => Parse<int?>(result, text => int.TryParse(text, out var version) && version >= 0
            ? version
            : throw new CliError($"{name} {text}: write a migration number, such as 3 or 0003.", ErrorCodes.Usage)),
    };

    /// <summary>An option's value through a parser that throws <see cref="CliError"/>, its message becoming the parse error.</summary>
    private static T? Parse<T>(ArgumentResult result, Func<string, T?> parse)
    {
        try
        {
            return parse(result.Tokens.Count > 0 ? result.Tokens[0].Value : "");
        }
        catch (CliError e)
        {
            result.AddError(e.Message);
            return default;
        }
    }
}
