using System;
using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// Pairs the constraints (or indexes) of a table before and after a change. Same name: kept or
/// changed. Otherwise an old and a new object with the same definition are one object renamed
/// (a table rename renames its derived names, pk_old → pk_new); the rest are dropped or added.
/// </summary>
internal sealed class ObjectMatch<T>
{
    public List<(T Old, T New)> Changed { get; } = new();
    public List<(T Old, T New)> Renamed { get; } = new();
    public List<T> Dropped { get; } = new();
    public List<T> Added { get; } = new();

    public ObjectMatch(IEnumerable<T> before, IEnumerable<T> after, Func<T, string> name, Func<T, T, bool> sameDefinition)
    {
        var oldByName = before.ToList();
        var newList = after.ToList();
        var unmatchedOld = new List<T>();
        foreach (var old in oldByName)
        {
            var same = newList.FirstOrDefault(n => name(n) == name(old));
            if (same is null)
                unmatchedOld.Add(old);
            else if (!sameDefinition(old, same))
                Changed.Add((old, same));
        }
        var unmatchedNew = newList.Where(n => !oldByName.Any(o => name(o) == name(n))).ToList();
        foreach (var added in unmatchedNew)
        {
            var renamed = unmatchedOld.FirstOrDefault(o => sameDefinition(o, added));
            if (renamed is null)
            {
                Added.Add(added);
                continue;
            }
            unmatchedOld.Remove(renamed);
            Renamed.Add((renamed, added));
        }
        Dropped.AddRange(unmatchedOld);
    }
}

internal static class ObjectMatch
{
    public static ObjectMatch<T> Of<T>(IEnumerable<T> before, IEnumerable<T> after, Func<T, string> name, Func<T, T, bool> sameDefinition)
        => new(before, after, name, sameDefinition);
}
