using System.Collections.Generic;

namespace Narralytica.Schema.Sql;

/// <summary>What a piece of SQL text is, as PostgreSQL 15's lexer sees it.</summary>
internal enum SqlLexemeKind
{
    Whitespace,
    /// <summary>A <c>-- line</c> comment (without its newline) or a <c>/* block */</c> comment, which nests.</summary>
    Comment,
    /// <summary>An unquoted word, keyword or identifier.</summary>
    Word,
    /// <summary>A double-quoted identifier, quotes included.</summary>
    QuotedIdentifier,
    /// <summary>A string literal, quotes and any E/B/X prefix included.</summary>
    String,
    /// <summary>A <c>$tag$…$tag$</c> string.</summary>
    DollarString,
    /// <summary>A positional parameter such as <c>$1</c>.</summary>
    Parameter,
    Number,
    Operator,
    /// <summary><c>( ) [ ] , . : :: :=</c></summary>
    Punctuation,
    Semicolon,
    /// <summary>A character no SQL token starts with (<c>{</c>, <c>\</c>, a lone <c>$</c>).</summary>
    Other,
}

/// <summary>
/// One piece of the text: where it starts and how long it is. <see cref="Malformed"/> marks an unterminated
/// literal, quoted identifier or comment, an empty quoted identifier, or a number running into a letter.
/// </summary>
internal readonly struct SqlLexeme
{
    public SqlLexeme(SqlLexemeKind kind, int start, int length, bool malformed = false)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Malformed = malformed;
    }

    public SqlLexemeKind Kind { get; }
    public int Start { get; }
    public int Length { get; }
    public bool Malformed { get; }
    public int End => Start + Length;

    public string Text(string sql) => sql.Substring(Start, Length);

    public override string ToString() => $"{Kind} @{Start}+{Length}{(Malformed ? " malformed" : "")}";
}

/// <summary>
/// The one SQL lexer: migration scripts are split into statements with it, schema.yaml's expressions are
/// tokenized with it, and the migration lint reads statements with it. It never fails: the lexemes cover the
/// whole text, one after another, and what does not lex cleanly is marked <see cref="SqlLexeme.Malformed"/>
/// for the caller to judge.
/// </summary>
internal static class SqlLexer
{
    private const string OperatorChars = "+-*/<>=~!@#%^&|`?";

