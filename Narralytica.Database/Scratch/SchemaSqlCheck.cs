using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Database.Drift;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Npgsql;
using Index = Narralytica.Schema.Model.Index;

namespace Narralytica.Database.Scratch;

/// <summary>
/// Has PostgreSQL itself check the SQL that schema.yaml holds (checks, defaults, index predicates) by building the
/// schema in a scratch schema inside a transaction that is rolled back: nothing is kept. The compiler checks the
/// language offline; only the server knows whether <c>score betwen 1 and 5</c> parses or <c>five</c> is a smallint.
/// When the build fails, each fragment is tried on its own, so every error is reported at its schema.yaml line.
/// </summary>
public static class SchemaSqlCheck
{
    /// <summary>The fragments PostgreSQL rejects, each at its line (NARR1040); empty when the whole schema builds.</summary>
    public static async Task<IReadOnlyList<SchemaDiagnostic>> CheckAsync(NpgsqlConnection connection, SchemaModel model, CancellationToken cancellationToken = default)
    {
        var buildable = SchemaDrift.WithoutGrants(model);
        var scratch = "narralytica_check_" + Guid.NewGuid().ToString("N").Substring(0, 12);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, transaction, $"CREATE SCHEMA {scratch}", cancellationToken);
            await ExecuteAsync(connection, transaction, $"SET LOCAL search_path TO {scratch}", cancellationToken);
            var whole = await TryAsync(connection, transaction, DdlEmitter.Statements(buildable), cancellationToken);
            if (whole is null)
                return Array.Empty<SchemaDiagnostic>();

            // The structure alone (types, keys, references) is the data layer's own SQL; then each fragment of schema.yaml on it.
            var bare = buildable with
            {
                Tables = buildable.Tables.Select(t => t with
                {
                    Columns = t.Columns.Select(c => c with { Default = null }).ToEquatableArray(),
                    Checks = EquatableArray<CheckConstraint>.Empty,
                    Indexes = EquatableArray<Index>.Empty,
                }).ToEquatableArray(),
            };
            if (await TryAsync(connection, transaction, DdlEmitter.Statements(bare), cancellationToken) is { } structural)
                return new[] { Rejected(new SourceSpan(1, 1), "the schema", structural) };
            var found = new List<SchemaDiagnostic>();
            foreach (var table in buildable.Tables)
            {
                var name = SqlFragments.Name(table);
                foreach (var column in table.Columns.Where(c => c.Default is not null))
                    if (await TryAsync(connection, transaction, new[] { $"ALTER TABLE {name} ALTER COLUMN {SqlIdentifier.Quote(column.Name)} SET DEFAULT {column.Default}" }, cancellationToken) is { } error)
                        found.Add(Rejected(column.Span, $"the default of {table.Name}.{column.Name} ({column.Default})", error));
                foreach (var check in table.Checks)
                    if (await TryAsync(connection, transaction, new[] { $"ALTER TABLE {name} ADD {SqlFragments.Check(check)}" }, cancellationToken) is { } error)
                        found.Add(Rejected(check.Span, $"check {check.Name} on {table.Name} ({check.Expression})", error));
                foreach (var index in table.Indexes)
                    if (await TryAsync(connection, transaction, new[] { SqlFragments.CreateIndex(table, index) }, cancellationToken) is { } error)
                        found.Add(Rejected(index.Span, $"index {index.Name} on {table.Name}{(index.Where is null ? "" : $" (where {index.Where})")}", error));
            }
            // Every fragment builds alone but not all together (two fragments that clash): the whole build's error, at the top.
            return found.Count > 0 ? found : new[] { Rejected(new SourceSpan(1, 1), "the schema", whole) };
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new LiveSchemaException($"checking schema.yaml's SQL builds it in a scratch schema inside a transaction that is rolled back, which needs the CREATE privilege on the database: {e.MessageText}. " +
                                          "Connect as a user that may create schemas (nothing is kept), or leave out the connection to use a throwaway server.");
        }
        finally
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
    }

    private static SchemaDiagnostic Rejected(SourceSpan span, string what, PostgresException error)
        => DiagnosticCatalog.RejectedByPostgres.At(span,
            $"PostgreSQL rejects {what}: {error.MessageText} (SQLSTATE {error.SqlState}). Write SQL that PostgreSQL accepts for the column's type; " +
            "`narralytica schema sql` prints the DDL it was given");

    /// <summary>Runs the statements under a savepoint: null when they all ran, else the first error (and the savepoint undone).</summary>
    private static async Task<PostgresException?> TryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync("fragment", cancellationToken);
        try
        {
            foreach (var statement in statements)
                await ExecuteAsync(connection, transaction, statement, cancellationToken);
            await transaction.ReleaseAsync("fragment", cancellationToken);
            return null;
        }
        catch (PostgresException e) when (e.SqlState != PostgresErrorCodes.InsufficientPrivilege)
        {
            await transaction.RollbackAsync("fragment", cancellationToken);
            return e;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
