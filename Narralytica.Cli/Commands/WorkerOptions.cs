namespace Narralytica.Cli.Commands;

/// <summary><c>narralytica worker</c>: where, with which tenant key, and how many jobs at once.</summary>
public sealed record WorkerOptions(
    string? Connection,
    string? TenantKeyId,
    int Concurrency,
    double LeaseSeconds,
    double PollSeconds,
    bool Listen,
    double DrainSeconds,
    bool Json);

/// <summary><c>narralytica worker demo</c>.</summary>
public sealed record WorkerDemoOptions(string? Connection, bool Json);
