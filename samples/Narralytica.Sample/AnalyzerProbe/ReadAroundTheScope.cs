using LinqToDB;
using Narralytica.Model;
using Narralytica.Runtime;

namespace Narralytica.Sample.AnalyzerProbe;

/// <summary>Reads every tenant's videos without a tenant scope: the package's analyzers must report it (NARR4001).</summary>
public static class ReadAroundTheScope
{
    public static int CountEveryTenantsVideos(NarralyticaDb db) => db.GetTable<Video>().Count();
}
