namespace Narralytica.Cli.Commands;

/// <summary>The <c>code</c> of a --json error object: stable words a script can branch on.</summary>
public static class ErrorCodes
{
    /// <summary>Any failure without a more precise code.</summary>
    public const string Failed = "failed";
    /// <summary>The command line itself: an unknown command or option, a missing or malformed value.</summary>
    public const string Usage = "usage";
    public const string SchemaInvalid = "schema_invalid";
    public const string SchemaNotFound = "schema_not_found";
    public const string MigrationsInvalid = "migrations_invalid";
    public const string UnsafeChange = "unsafe_change";
    public const string NoDatabase = "no_database";
    public const string InvalidConnectionString = "invalid_connection_string";
    public const string HostNotFound = "host_not_found";
    public const string ConnectionRefused = "connection_refused";
    public const string ConnectionTimeout = "connection_timeout";
    public const string AuthenticationFailed = "authentication_failed";
    public const string DatabaseNotFound = "database_not_found";
    public const string ConnectionFailed = "connection_failed";
    public const string PermissionDenied = "permission_denied";
    public const string DatabaseError = "database_error";
    public const string MigrationFailed = "migration_failed";
    public const string ServerStartFailed = "server_start_failed";
    public const string StreamUnavailable = "stream_unavailable";
    public const string Interrupted = "interrupted";
    /// <summary>A defect in narralytica itself (the stack trace is on stderr).</summary>
    public const string Internal = "internal";
}
