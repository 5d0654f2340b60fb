namespace Narralytica.Generator;

/// <summary>Names of the pipeline steps, so tests can assert each one is cached after an unrelated edit.</summary>
public static class TrackingNames
{
    public const string SchemaFiles = nameof(SchemaFiles);
    public const string CompiledSchema = nameof(CompiledSchema);
    public const string Settings = nameof(Settings);
    public const string Model = nameof(Model);
    public const string Entities = nameof(Entities);
    public const string Migrations = nameof(Migrations);
    public const string PendingChanges = nameof(PendingChanges);
    public const string Queue = nameof(Queue);
    public const string Checkpoints = nameof(Checkpoints);
}
