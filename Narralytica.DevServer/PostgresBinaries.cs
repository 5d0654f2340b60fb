using System;
using System.IO;
using System.Linq;

namespace Narralytica.DevServer;

/// <summary>Finds initdb/pg_ctl: $NARRALYTICA_PG_BIN, then the newest /usr/lib/postgresql/*/bin, then PATH.</summary>
public static class PostgresBinaries
{
    public const string InstallHint =
        "Install the PostgreSQL server (Debian/Ubuntu: 'apt-get install -y postgresql'), point NARRALYTICA_PG_BIN at the folder " +
        "holding initdb and pg_ctl, or give a running server with --connection / NARRALYTICA_DATABASE (tests: NARRALYTICA_TEST_DATABASE).";

    public static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("NARRALYTICA_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            if (HasServer(configured!))
                return configured!;
            throw new InvalidOperationException($"NARRALYTICA_PG_BIN is '{configured}', but initdb and pg_ctl are not there. {InstallHint}");
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => HasServer(d.Dir))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
                return newest.Dir;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            if (dir.Length > 0 && HasServer(dir))
                return dir;

        throw new InvalidOperationException($"No PostgreSQL server binaries (initdb, pg_ctl) were found. {InstallHint}");
    }

    private static bool HasServer(string dir)
        => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));
}
