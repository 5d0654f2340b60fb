namespace Narralytica.Cli.Commands;

/// <summary><c>stream create | drop</c>: a slot of the stream reading <paramref name="Publication"/>.</summary>
public sealed record StreamSlotOptions(string? Connection, string Slot, string Publication, bool Json);

/// <summary><c>stream status</c>: warns about a slot holding back more than <paramref name="MaxRetainedBytes"/> of WAL.</summary>
public sealed record StreamStatusOptions(string? Connection, long MaxRetainedBytes, bool Json);

/// <summary><c>stream demo</c>.</summary>
public sealed record StreamDemoOptions(string? Connection, bool Json);
