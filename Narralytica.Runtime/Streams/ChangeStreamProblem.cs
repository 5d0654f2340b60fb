namespace Narralytica.Runtime.Streams;

/// <summary>Why a change stream cannot run; each comes with what to do in <see cref="ChangeStreamException"/>'s message.</summary>
public enum ChangeStreamProblem
{
    /// <summary>The server's wal_level is below logical: it writes no WAL that logical decoding can read.</summary>
    WalLevelTooLow,

    /// <summary>The publication does not exist (its migration has not run, or it was dropped).</summary>
    MissingPublication,

    /// <summary>The replication slot does not exist (never created, or dropped: the changes since are gone).</summary>
    MissingSlot,

    /// <summary>A slot of that name exists already.</summary>
    SlotExists,

    /// <summary>Another connection is reading the slot.</summary>
    SlotInUse,

    /// <summary>The login may not open a replication connection (no REPLICATION attribute, or pg_hba.conf).</summary>
    NotAllowed,
}
