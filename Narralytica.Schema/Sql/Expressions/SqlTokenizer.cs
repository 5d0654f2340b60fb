using System.Collections.Generic;

namespace Narralytica.Schema.Sql.Expressions;

/// <summary>
/// The tokens of a SQL expression, read with <see cref="SqlLexer"/>, for the subset an expression in
/// schema.yaml uses. Comments are dropped. Anything else (dollar quoting, parameters, a semicolon, an
/// unterminated literal, <c>:=</c>) makes <see cref="Tokenize"/> return null.
/// </summary>
internal static class SqlTokenizer
{
    public static List<SqlToken>? Tokenize(string text)
    {
        var tokens = new List<SqlToken>();
        foreach (var lexeme in SqlLexer.Lex(text))
        {
            if (lexeme.Malformed)
                return null;
            var written = lexeme.Text(text);
            switch (lexeme.Kind)
            {
                case SqlLexemeKind.Whitespace or SqlLexemeKind.Comment:
                    break;
                case SqlLexemeKind.Word:
                    tokens.Add(new SqlToken(SqlTokenKind.Word, written));
                    break;
                case SqlLexemeKind.QuotedIdentifier:
                    tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, SqlIdentifier.Unquote(written)));
                    break;
                case SqlLexemeKind.String:
                    // E'…' (backslash escapes) and bit strings are kept as written, the prefix upper-cased.
                    tokens.Add(new SqlToken(SqlTokenKind.String, written[0] == '\'' ? written : char.ToUpperInvariant(written[0]) + written.Substring(1)));
                    break;
                case SqlLexemeKind.Number:
                    tokens.Add(new SqlToken(SqlTokenKind.Number, SqlToken.FoldCase(written)));
                    break;
                case SqlLexemeKind.Operator:
                    tokens.Add(new SqlToken(SqlTokenKind.Operator, written));
                    break;
                case SqlLexemeKind.Punctuation when written != ":=": // named-argument notation: not expected in schema expressions
                    tokens.Add(new SqlToken(SqlTokenKind.Punctuation, written));
                    break;
                default:
                    return null; // $ quoting and parameters, ;, {, \ and the like
            }
        }
        return tokens;
    }
}
