namespace Narralytica.Runtime.Streams;

/// <summary>What happened to a row.</summary>
public enum ChangeKind
{
    /// <summary>A new row.</summary>
    Insert,

    /// <summary>A row changed.</summary>
    Update,

    /// <summary>A row removed.</summary>
    Delete,
}