    public static List<SqlLexeme> Lex(string text)
    {
        var lexemes = new List<SqlLexeme>();
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            var (kind, malformed) = Next(text, ref i);
            lexemes.Add(new SqlLexeme(kind, start, i - start, malformed));
        }
        return lexemes;
    }

    /// <summary>Reads the lexeme at <paramref name="i"/> and moves past it.</summary>
    private static (SqlLexemeKind Kind, bool Malformed) Next(string text, ref int i)
    {
        var c = text[i];
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        if (IsWhitespace(c))
        {
            while (i < text.Length && IsWhitespace(text[i]))
                i++;
            return (SqlLexemeKind.Whitespace, false);
        }
        if (c == '-' && next == '-')
        {
            while (i < text.Length && text[i] != '\n')
                i++;
            return (SqlLexemeKind.Comment, false);
        }
        if (c == '/' && next == '*')
            return (SqlLexemeKind.Comment, !SkipBlockComment(text, ref i));
        if (c == '\'')
            return (SqlLexemeKind.String, !SkipString(text, ref i, backslashEscapes: false));
        if (c is 'E' or 'e' or 'B' or 'b' or 'X' or 'x' && next == '\'')
        {
            i++;
            return (SqlLexemeKind.String, !SkipString(text, ref i, backslashEscapes: c is 'E' or 'e'));
        }
        if (c == '"')
            return (SqlLexemeKind.QuotedIdentifier, !SkipQuotedIdentifier(text, ref i));
        if (c == '$')
            return Dollar(text, ref i);
        if (IsDigit(c) || c == '.' && IsDigit(next))
            return (SqlLexemeKind.Number, !SkipNumber(text, ref i));
        if (IsIdentifierStart(c))
        {
            while (i < text.Length && IsIdentifierPart(text[i]))
                i++;
            return (SqlLexemeKind.Word, false);
        }
        if (c == ':' && next is ':' or '=')
        {
            i += 2;
            return (SqlLexemeKind.Punctuation, false);
        }
        if (c is '(' or ')' or '[' or ']' or ',' or '.' or ':')
        {
            i++;
            return (SqlLexemeKind.Punctuation, false);
        }
        if (c == ';')
        {
            i++;
            return (SqlLexemeKind.Semicolon, false);
        }
        if (OperatorChars.IndexOf(c) >= 0)
        {
            SkipOperator(text, ref i);
            return (SqlLexemeKind.Operator, false);
        }
        i++;
        return (SqlLexemeKind.Other, false);
    }

    /// <summary>Past the closing quote of the literal whose opening quote is at <paramref name="i"/>; false when unterminated.</summary>
    private static bool SkipString(string text, ref int i, bool backslashEscapes)
    {
        i++;
        while (i < text.Length)
        {
            if (backslashEscapes && text[i] == '\\')
            {
                i = System.Math.Min(i + 2, text.Length);
                continue;
            }
            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    i += 2;
                    continue;
                }
                i++;
                return true;
            }
            i++;
        }
        return false;
    }

    /// <summary>Past the closing quote; false when unterminated or empty (<c>""</c> is not an identifier).</summary>
    private static bool SkipQuotedIdentifier(string text, ref int i)
    {
        var start = i;
        i++;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    i += 2;
                    continue;
                }
                i++;
                return i - start > 2;
            }
            i++;
        }
        return false;
    }

    /// <summary>A $n parameter, a $tag$…$tag$ string (tag: letters, digits, _; not starting with a digit), or a lone $.</summary>
    private static (SqlLexemeKind, bool) Dollar(string text, ref int i)
    {
        var start = i;
        if (i + 1 < text.Length && IsDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && IsDigit(text[i]))
                i++;
            return (SqlLexemeKind.Parameter, false);
        }
        var close = i + 1;
        while (close < text.Length && (char.IsLetterOrDigit(text[close]) || text[close] == '_'))
            close++;
        if (close >= text.Length || text[close] != '$')
        {
            i++;
            return (SqlLexemeKind.Other, false);
        }
        var tag = text.Substring(start, close - start + 1);
        var end = text.IndexOf(tag, close + 1, System.StringComparison.Ordinal);
        i = end < 0 ? text.Length : end + tag.Length;
        return (SqlLexemeKind.DollarString, end < 0);
    }

    /// <summary>digits[.digits][e[+-]digits] or .digits[…]; false on an exponent without digits or trailing letters, which PostgreSQL 15 refuses.</summary>
    private static bool SkipNumber(string text, ref int i)
    {
        while (i < text.Length && IsDigit(text[i]))
            i++;
        // "1..2" is not a number followed by ".2"; leave the dots alone.
        if (i < text.Length && text[i] == '.' && !(i + 1 < text.Length && text[i + 1] == '.'))
        {
            i++;
            while (i < text.Length && IsDigit(text[i]))
                i++;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var exponent = i + 1;
            if (exponent < text.Length && text[exponent] is '+' or '-')
                exponent++;
            if (exponent >= text.Length || !IsDigit(text[exponent]))
                return false;
            i = exponent;
            while (i < text.Length && IsDigit(text[i]))
                i++;
        }
        return !(i < text.Length && IsIdentifierPart(text[i]));
    }

    /// <summary>
    /// The longest operator PostgreSQL's lexer would take: it stops before a comment, and a
    /// multi-character operator ends in + or - only if it holds one of ~ ! @ # % ^ &amp; | ` ?
    /// (so "a*-1" is "a", "*", "-", "1").
    /// </summary>
    private static void SkipOperator(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && OperatorChars.IndexOf(text[i]) >= 0)
        {
            if (i > start && (text[i] == '-' && text[i - 1] == '-' || text[i] == '*' && text[i - 1] == '/'))
            {
                i--;
                break;
            }
            i++;
        }
        var length = i - start;
        if (length > 1 && text[i - 1] is '+' or '-' && text.IndexOfAny("~!@#%^&|`?".ToCharArray(), start, length) < 0)
        {
            while (length > 1 && text[start + length - 1] is '+' or '-')
                length--;
            i = start + length;
        }
    }

    private static bool SkipBlockComment(string text, ref int i)
    {
        var depth = 0;
        while (i < text.Length)
        {
            if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                depth++;
                i += 2;
            }
            else if (text[i] == '*' && i + 1 < text.Length && text[i + 1] == '/')
            {
                i += 2;
                if (--depth == 0)
                    return true;
            }
            else
            {
                i++;
            }
        }
        return false;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsIdentifierStart(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_' || c >= '\u0080';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || c is >= '0' and <= '9' or '$';
}
