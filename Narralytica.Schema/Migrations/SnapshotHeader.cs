namespace Narralytica.Schema.Migrations;

/// <summary>
/// Which migration a snapshot was written after, and that migration's line of the sum file: the
/// two must match the folder, or the snapshot does not describe what the migrations build.
/// </summary>
public sealed record SnapshotHeader(string LastMigration, string Sum);
