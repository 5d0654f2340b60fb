using System;
using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Schema.Model;

/// <summary>
/// The privileges a role holds on a table, as PostgreSQL names them. The data layer needs at most
/// the first four; the others are here so that a live database holding one of them shows as drift.
/// </summary>
[Flags]
public enum TablePrivileges
{
    None = 0,
    Select = 1,
    Insert = 2,
    Update = 4,
    Delete = 8,
    Truncate = 16,
    References = 32,
    Trigger = 64,
}

/// <summary>How privileges are spelled in SQL and in the snapshot, and which ones a table gets.</summary>
public static class TablePrivilegeNames
{
    private static readonly TablePrivileges[] InSqlOrder =
    {
        TablePrivileges.Select, TablePrivileges.Insert, TablePrivileges.Update, TablePrivileges.Delete,
        TablePrivileges.Truncate, TablePrivileges.References, TablePrivileges.Trigger,
    };

    /// <summary>
    /// What the application role gets on a table: reads and inserts everywhere; updates and deletes
    /// only where rows may change, so an append-only table is append-only in the database too.
    /// </summary>
    public static TablePrivileges ForApplication(bool appendOnly)
        => appendOnly
            ? TablePrivileges.Select | TablePrivileges.Insert
            : TablePrivileges.Select | TablePrivileges.Insert | TablePrivileges.Update | TablePrivileges.Delete;

    /// <summary>The privileges set in <paramref name="privileges"/>, as SQL keywords in PostgreSQL's order: SELECT, INSERT, …</summary>
    public static IReadOnlyList<string> Keywords(TablePrivileges privileges)
        => InSqlOrder.Where(p => (privileges & p) != 0).Select(p => p.ToString().ToUpperInvariant()).ToList();

    /// <summary>One privilege from its SQL keyword (any case), or null for a word that is not one.</summary>
    public static TablePrivileges? Parse(string keyword)
    {
        foreach (var privilege in InSqlOrder)
            if (string.Equals(privilege.ToString(), keyword, StringComparison.OrdinalIgnoreCase))
                return privilege;
        return null;
    }
}
