using Narralytica.Schema.Conventions;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The SQL of the pipeline checkpoints on the checkpoints table, written from its declaration
/// (<see cref="CheckpointDeclaration"/>): the column of each role is the one schema.yaml names. Each statement runs in
/// the caller's tenant and names it ($1); a stage is (pipeline $2, stage $3). The generator writes these statements into
/// the data layer (<c>TenantScopeCheckpoints</c>), which hands them to the runtime's <c>StageCheckpoints</c>.
/// </summary>
/// <param name="Table">The checkpoints table.</param>
/// <param name="Read">The stage's position (as text), state (as text) and last advance, its row locked until the transaction ends.</param>
/// <param name="Create">A stage's first advance ($4 id, $5 position, $6 state); no row when another run created it meanwhile.</param>
/// <param name="Advance">The stage moved from $6 to position $4 and state $5; no row when it was not at $6.</param>
/// <param name="PositionMaxBytes">The position column's max_bytes, or null.</param>
/// <param name="StateMaxBytes">The state column's max_bytes, or null.</param>
public sealed record CheckpointSql(string Table, string Read, string Create, string Advance, int? PositionMaxBytes, int? StateMaxBytes)
{
    /// <summary>The statements of <paramref name="table"/>'s checkpoints; null when it holds none (or is a model read from a snapshot).</summary>
    public static CheckpointSql? For(Table table)
    {
        if (table.CheckpointColumns is not { } checkpoints)
            return null;
        string C(string role) => SqlIdentifier.Quote(checkpoints.ColumnOf(role));
        var t = SqlFragments.Name(table);
        var tenant = SqlIdentifier.Quote(TableConventions.TenantColumn);
        var id = SqlIdentifier.Quote(TableConventions.IdColumn);
        var (pipeline, stage, position, state, updatedAt) = (C(CheckpointRoles.Pipeline), C(CheckpointRoles.Stage), C(CheckpointRoles.Position), C(CheckpointRoles.State), C(CheckpointRoles.UpdatedAt));
        var theStage = $"{tenant} = $1 AND {pipeline} = $2 AND {stage} = $3";

        var read = $"SELECT {position}, {state}::text, {updatedAt} FROM {t} WHERE {theStage} FOR UPDATE";
        // Two first runs of a stage both find no row: the second's insert waits for the first's commit, then adds nothing.
        var create =
            $"INSERT INTO {t} ({tenant}, {pipeline}, {stage}, {id}, {position}, {state}, {updatedAt}) VALUES ($1, $2, $3, $4, $5, $6, now()) " +
            $"ON CONFLICT ({tenant}, {pipeline}, {stage}) DO NOTHING RETURNING {updatedAt}";
        var advance = $"UPDATE {t} SET {position} = $4, {state} = $5, {updatedAt} = now() WHERE {theStage} AND {position} = $6 RETURNING {updatedAt}";
        return new CheckpointSql(table.Name, read, create, advance,
            table.FindColumn(checkpoints.ColumnOf(CheckpointRoles.Position))?.MaxBytes,
            table.FindColumn(checkpoints.ColumnOf(CheckpointRoles.State))?.MaxBytes);
    }
}
