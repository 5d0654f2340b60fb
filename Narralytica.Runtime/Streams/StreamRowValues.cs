using System;
using System.Collections.Generic;

namespace Narralytica.Runtime.Streams;

/// <summary>
/// One row as pgoutput sends it: each column's value in PostgreSQL's text form, null, or left out because an update did
/// not change it (TOAST). The generated decoders read each property with <see cref="Get{T}"/>.
/// </summary>
public sealed class StreamRowValues
{
    private readonly Dictionary<string, string?> _values;
    private readonly HashSet<string> _unchanged;

    internal StreamRowValues(Dictionary<string, string?> values, HashSet<string> unchanged)
    {
        _values = values;
        _unchanged = unchanged;
    }

    /// <summary>The columns an update did not send (their values are unchanged).</summary>
    public IReadOnlyCollection<string> Unchanged => _unchanged;

    /// <summary>The column's text as sent, or null (NULL, unchanged, or not in this row).</summary>
    public string? Text(string column) => _values.TryGetValue(column, out var text) ? text : null;

    /// <summary>The column's value as <typeparamref name="T"/>; the type's default when it is NULL, unchanged or absent.</summary>
    public T Get<T>(string column) => Text(column) is { } text ? PgText.Parse<T>(text, column) : default!;
}
