using System;
using System.Globalization;
using System.IO;
using System.Threading;

namespace Narralytica.Benchmarks.Hosting;

/// <summary>
/// The largest managed heap a benchmark reaches while it runs: sampled every few milliseconds on a thread of its own,
/// the maximum over every invocation kept in a file that <see cref="PeakHeapColumn"/> reads in the host (the benchmark
/// runs in a process of its own, so the file is how the figure crosses over). BenchmarkDotNet's allocation column counts
/// every byte ever allocated, which grows with the rows streamed; this one shows what is held at once.
/// </summary>
public sealed class PeakHeap : IDisposable
{
    public const string FolderVariable = "NARRALYTICA_BENCH_PEAK_HEAP";
    private readonly string _file;
    private readonly Thread _sampler;
    private volatile bool _stopped;
    private long _peak;

    private PeakHeap(string file)
    {
        _file = file;
        _peak = GC.GetTotalMemory(false);
        _sampler = new Thread(Sample) { IsBackground = true, Name = "peak heap sampler" };
        _sampler.Start();
    }

    /// <summary>Starts sampling for the benchmark <paramref name="key"/> (see <see cref="KeyOf"/>); dispose to stop and record.</summary>
    public static PeakHeap Track(string key)
        => new(Path.Combine(Folder, key + ".peak"));

    /// <summary>The file name a benchmark case's figure is kept under: type, method and parameter values.</summary>
    public static string KeyOf(string type, string method, string parameters) => $"{type}.{method}.{parameters}";

    /// <summary>The folder the host publishes for the figures (a fresh one per run).</summary>
    public static string Folder
    {
        get
        {
            var folder = Environment.GetEnvironmentVariable(FolderVariable);
            if (string.IsNullOrEmpty(folder))
            {
                folder = Path.Combine(Path.GetTempPath(), "narralytica-peak-heap-" + Environment.ProcessId);
                Environment.SetEnvironmentVariable(FolderVariable, folder);
            }
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>The recorded peak in bytes, or null when the benchmark did not run.</summary>
    public static long? Read(string key)
    {
        var file = Path.Combine(Folder, key + ".peak");
        return File.Exists(file) ? long.Parse(File.ReadAllText(file), CultureInfo.InvariantCulture) : null;
    }

    private void Sample()
    {
        while (!_stopped)
        {
            var now = GC.GetTotalMemory(false);
            if (now > Interlocked.Read(ref _peak))
                Interlocked.Exchange(ref _peak, now);
            Thread.Sleep(2);
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _sampler.Join();
        var earlier = File.Exists(_file) ? long.Parse(File.ReadAllText(_file), CultureInfo.InvariantCulture) : 0;
        File.WriteAllText(_file, Math.Max(earlier, _peak).ToString(CultureInfo.InvariantCulture));
    }
}
