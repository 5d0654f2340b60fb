using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Database.Drift;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Model;
using Npgsql;

namespace Narralytica.Database.Migrations;

/// <param name="Folder">The migrations folder as read; its snapshot must equal <paramref name="Schema"/>.</param>
/// <param name="Schema">schema.yaml, compiled.</param>
/// <param name="Database">The database to adopt (its current schema).</param>
public sealed record MigrationBaselineOptions(MigrationSet Folder, SchemaModel Schema, string Database);

/// <summary>The comparison made, and the migrations recorded as applied: none when the database differs from schema.yaml.</summary>
public sealed record MigrationBaselineResult(DriftReport Drift, IReadOnlyList<SchemaMigration> Recorded)
{
    public bool Adopted => !Drift.HasDrift;
}

/// <summary>
/// <c>migrations baseline</c>: adopts a database built without the migrations (<c>schema sql</c>, by hand), so
/// later migrations apply to it. It is compared with schema.yaml as <see cref="SchemaDrift"/> compares; any
/// difference refuses the baseline and is reported. When they match, every migration is recorded as applied
/// (<see cref="SchemaMigrator.BaselineAsync"/>): the migrations build schema.yaml (their snapshot equals it), and the
/// database is schema.yaml, so the history tells the truth.
/// </summary>
public static class MigrationBaseline
{
    public static async Task<MigrationBaselineResult> RunAsync(MigrationBaselineOptions options, CancellationToken cancellationToken = default)
    {
        var set = options.Folder;
        if (set.Migrations.Count == 0)
            throw new LiveSchemaException("there are no migrations to record; write the first with narralytica migrations add.");
        SchemaMigrations.EnsureVerified(set);
        var (snapshot, _) = set.ReadSnapshot();
        var uncaptured = SchemaDiffer.Diff(snapshot, options.Schema);
        if (!uncaptured.IsEmpty)
            throw new LiveSchemaException("schema.yaml has changes no migration captures, so recording the migrations would not describe it: " +
                                          string.Join("; ", uncaptured.Changes.Select(c => c.Description)) + ". Run narralytica migrations add first, then the baseline.");

        DriftReport drift;
        await using (var connection = new NpgsqlConnection(options.Database))
        {
            await connection.OpenAsync(cancellationToken);
            drift = await SchemaDrift.CompareAsync(connection, options.Schema);
        }
        if (drift.HasDrift)
            return new MigrationBaselineResult(drift, Array.Empty<SchemaMigration>());
        await using var dataSource = NpgsqlDataSource.Create(options.Database);
        try
        {
            var recorded = await new SchemaMigrator(dataSource, SchemaMigrations.From(set.Migrations)).BaselineAsync(cancellationToken);
            return new MigrationBaselineResult(drift, recorded);
        }
        catch (InvalidOperationException e)
        {
            throw new LiveSchemaException(e.Message);
        }
    }
}
