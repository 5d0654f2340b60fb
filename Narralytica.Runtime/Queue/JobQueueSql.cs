namespace Narralytica.Runtime;

/// <summary>The registered schema's queue statements (<see cref="JobQueueStatements"/>), as the queue's code reads them.</summary>
internal static class JobQueueSql
{
    private static JobQueueStatements Declared => SchemaBindings.Current.Queue;

    public static bool IsDeclared => Declared.IsDeclared;
    public static string Table => Declared.Table;
    public static string Channel => Declared.Channel;
    public static bool HasUniqueKey => Declared.HasUniqueKey;
    public static string Enqueue => Declared.Enqueue;
    public static string EnqueueMany => Declared.EnqueueMany;
    public static string CancelQueued => Declared.CancelQueued;
    public static string Claim => Declared.Claim;
    public static string Heartbeat => Declared.Heartbeat;
    public static string Complete => Declared.Complete;
    public static string Cancel => Declared.Cancel;
    public static string Fail => Declared.Fail;
    public static string Release => Declared.Release;
    public static string CompleteMany => Declared.CompleteMany;
}
