using System;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Migrations;

/// <summary>How the snapshot spells the few values that are not names or SQL: written and read in one place.</summary>
internal static class SnapshotVocabulary
{
    public static string OnDeleteName(OnDelete onDelete) => onDelete switch
    {
        OnDelete.Restrict => "restrict",
        OnDelete.Cascade => "cascade",
        OnDelete.SetNull => "set_null",
        OnDelete.SetDefault => "set_default",
        _ => "no_action",
    };

    public static OnDelete? ParseOnDelete(string text) => text switch
    {
        "no_action" => OnDelete.NoAction,
        "restrict" => OnDelete.Restrict,
        "cascade" => OnDelete.Cascade,
        "set_null" => OnDelete.SetNull,
        "set_default" => OnDelete.SetDefault,
        _ => null,
    };

    public static string IndexColumnText(IndexColumn column)
        => column.Name
           + (column.Descending ? " desc" : "")
           + (column.Nulls switch { NullsOrder.First => " nulls first", NullsOrder.Last => " nulls last", _ => "" });

    public static IndexColumn? ParseIndexColumn(string text)
    {
        var words = text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            return null;
        var i = 1;
        var descending = i < words.Length && words[i] == "desc";
        if (descending) i++;
        var nulls = NullsOrder.Default;
        if (i + 1 < words.Length && words[i] == "nulls")
        {
            nulls = words[i + 1] == "first" ? NullsOrder.First : words[i + 1] == "last" ? NullsOrder.Last : NullsOrder.Default;
            if (nulls == NullsOrder.Default)
                return null;
            i += 2;
        }
        return i == words.Length ? new IndexColumn(words[0], descending, nulls) : null;
    }
}
