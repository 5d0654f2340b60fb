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
        var pid = Environment.ProcessId;
        var name = $"{Prefix}{pid}-{StartStamp(pid)}-{Guid.NewGuid().ToString("N").Substring(0, 8)}";
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
    private static bool IsRunning(int pid, long startStamp) => StartStamp(pid) is { } stamp && stamp == startStamp;

    /// <summary>
    /// When the process started, or null when it does not run. On Linux the kernel's own count of clock ticks since boot
    /// (/proc/PID/stat, field 22), which no change of the wall clock moves; elsewhere the start time in Unix seconds.
    /// </summary>
    private static long? StartStamp(int pid)
    {
        try
        {
            var stat = $"/proc/{pid}/stat";
            if (Directory.Exists("/proc/self"))
            {
                // "pid (comm) state ppid …": the command may hold spaces and parentheses, so count fields after the last ')'.
                var text = File.ReadAllText(stat);
                var fields = text.Substring(text.LastIndexOf(')') + 2).Split(' ');
                return long.Parse(fields[19], CultureInfo.InvariantCulture);
            }
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeSeconds();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or FormatException)
        {
            return null; // no such process, or it exited while being looked at
        }
    }
}
