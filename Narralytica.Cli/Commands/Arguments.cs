using System;
using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Cli.Commands;

/// <summary>The words after the command name: options (--name value, --flag) and positionals.</summary>
public sealed class Arguments
{
    private readonly List<string> _words;
    private readonly HashSet<int> _used = new();

    public Arguments(IEnumerable<string> words) => _words = words.ToList();

    /// <summary>The value after <paramref name="name"/>, or null when the option is absent.</summary>
    public string? Option(string name)
    {
        for (var i = 0; i < _words.Count; i++)
        {
            if (_words[i] == name)
            {
                if (i + 1 >= _words.Count || _words[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new CliError($"{name} needs a value.");
                _used.Add(i);
                _used.Add(i + 1);
                return _words[i + 1];
            }
            if (_words[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                _used.Add(i);
                return _words[i].Substring(name.Length + 1);
            }
        }
        return null;
    }

    /// <summary>Whether the switch <paramref name="name"/> (no value) was given.</summary>
    public bool Flag(string name)
    {
        var index = _words.IndexOf(name);
        if (index < 0)
            return false;
        _used.Add(index);
        return true;
    }

    /// <summary>The first word not consumed that is not an option; null when there is none. Read the options first.</summary>
    public string? Positional()
    {
        for (var i = 0; i < _words.Count; i++)
        {
            if (_used.Contains(i))
                continue;
            if (_words[i].StartsWith("--", StringComparison.Ordinal))
                continue;
            _used.Add(i);
            return _words[i];
        }
        return null;
    }

    /// <summary>Fails on anything not consumed, so a typo never silently does the default.</summary>
    public void EnsureAllUsed()
    {
        var unused = _words.Where((_, i) => !_used.Contains(i)).ToList();
        if (unused.Count > 0)
            throw new CliError($"Unknown argument(s): {string.Join(" ", unused)}. Run 'narralytica help' for the commands and their options.");
    }
}
