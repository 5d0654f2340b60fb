using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace Narralytica.Runtime;

/// <summary>One row of the history table: a migration applied to this database.</summary>
public sealed record AppliedMigration(int Version, string Name, string FileName, string Checksum, string Sum, DateTimeOffset AppliedAt, int DurationMs, string AppliedBy);

/// <summary>
/// The table <c>narralytica_schema_history</c>, in the schema the migrations apply to (the first existing
/// schema of the connection's search path, read once and then named explicitly):
/// one row per applied migration, written in the migration's own transaction (or right after a
/// migration that runs outside one), so a row means the migration is complete.
/// </summary>
internal static class MigrationHistory
{
    public const string TableName = "narralytica_schema_history";

    private static string Qualified(string schema) => PgIdentifier.Quote(schema) + "." + TableName;

    private static string CreateSql(string schema) => $"""
        CREATE TABLE IF NOT EXISTS {Qualified(schema)} (
            version integer PRIMARY KEY,
            name text NOT NULL,
            file_name text NOT NULL,
            checksum text NOT NULL,
            sum text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            duration_ms integer NOT NULL,
            applied_by text NOT NULL DEFAULT current_user
        )
        """;

    public static async Task EnsureAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CreateSql(schema), connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The applied migrations, oldest first; none when the table does not exist yet.</summary>
    public static async Task<IReadOnlyList<AppliedMigration>> ReadAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        var rows = new List<AppliedMigration>();
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2)", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = schema });
            exists.Parameters.Add(new NpgsqlParameter { Value = TableName });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                return rows;
        }
        await using var command = new NpgsqlCommand(
            $"SELECT version, name, file_name, checksum, sum, applied_at, duration_ms, applied_by FROM {Qualified(schema)} ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new AppliedMigration(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt32(6), reader.GetString(7)));
        return rows;
    }

    public static async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, SchemaMigration migration, int durationMs, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {Qualified(schema)} (version, name, file_name, checksum, sum, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
        command.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = migration.FileName });
        command.Parameters.Add(new NpgsqlParameter { Value = migration.Checksum });
        command.Parameters.Add(new NpgsqlParameter { Value = migration.Sum });
        command.Parameters.Add(new NpgsqlParameter { Value = durationMs });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
