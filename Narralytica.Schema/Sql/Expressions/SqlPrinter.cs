using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Schema.Sql.Expressions;

/// <summary>
/// Writes a tree in canonical form: keywords uppercase, names lowercase (quoted only when they
/// must be), canonical spacing, and only the parentheses precedence requires, except that an AND
/// inside an OR keeps them for reading. Also writes a token list that could not be parsed, with
/// the same spacing and case.
/// </summary>
internal static class SqlPrinter
{
    private const int Parenthesized = SqlPrecedence.Primary + 1;

    public static string Print(SqlNode node) => Print(node, 0);

    /// <summary>
    /// A column default: DEFAULT takes a restricted expression (b_expr), so a top-level comparison,
    /// AND, OR, NOT, IS, IN, LIKE or BETWEEN is written in parentheses.
    /// </summary>
    public static string PrintDefault(SqlNode node) => Print(node, SqlPrecedence.Escape);

    private static string Print(SqlNode node, int minimum)
    {
        var text = new SqlTextBuilder();
        Write(text, node, minimum);
        return text.ToString();
    }

    /// <summary>The precedence of the node's outermost operator; what decides whether it needs parentheses.</summary>
    private static int Level(SqlNode node) => node switch
    {
        Binary binary => SqlPrecedence.OfBinary(binary.Operator),
        Not => SqlPrecedence.Not,
        IsTest or IsDistinct => SqlPrecedence.Is,
        Quantified => SqlPrecedence.Comparison,
        InList or Between => SqlPrecedence.Like,
        Unary unary => SqlPrecedence.OfPrefix(unary.Operator),
        Collate => SqlPrecedence.Collate,
        Cast => SqlPrecedence.Cast,
        Literal literal when literal.IsNegativeNumber => SqlPrecedence.UnaryMinus,
        _ => SqlPrecedence.Primary,
    };

    private static void Write(SqlTextBuilder text, SqlNode node, int minimum)
    {
        if (Level(node) >= minimum)
        {
            WriteBare(text, node);
            return;
        }
        text.Opening("(");
        WriteBare(text, node);
        text.Closing(")");
    }

    private static void WriteBare(SqlTextBuilder text, SqlNode node)
    {
        switch (node)
        {
            case Literal literal:
                text.Token(literal.Text);
                break;
            case ColumnRef column:
                text.Token(Name(column.Parts));
                break;
            case Word word:
                text.Token(word.Text);
                break;
            case FunctionCall call:
                text.Token(Name(call.Name));
                text.Joining("(");
                List(text, call.Arguments);
                text.Closing(")");
                break;
            case KeywordCall call:
                text.Token(call.Keyword);
                text.Joining("(");
                if (call.CommaSeparated)
                    List(text, call.Parts);
                else
                    foreach (var part in call.Parts)
                        Write(text, part, SqlPrecedence.Escape); // the grammar takes b_expr between the keywords
                text.Closing(")");
                break;
            case ValueFunction value:
                text.Token(value.Keyword);
                if (value.Precision is not null)
                {
                    text.Joining("(");
                    text.Token(value.Precision);
                    text.Closing(")");
                }
                break;
            case Cast cast:
                Write(text, cast.Operand, SqlPrecedence.Cast);
                text.Joining("::");
                text.Token(cast.Type);
                break;
            case Unary unary:
                text.Opening(unary.Operator);
                Write(text, unary.Operand, unary.Operator is "-" or "+" ? SqlPrecedence.UnaryMinus : SqlPrecedence.Other + 1);
                break;
            case Binary binary:
                var level = SqlPrecedence.OfBinary(binary.Operator);
                Write(text, binary.Left, OperandMinimum(binary, binary.Left, SqlPrecedence.IsNonAssociative(level) ? level + 1 : level));
                text.Token(binary.Operator);
                Write(text, binary.Right, OperandMinimum(binary, binary.Right, level + 1));
                break;
            case Not not:
                text.Token("NOT");
                Write(text, not.Operand, SqlPrecedence.Not);
                break;
            case IsTest test:
                Write(text, test.Operand, SqlPrecedence.Is + 1);
                Words(text, "IS", test.Negated ? "NOT" : null, test.Test);
                break;
            case IsDistinct distinct:
                Write(text, distinct.Left, SqlPrecedence.Is + 1);
                Words(text, "IS", distinct.Negated ? "NOT" : null, "DISTINCT FROM");
                Write(text, distinct.Right, SqlPrecedence.Is + 1);
                break;
            case InList list:
                Write(text, list.Operand, SqlPrecedence.Like + 1);
                Words(text, list.Negated ? "NOT" : null, "IN");
                text.Opening("(");
                List(text, list.Items);
                text.Closing(")");
                break;
            case Between between:
                Write(text, between.Operand, SqlPrecedence.Like + 1);
                Words(text, between.Negated ? "NOT" : null, "BETWEEN", between.Symmetric ? "SYMMETRIC" : null);
                Write(text, between.Low, SqlPrecedence.Escape);
                text.Token("AND");
                Write(text, between.High, SqlPrecedence.Escape);
                break;
            case Quantified quantified:
                Write(text, quantified.Left, SqlPrecedence.Comparison + 1);
                Words(text, quantified.Operator, quantified.Quantifier);
                text.Opening("(");
                Write(text, quantified.Right, 0);
                text.Closing(")");
                break;
            case ArrayConstructor array:
                text.Token("ARRAY");
                text.Joining("[");
                List(text, array.Items);
                text.Closing("]");
                break;
            case Subscript subscript:
                // Only a column (or another subscript) takes [ ] without parentheses: f(x)[1] is a syntax error.
                Write(text, subscript.Operand, subscript.Operand is ColumnRef or Subscript ? 0 : Parenthesized);
                text.Joining("[");
                if (subscript.Lower is not null)
                    Write(text, subscript.Lower, 0);
                if (subscript.Slice)
                    text.Joining(":");
                if (subscript.Upper is not null)
                    Write(text, subscript.Upper, 0);
                text.Closing("]");
                break;
            case CaseExpression caseExpression:
                text.Token("CASE");
                if (caseExpression.Operand is not null)
                    Write(text, caseExpression.Operand, 0);
                foreach (var branch in caseExpression.Branches)
                {
                    text.Token("WHEN");
                    Write(text, branch.When, 0);
                    text.Token("THEN");
                    Write(text, branch.Then, 0);
                }
                if (caseExpression.Else is not null)
                {
                    text.Token("ELSE");
                    Write(text, caseExpression.Else, 0);
                }
                text.Token("END");
                break;
            case Collate collate:
                Write(text, collate.Operand, SqlPrecedence.Collate);
                Words(text, "COLLATE", Name(collate.Collation));
                break;
        }
    }

