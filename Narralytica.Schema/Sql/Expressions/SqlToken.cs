using System;

namespace Narralytica.Schema.Sql.Expressions;

internal enum SqlTokenKind
{
    /// <summary>An unquoted word, keyword or identifier, as written.</summary>
    Word,
    /// <summary>A double-quoted identifier; the text is the name, without quotes.</summary>
    QuotedIdentifier,
    /// <summary>A string literal as written, quotes and any E/B/X prefix included.</summary>
    String,
    Number,
    Operator,
    /// <summary>( ) [ ] , . : ::</summary>
    Punctuation,
}

internal readonly struct SqlToken
{
    public SqlToken(SqlTokenKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    public SqlTokenKind Kind { get; }
    public string Text { get; }

    /// <summary>An unquoted word equal to <paramref name="word"/> in any case (a quoted name is never a keyword).</summary>
    public bool IsWord(string word) => Kind == SqlTokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);

    public bool IsPunctuation(string text) => Kind == SqlTokenKind.Punctuation && Text == text;

    /// <summary>The word as PostgreSQL folds an unquoted identifier: ASCII letters only are lowered.</summary>
    public string Folded => FoldCase(Text);

    public static string FoldCase(string word)
    {
        var chars = word.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (chars[i] is >= 'A' and <= 'Z')
                chars[i] = (char)(chars[i] + ('a' - 'A'));
        return new string(chars);
    }

    public override string ToString() => $"{Kind} {Text}";
}
