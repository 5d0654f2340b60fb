using System;
using System.Collections.Generic;

namespace Narralytica.Cli.Commands;

// The typed options each handler takes, filled in by the command line (Narralytica.Cli.CommandLine). Every one
// carries Json: the result as one JSON document on stdout.

/// <summary><c>schema sql | queries</c>.</summary>
public sealed record SchemaOptions(string? SchemaPath, bool Json);

/// <summary><c>schema check</c>: schema.yaml, then its SQL on the server of <paramref name="Connection"/> (null: NARRALYTICA_DATABASE, else a throwaway one).</summary>
public sealed record SchemaCheckOptions(string? SchemaPath, string? Connection, bool Json);

/// <summary><c>schema docs</c>: written to <paramref name="Out"/> (null: docs/schema.md beside schema.yaml).</summary>
public sealed record SchemaDocsOptions(string? SchemaPath, string? Out, bool Json);

/// <summary><c>migrations hash</c>: schema.yaml and the migrations folder.</summary>
public sealed record MigrationFolderOptions(string? SchemaPath, string? MigrationsPath, bool Json);

/// <summary><c>migrations check</c>: the folder, and the snapshot rebuilt on the server of <paramref name="Connection"/> (null: NARRALYTICA_DATABASE, else a throwaway one).</summary>
public sealed record MigrationCheckOptions(string? SchemaPath, string? MigrationsPath, string? Connection, bool Json);

/// <summary><c>migrations remove</c>: the newest migration, refused when the database of <paramref name="Connection"/> has applied it.</summary>
public sealed record MigrationRemoveOptions(string? SchemaPath, string? MigrationsPath, string? Connection, bool Json);

/// <summary><c>migrations add &lt;name&gt;</c>; <paramref name="Allow"/> is the --allow list as written; SQL is checked on <paramref name="Connection"/>'s server.</summary>
public sealed record MigrationAddOptions(string? Name, string? Allow, string? SchemaPath, string? MigrationsPath, string? Connection, bool Json)
{
    /// <summary><c>--target</c>: where the database runs, over schema.yaml's <c>target:</c> (null: schema.yaml's).</summary>
    public Narralytica.Schema.Model.DeploymentTarget? Target { get; init; }
}

/// <summary><c>migrations script</c>: migrations after <paramref name="From"/> up to <paramref name="To"/> (null: all).</summary>
public sealed record MigrationScriptOptions(int? From, int? To, string? SchemaPath, string? MigrationsPath, bool Json);

/// <summary><c>migrations apply | status | baseline</c>, and <c>drift</c>: the folder (or schema.yaml) against a live database.</summary>
public sealed record DatabaseOptions(string? Connection, string? SchemaPath, string? MigrationsPath, bool Json, TimeSpan? LockTimeout = null)
{
    /// <summary><c>drift --target</c>: where the database runs, over schema.yaml's <c>target:</c> (null: schema.yaml's).</summary>
    public Narralytica.Schema.Model.DeploymentTarget? Target { get; init; }
}

/// <summary><c>roles create</c>; passwords default to their environment variables.</summary>
public sealed record RolesCreateOptions(string? Connection, string? OwnerPassword, bool Json)
{
    /// <summary><c>--login NAME=LANE</c>, as written: the member logins to create or bring to what they need.</summary>
    public IReadOnlyList<string> Logins { get; init; } = Array.Empty<string>();
    /// <summary><c>--stream-login</c>: the change streams' login (REPLICATION, a member of the readers' role only); null for none.</summary>
    public string? StreamLogin { get; init; }
    public string? StreamPassword { get; init; }
    /// <summary>The timeouts of the member logins of the lanes that serve requests and workers (<c>--statement-timeout</c>, <c>--lock-timeout</c>, <c>--idle-in-transaction-timeout</c>).</summary>
    public Narralytica.Schema.Sql.SessionTimeouts Timeouts { get; init; } = Narralytica.Schema.Sql.SessionTimeouts.RequestDefaults;
}

/// <summary><c>demo</c>.</summary>
public sealed record DemoOptions(string? Connection, bool Json);

/// <summary><c>server</c>: only the output format; the server is always a throwaway one.</summary>
public sealed record ServerOptions(bool Json);

/// <summary><c>tenant-key new</c>: the key id (null: one is made up) and how many days the database accepts it.</summary>
public sealed record TenantKeyNewOptions(string? Id, int ValidDays, bool Json);

/// <summary><c>tenant-key retire</c>.</summary>
public sealed record TenantKeyRetireOptions(string Id, bool Json);

/// <summary><c>distribute</c>: the coordinator (null: NARRALYTICA_DATABASE), schema.yaml, and whether to print the script instead.</summary>
public sealed record DistributeOptions(string? Connection, string? SchemaPath, bool Print, bool Json);
