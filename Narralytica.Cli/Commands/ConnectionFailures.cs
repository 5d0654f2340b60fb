using System;
using System.Net.Sockets;
using Npgsql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// Turns a failed connection into what went wrong and what to do about it: an unknown host, nothing listening,
/// no answer, a refused login, a database that does not exist, or a server not accepting connections yet.
/// </summary>
public static class ConnectionFailures
{
    public static CliError Describe(Exception failure, NpgsqlConnectionStringBuilder target, string source)
    {
        var where = $"{target.Host}:{target.Port}";
        if (Find<PostgresException>(failure) is { } server)
            return server.SqlState switch
            {
                PostgresErrorCodes.InvalidCatalogName => new CliError(
                    $"The database '{Database(target)}' does not exist on {where} (named by {source}). Create it (createdb {Database(target)}, " +
                    $"or CREATE DATABASE {Database(target)}), or name an existing one with Database=.", ErrorCodes.DatabaseNotFound),
                PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => new CliError(
                    $"{where} refused the login of user '{target.Username}' (named by {source}): {server.MessageText}. " +
                    "Check Username= and Password= in the connection string, or the server's pg_hba.conf.", ErrorCodes.AuthenticationFailed),
                PostgresErrorCodes.CannotConnectNow => new CliError(
                    $"The server on {where} (named by {source}) is not accepting connections yet: {server.MessageText}. Wait until it has started, then run again.", ErrorCodes.ConnectionFailed),
                PostgresErrorCodes.TooManyConnections => new CliError(
                    $"The server on {where} (named by {source}) has no free connection slot: {server.MessageText}. Close other sessions or raise max_connections.", ErrorCodes.ConnectionFailed),
                _ => new CliError($"The server on {where} (named by {source}) refused the connection: {server.MessageText} (SQLSTATE {server.SqlState}).", ErrorCodes.ConnectionFailed),
            };
        if (Find<SocketException>(failure) is { } socket)
            return socket.SocketErrorCode switch
            {
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => new CliError(
                    $"The host '{target.Host}' (named by {source}) could not be found: the name does not resolve. Check Host= in the connection string.", ErrorCodes.HostNotFound),
                SocketError.ConnectionRefused => new CliError(
                    $"Nothing accepts connections on {where} (named by {source}): the connection was refused. Start PostgreSQL there, or correct Host= and Port=.", ErrorCodes.ConnectionRefused),
                SocketError.TimedOut => TimedOut(target, source),
                _ => new CliError($"Could not reach {where} (named by {source}): {socket.Message}. Check Host= and Port=, and that the network allows it.", ErrorCodes.ConnectionFailed),
            };
        if (Find<TimeoutException>(failure) is not null)
            return TimedOut(target, source);
        // Npgsql's own refusals carry no SQLSTATE, e.g. a server asking for a password the string lacks.
        if (failure.Message.Contains("password", StringComparison.OrdinalIgnoreCase))
            return new CliError($"{where} asks user '{target.Username}' (named by {source}) for a password: {failure.Message}. Add Password= to the connection string.", ErrorCodes.AuthenticationFailed);
        return new CliError($"Could not connect to {where}, database {Database(target)} (named by {source}): {failure.Message}.", ErrorCodes.ConnectionFailed);
    }

    /// <summary>A connection string Npgsql cannot read, with what it objected to.</summary>
    public static CliError Malformed(ArgumentException failure, string source)
        => new($"{source} is not a valid connection string ({failure.Message}). Write it as 'Host=localhost;Port=5432;Database=app;Username=app;Password=…'.",
            ErrorCodes.InvalidConnectionString);

    private static CliError TimedOut(NpgsqlConnectionStringBuilder target, string source)
        => new($"No answer from {target.Host}:{target.Port} (named by {source}) within {target.Timeout} s. Check that the host is up and the port open, or raise Timeout= in the connection string.",
            ErrorCodes.ConnectionTimeout);

    /// <summary>The database the connection asks for: Database=, else PostgreSQL's default, the user's name.</summary>
    private static string? Database(NpgsqlConnectionStringBuilder target) => target.Database ?? target.Username;

    private static T? Find<T>(Exception? failure) where T : Exception
    {
        for (; failure is not null; failure = failure.InnerException)
            if (failure is T match)
                return match;
        return null;
    }
}
