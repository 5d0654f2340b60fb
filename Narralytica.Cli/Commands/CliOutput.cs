using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Narralytica.Cli.Commands;

/// <summary>
/// Where a command writes. With --json, stdout carries one JSON document and nothing else: the command's text
/// (progress, the demo's tour) goes to stderr, so a script can parse stdout whatever the command prints.
/// </summary>
public static class CliOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        // Text as written (quotes, arrows, ellipses), not \u escapes: the document is read by people too.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The real stdout while a --json command runs (Console.Out then points at stderr); null otherwise.</summary>
    private static TextWriter? _jsonOut;

    /// <summary>With <paramref name="json"/>, sends Console.Out to stderr until disposed and keeps stdout for <see cref="WriteJson"/>.</summary>
    public static IDisposable Begin(bool json)
    {
        if (!json)
            return new Restore(null);
        var stdout = Console.Out;
        _jsonOut = stdout;
        Console.SetOut(Console.Error);
        return new Restore(stdout);
    }

    /// <summary>Prints the command's JSON result on stdout.</summary>
    public static void WriteJson(object value) => (_jsonOut ?? Console.Out).WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>A line saying what a long step is doing; on stderr, so it never mixes with a command's output.</summary>
    public static void Progress(string line) => Console.Error.WriteLine(line);

    /// <summary>The error on stderr, and with --json also as the JSON error object on stdout.</summary>
    public static void WriteError(CliError error, bool json)
    {
        Console.Error.WriteLine("error: " + error.Message);
        if (json)
            WriteJson(new { error = new { code = error.Code, message = error.Message, details = error.Details } });
    }

    private sealed class Restore : IDisposable
    {
        private readonly TextWriter? _stdout;

        public Restore(TextWriter? stdout) => _stdout = stdout;

        public void Dispose()
        {
            if (_stdout is null)
                return;
            Console.SetOut(_stdout);
            _jsonOut = null;
        }
    }
}
