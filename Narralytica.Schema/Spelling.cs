using System.Collections.Generic;
using Narralytica.Schema.Parsing;

namespace Narralytica.Schema;

/// <summary>"Did you mean …?": the same nearness rule for schema.yaml keys and the command line's words.</summary>
public static class Spelling
{
    /// <summary>The candidate nearest to <paramref name="word"/> (at most a third of its letters off), or null.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates) => NodeReader.Closest(word, candidates);
}
