using System;

namespace Narralytica.Cli.Commands;

// The typed options each handler takes, filled in by the command line (Narralytica.Cli.CommandLine). Every one
// carries Json: the result as one JSON document on stdout.

/// <summary><c>schema sql | check | queries</c>.</summary>
public sealed record SchemaOptions(string? SchemaPath, bool Json);

/// <summary><c>migrations check | hash</c>: schema.yaml and the migrations folder.</summary>
public sealed record MigrationFolderOptions(string? SchemaPath, string? MigrationsPath, bool Json);

/// <summary><c>migrations add &lt;name&gt;</c>; <paramref name="Allow"/> is the --allow list as written.</summary>
public sealed record MigrationAddOptions(string? Name, string? Allow, string? SchemaPath, string? MigrationsPath, bool Json);

/// <summary><c>migrations script</c>: migrations after <paramref name="From"/> up to <paramref name="To"/> (null: all).</summary>
public sealed record MigrationScriptOptions(int? From, int? To, string? SchemaPath, string? MigrationsPath, bool Json);

/// <summary><c>migrations apply | status</c>, and <c>drift</c>: the folder (or schema.yaml) against a live database.</summary>
public sealed record DatabaseOptions(string? Connection, string? SchemaPath, string? MigrationsPath, bool Json, TimeSpan? LockTimeout = null);

/// <summary><c>roles create</c>; passwords default to their environment variables.</summary>
public sealed record RolesCreateOptions(string? Connection, string? OwnerPassword, string? AppPassword, bool Json);

/// <summary><c>demo</c>.</summary>
public sealed record DemoOptions(string? Connection, bool Json);
