using System;
using System.Collections.Generic;
using NpgsqlTypes;

namespace Narralytica.Runtime.Streams;

/// <summary>How the changes of one published table become typed events; the generated <c>NarralyticaStreams</c> holds one per table.</summary>
public abstract class StreamTableDecoder
{
    /// <summary>The decoder of <paramref name="table"/>.</summary>
    protected StreamTableDecoder(string table, bool isTenantScoped)
    {
        Table = table;
        IsTenantScoped = isTenantScoped;
    }

    /// <summary>The table, as schema.yaml names it.</summary>
    public string Table { get; }

    /// <summary>Whether its rows carry a tenant_id.</summary>
    public bool IsTenantScoped { get; }

    /// <summary>The event of one change; <paramref name="newRow"/> is null for a delete, <paramref name="oldKey"/> unless the key was sent.</summary>
    internal abstract RowChange Decode(ChangeKind kind, StreamRowValues? newRow, StreamRowValues? oldKey, NpgsqlLogSequenceNumber commitLsn, DateTimeOffset commitTime);

    internal Guid? TenantOf(StreamRowValues? newRow, StreamRowValues? oldKey)
        => IsTenantScoped ? (newRow ?? oldKey)?.Get<Guid?>("tenant_id") : null;
}

/// <summary>The decoder of a table whose entity is <typeparamref name="TRow"/>.</summary>
public sealed class StreamTableDecoder<TRow> : StreamTableDecoder where TRow : class
{
    private readonly Func<StreamRowValues, TRow> _read;

    /// <summary>The decoder of <paramref name="table"/>: <paramref name="read"/> fills an entity from a row's values.</summary>
    public StreamTableDecoder(string table, bool isTenantScoped, Func<StreamRowValues, TRow> read) : base(table, isTenantScoped) => _read = read;

    internal override RowChange Decode(ChangeKind kind, StreamRowValues? newRow, StreamRowValues? oldKey, NpgsqlLogSequenceNumber commitLsn, DateTimeOffset commitTime)
    {
        var old = oldKey is null ? null : _read(oldKey);
        var row = newRow is null ? old! : _read(newRow);
        IReadOnlyCollection<string> unchanged = newRow?.Unchanged ?? Array.Empty<string>();
        return new RowChange<TRow>(kind, Table, TenantOf(newRow, oldKey), row, old, unchanged, commitLsn, commitTime);
    }
}
