using LinqToDB;
using Narralytica.Runtime;

namespace Acme.Notes.AnalyzerProbe;

/// <summary>Reads every tenant's notes without a tenant scope: the package's analyzers must report it (NARR4001).</summary>
public static class ReadAroundTheScope
{
    public static int CountEveryTenantsNotes(NarralyticaDb db) => db.GetTable<Note>().Count();
}
