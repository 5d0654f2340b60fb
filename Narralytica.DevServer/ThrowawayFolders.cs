using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;

namespace Narralytica.DevServer;

/// <summary>
/// Where throwaway clusters live: <c>$TMPDIR/narralytica-pg-&lt;pid&gt;-&lt;start&gt;-&lt;random&gt;</c>, named after the
/// process that owns the cluster (its id and start time, so a recycled id is not mistaken for the owner). A folder
/// whose owner is gone was left by a killed run (SIGKILL, a crash, a power cut): the next start stops its server and
/// removes it. The name is the marker, so there is no window in which a live folder looks ownerless.
/// </summary>
public static class ThrowawayFolders
{
    private const string Prefix = "narralytica-pg-";
    private static readonly Regex Name = new(@"^narralytica-pg-(?<pid>\d+)-(?<start>\d+)-[0-9a-f]+$", RegexOptions.CultureInvariant);

    /// <summary>A new folder name owned by this process.</summary>
    public static string NewFolder()
    {
        using var self = Process.GetCurrentProcess();
        var name = $"{Prefix}{self.Id}-{StartSeconds(self)}-{Guid.NewGuid().ToString("N").Substring(0, 8)}";
        return Path.Combine(Path.GetTempPath(), name);
    }

    /// <summary>Throwaway folders in the temporary folder whose owning process no longer runs.</summary>
    public static IReadOnlyList<(string Folder, int OwnerPid)> Stale()
    {
        var stale = new List<(string, int)>();
        string[] folders;
        try
        {
            folders = Directory.GetDirectories(Path.GetTempPath(), Prefix + "*");
        }
        catch (IOException)
        {
            return stale;
        }
        foreach (var folder in folders)
        {
            var match = Name.Match(Path.GetFileName(folder));
            if (!match.Success)
                continue; // not ours to judge (another tool's, or another version's naming)
            var pid = int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture);
            var start = long.Parse(match.Groups["start"].Value, CultureInfo.InvariantCulture);
            if (!IsRunning(pid, start))
                stale.Add((folder, pid));
        }
        return stale;
    }

    /// <summary>True when <paramref name="pid"/> runs and started when the folder name says (a recycled id started later).</summary>
    private static bool IsRunning(int pid, long startSeconds)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && Math.Abs(StartSeconds(process) - startSeconds) <= 2;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false; // exited while being looked at
        }
    }

    private static long StartSeconds(Process process) => new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeSeconds();
}