    /// <summary>
    /// AND and OR are associative, so a chain is written flat however it nests; an AND inside an OR
    /// is parenthesized, though precedence does not need it, so it reads plainly.
    /// </summary>
    private static int OperandMinimum(Binary parent, SqlNode operand, int minimum) => (parent.Operator, operand) switch
    {
        ("AND" or "OR", Binary child) when child.Operator == parent.Operator => 0,
        ("OR", Binary { Operator: "AND" }) => Parenthesized,
        _ => minimum,
    };

    private static void List(SqlTextBuilder text, IReadOnlyList<SqlNode> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
                text.Closing(",");
            Write(text, items[i], 0);
        }
    }

    private static void Words(SqlTextBuilder text, params string?[] words)
    {
        foreach (var word in words)
            if (word is not null)
                text.Token(word);
    }

    private static string Name(IReadOnlyList<string> parts) => string.Join(".", parts.Select(SqlIdentifier.Quote));

    // ── Token lists that did not parse ──────────────────────────────────────────────────────────

    // Words PostgreSQL prints in uppercase; the first group is followed by '(' like a function.
    private static readonly HashSet<string> CallKeywords = new()
    {
        "cast", "coalesce", "current_time", "current_timestamp", "extract", "greatest", "least", "localtime",
        "localtimestamp", "nullif", "overlay", "position", "substring", "trim",
    };

    private static readonly HashSet<string> Keywords = new(CallKeywords)
    {
        "all", "and", "any", "array", "as", "asymmetric", "between", "both", "by", "case", "collate",
        "current_catalog", "current_date", "current_role", "current_schema", "current_user", "distinct", "else",
        "end", "escape", "exists", "for", "from", "group", "ilike", "in", "is", "isnull", "leading", "like", "not",
        "notnull", "null", "or", "order", "placing", "select", "session_user", "similar", "some", "symmetric",
        "then", "to", "trailing", "unknown", "user", "values", "when", "where",
    };

    /// <summary>Tokens that are not an expression this code parses, with canonical spacing and case only.</summary>
    public static string Print(IReadOnlyList<SqlToken> tokens)
    {
        var text = new SqlTextBuilder();
        SqlToken? previous = null;
        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case SqlTokenKind.Word:
                    var word = token.Folded;
                    text.Token(Keywords.Contains(word) ? word.ToUpperInvariant() : word);
                    break;
                case SqlTokenKind.QuotedIdentifier:
                    text.Token(SqlIdentifier.Quote(token.Text));
                    break;
                case SqlTokenKind.Operator when StartsOperand(previous):
                    text.Opening(token.Text);
                    break;
                case SqlTokenKind.Punctuation when token.Text == "(":
                    if (previous is { } name && (name.Kind == SqlTokenKind.QuotedIdentifier || name.Kind == SqlTokenKind.Word && (!Keywords.Contains(name.Folded) || CallKeywords.Contains(name.Folded))))
                        text.Joining("(");
                    else
                        text.Opening("(");
                    break;
                case SqlTokenKind.Punctuation when token.Text == "[" && StartsOperand(previous) && previous?.IsWord("array") != true: // a nested array
                    text.Opening("[");
                    break;
                case SqlTokenKind.Punctuation when token.Text is ")" or "]" or ",":
                    text.Closing(token.Text);
                    break;
                case SqlTokenKind.Punctuation:
                    text.Joining(token.Text);
                    break;
                default:
                    text.Token(token.Text);
                    break;
            }
            previous = token;
        }
        return text.ToString();
    }

    /// <summary>Whether an operator after this token is a prefix one (there is no left operand).</summary>
    private static bool StartsOperand(SqlToken? previous) => previous switch
    {
        null => true,
        { Kind: SqlTokenKind.Operator } => true,
        { Kind: SqlTokenKind.Punctuation } p => p.Text is "(" or "[" or ",",
        { Kind: SqlTokenKind.Word } w => Keywords.Contains(w.Folded) && w.Folded is not ("null" or "unknown"),
        _ => false,
    };
}
