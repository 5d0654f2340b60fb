namespace Narralytica.Schema.Model;

/// <summary>
/// Where the database runs (schema.yaml's top-level <c>target:</c>). It changes the SQL written for it, never what
/// schema.yaml declares: on <see cref="Citus"/>, a migration creates a new table as Citus needs it (distributed, its
/// policies in the Citus forms, its foreign keys after), and drift compares with the Citus forms.
/// </summary>
public enum DeploymentTarget
{
    /// <summary>One PostgreSQL server (the default).</summary>
    Postgres,

    /// <summary>PostgreSQL sharded by tenant_id with Citus (docs/citus.md).</summary>
    Citus,
}

/// <summary>The words of <see cref="DeploymentTarget"/> in schema.yaml and on the command line.</summary>
public static class DeploymentTargets
{
    public static DeploymentTarget? Parse(string? text) => text switch
    {
        "postgres" => DeploymentTarget.Postgres,
        "citus" => DeploymentTarget.Citus,
        _ => null,
    };

    public static string Name(DeploymentTarget target) => target == DeploymentTarget.Citus ? "citus" : "postgres";
}
