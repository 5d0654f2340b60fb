using System.Collections.Generic;
using System.Text;

namespace Narralytica.Schema.Sql.Expressions;

/// <summary>
/// Splits a SQL expression into tokens the way PostgreSQL 15's lexer does, for the subset an
/// expression in schema.yaml uses. Comments are dropped. Anything else (dollar quoting,
/// parameters, an unterminated literal) makes <see cref="Tokenize"/> return null.
/// </summary>
internal static class SqlTokenizer
{
    private const string OperatorChars = "+-*/<>=~!@#%^&|`?";

    public static List<SqlToken>? Tokenize(string text)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                i++;
            }
            else if (c == '-' && next == '-')
            {
                while (i < text.Length && text[i] != '\n')
                    i++;
            }
            else if (c == '/' && next == '*')
            {
                if (!SkipBlockComment(text, ref i))
                    return null;
            }
            else if (c == '\'')
            {
                var end = StringEnd(text, i, backslashEscapes: false);
                if (end < 0)
                    return null;
                tokens.Add(new SqlToken(SqlTokenKind.String, text.Substring(i, end - i)));
                i = end;
            }
            else if (c is 'E' or 'e' or 'B' or 'b' or 'X' or 'x' && next == '\'')
            {
                // E'…' (backslash escapes) and bit strings are kept as written.
                var end = StringEnd(text, i + 1, backslashEscapes: c is 'E' or 'e');
                if (end < 0)
                    return null;
                tokens.Add(new SqlToken(SqlTokenKind.String, char.ToUpperInvariant(c) + text.Substring(i + 1, end - i - 1)));
                i = end;
            }
            else if (c == '"')
            {
                var name = QuotedIdentifier(text, ref i);
                if (name is null)
                    return null;
                tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, name));
            }
            else if (IsDigit(c) || c == '.' && IsDigit(next))
            {
                var number = Number(text, ref i);
                if (number is null)
                    return null;
                tokens.Add(new SqlToken(SqlTokenKind.Number, number));
            }
            else if (IsIdentifierStart(c))
            {
                var start = i;
                while (i < text.Length && IsIdentifierPart(text[i]))
                    i++;
                tokens.Add(new SqlToken(SqlTokenKind.Word, text.Substring(start, i - start)));
            }
            else if (c == ':' && next == ':')
            {
                tokens.Add(new SqlToken(SqlTokenKind.Punctuation, "::"));
                i += 2;
            }
            else if (c == ':' && next == '=')
            {
                return null; // named-argument notation: not expected in schema expressions
            }
            else if (c is '(' or ')' or '[' or ']' or ',' or '.' or ':')
            {
                tokens.Add(new SqlToken(SqlTokenKind.Punctuation, c.ToString()));
                i++;
            }
            else if (OperatorChars.IndexOf(c) >= 0)
            {
                tokens.Add(new SqlToken(SqlTokenKind.Operator, Operator(text, ref i)));
            }
            else
            {
                return null; // $, ;, {, \ and the like
            }
        }
        return tokens;
    }

    /// <summary>The index after the closing quote of the literal whose opening quote is at <paramref name="quote"/>; -1 when unterminated.</summary>
    private static int StringEnd(string text, int quote, bool backslashEscapes)
    {
        var i = quote + 1;
        while (i < text.Length)
        {
            if (backslashEscapes && text[i] == '\\')
            {
                i += 2;
                continue;
            }
            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return -1;
    }

    private static string? QuotedIdentifier(string text, ref int i)
    {
        var name = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    name.Append('"');
                    i += 2;
                    continue;
                }
                i++;
                return name.Length == 0 ? null : name.ToString(); // "" is not an identifier
            }
            name.Append(text[i++]);
        }
        return null;
    }

    /// <summary>digits[.digits][e[+-]digits] or .digits[…]; null on trailing junk, which PostgreSQL 15 refuses.</summary>
    private static string? Number(string text, ref int i)
    {
        var start = i;
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
                return null;
            i = exponent;
            while (i < text.Length && IsDigit(text[i]))
                i++;
        }
        if (i < text.Length && IsIdentifierPart(text[i]))
            return null;
        return SqlToken.FoldCase(text.Substring(start, i - start));
    }

    /// <summary>
    /// The longest operator PostgreSQL's lexer would take: it stops before a comment, and a
    /// multi-character operator ends in + or - only if it holds one of ~ ! @ # % ^ &amp; | ` ?
    /// (so "a*-1" is "a", "*", "-", "1").
    /// </summary>
    private static string Operator(string text, ref int i)
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
        var op = text.Substring(start, length);
        if (length > 1 && op[length - 1] is '+' or '-' && op.IndexOfAny("~!@#%^&|`?".ToCharArray()) < 0)
        {
            while (length > 1 && op[length - 1] is '+' or '-')
                length--;
            op = op.Substring(0, length);
            i = start + length;
        }
        return op;
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

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsIdentifierStart(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_' || c >= '\u0080';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || c is >= '0' and <= '9' or '$';
}
