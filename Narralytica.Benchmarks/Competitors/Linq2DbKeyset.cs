using System;
using LinqToDB;

namespace Narralytica.Benchmarks.Competitors;

/// <summary>
/// linq2db does not translate Guid.CompareTo, and C# has no &gt; on Guid: keyset paging over uuid keys needs
/// this one-line SQL mapping, the usual way to extend linq2db.
/// </summary>
public static class Linq2DbKeyset
{
    [Sql.Expression("{0} > {1}", ServerSideOnly = true, IsPredicate = true)]
    public static bool After(Guid id, Guid cursor) => throw new InvalidOperationException("Linq2DbKeyset.After is only for linq2db queries.");
}
