using System.Collections.Generic;
using System.Linq;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Migrations;

namespace Narralytica.Database.Migrations;

/// <summary>Migration files as the data layer's migrator applies them, with their chained sums, once the folder is verified.</summary>
public static class SchemaMigrations
{
    /// <summary>Refuses a folder whose files, sum or snapshot disagree (<see cref="MigrationSet.Verify"/>), listing why.</summary>
    public static void EnsureVerified(MigrationSet set)
    {
        var problems = set.Verify();
        if (problems.Count > 0)
            throw new LiveSchemaException("the migrations folder has problems; fix them first (narralytica migrations check):\n" +
                                          string.Join("\n", problems.Select(p => $"  {p.File}{(p.Line is { } line ? $"({line})" : "")}: {p.Rule.Id}: {p.Message}")));
    }

    public static IReadOnlyList<SchemaMigration> From(IReadOnlyList<MigrationFile> migrations)
    {
        var sums = MigrationSum.Compute(migrations);
        return migrations.Select((m, i) => new SchemaMigration(m.Version, m.Name, m.FileName, m.Checksum, sums[i].Hash, m.Transactional, m.Text,
            m.Statements.Select(s => new SchemaMigrationStatement(s.Line, s.Sql)).ToList()) { Amends = m.Amends.Select(a => a.Checksum).ToList() }).ToList();
    }
}
