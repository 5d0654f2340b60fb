using System;
using System.Collections.Generic;

namespace Narralytica.Schema.Sql.Expressions;

/// <summary>
/// Reads tokens into a <see cref="SqlNode"/> tree with PostgreSQL 15's precedence, for the
/// expressions a schema holds: operators, casts, calls, CASE, ARRAY[…], IN lists, BETWEEN,
/// LIKE, IS tests and the SQL-syntax functions (EXTRACT, TRIM, …). Pure syntax sugar is read into
/// the form PostgreSQL's parser gives it (CAST → ::, ISNULL → IS NULL, != → &lt;&gt;, ~~ → LIKE,
/// LIKE … ESCAPE → like_escape). Anything else (subqueries, row constructors, …) makes
/// <see cref="Parse"/> return null.
/// </summary>
internal sealed class SqlParser
{
    private static readonly SqlToken End = new(SqlTokenKind.Punctuation, "");

    // Operators that are LIKE in another spelling.
    private static readonly Dictionary<string, string> LikeOperators = new()
    {
        ["~~"] = "LIKE",
        ["!~~"] = "NOT LIKE",
        ["~~*"] = "ILIKE",
        ["!~~*"] = "NOT ILIKE",
    };

    private readonly List<SqlToken> _tokens;
    private readonly ISet<string> _enumNames;
    private int _position;

    private SqlParser(List<SqlToken> tokens, ISet<string> enumNames)
    {
        _tokens = tokens;
        _enumNames = enumNames;
    }

    /// <summary>The expression the tokens spell, or null when they are not one this parser reads.</summary>
    /// <param name="enumNames">The declared enum types, so casts to them are recognised.</param>
    public static SqlNode? Parse(List<SqlToken> tokens, ISet<string> enumNames)
    {
        if (tokens.Count == 0)
            return null;
        var parser = new SqlParser(tokens, enumNames);
        try
        {
            var node = parser.Expression(0);
            return parser._position == tokens.Count ? node : null;
        }
        catch (SyntaxError)
        {
            return null;
        }
    }

    private sealed class SyntaxError : Exception
    {
    }

    private SqlNode Expression(int minimum)
    {
        var left = Prefix();
        var previous = -1;
        while (true)
        {
            var level = InfixLevel();
            if (level < minimum)
                return left;
            if (level == previous && SqlPrecedence.IsNonAssociative(level))
                throw new SyntaxError(); // a = b = c is an error in PostgreSQL too
            left = Infix(left, level);
            previous = level;
        }
    }

    /// <summary>The precedence of the token after an operand, or -1 when it does not continue the expression.</summary>
    private int InfixLevel()
    {
        var token = Peek();
        switch (token.Kind)
        {
            case SqlTokenKind.Operator:
                return SqlPrecedence.OfBinary(token.Text == "!=" ? "<>" : token.Text);
            case SqlTokenKind.Punctuation:
                return token.Text switch { "::" => SqlPrecedence.Cast, "[" => SqlPrecedence.Subscript, _ => -1 };
            case SqlTokenKind.Word:
                return token.Folded switch
                {
                    "or" => SqlPrecedence.Or,
                    "and" => SqlPrecedence.And,
                    "is" or "isnull" or "notnull" => SqlPrecedence.Is,
                    "in" or "like" or "ilike" or "similar" or "between" => SqlPrecedence.Like,
                    "not" when Peek(1).Kind == SqlTokenKind.Word && Peek(1).Folded is "in" or "like" or "ilike" or "similar" or "between" => SqlPrecedence.Like,
                    "at" when Peek(1).IsWord("time") => SqlPrecedence.AtTimeZone,
                    "collate" => SqlPrecedence.Collate,
                    _ => -1,
                };
            default:
                return -1;
        }
    }

    private SqlNode Infix(SqlNode left, int level)
    {
        var token = Next();
        if (token.IsPunctuation("::"))
            return new Cast(left, Type() ?? throw new SyntaxError());
        if (token.IsPunctuation("["))
            return SubscriptOf(left);
        if (token.Kind == SqlTokenKind.Operator)
        {
            var op = token.Text == "!=" ? "<>" : token.Text;
            if (Peek().Kind == SqlTokenKind.Word && Peek().Folded is "any" or "some" or "all" && Peek(1).IsPunctuation("("))
            {
                var quantifier = Next().Folded == "all" ? "ALL" : "ANY";
                Expect("(");
                var array = Expression(0);
                Expect(")");
                return new Quantified(left, op, quantifier, array);
            }
            var right = Expression(level + 1);
            return new Binary(LikeOperators.TryGetValue(op, out var like) ? like : op, left, right);
        }
        switch (token.Folded)
        {
            case "or":
            case "and":
                return new Binary(token.Folded.ToUpperInvariant(), left, Expression(level + 1));
            case "isnull":
                return new IsTest(left, "NULL", Negated: false);
            case "notnull":
                return new IsTest(left, "NULL", Negated: true);
            case "is":
                return IsClause(left);
            case "at":
                ExpectWord("time");
                ExpectWord("zone");
                return new Binary("AT TIME ZONE", left, Expression(SqlPrecedence.AtTimeZone + 1));
            case "collate":
                return new Collate(left, QualifiedName());
            case "not":
                return Predicate(left, Next(), negated: true);
            default:
                return Predicate(left, token, negated: false);
        }
    }

    private SqlNode IsClause(SqlNode left)
    {
        var negated = TakeWord("not");
        foreach (var test in new[] { "null", "true", "false", "unknown" })
            if (TakeWord(test))
                return new IsTest(left, test.ToUpperInvariant(), negated);
        ExpectWord("distinct");
        ExpectWord("from");
        return new IsDistinct(left, Expression(SqlPrecedence.Is + 1), negated);
    }

    /// <summary>The rest of [NOT] IN / BETWEEN / LIKE / ILIKE / SIMILAR TO after its keyword.</summary>
    private SqlNode Predicate(SqlNode left, SqlToken keyword, bool negated)
    {
        switch (keyword.Folded)
        {
            case "in":
                Expect("(");
                if (Peek().IsWord("select") || Peek().IsWord("values") || Peek().IsWord("with"))
                    throw new SyntaxError();
                return new InList(left, List(")", allowEmpty: false), negated);
            case "between":
                var symmetric = TakeWord("symmetric");
                if (!symmetric)
                    TakeWord("asymmetric");
                var low = Expression(SqlPrecedence.Escape);
                ExpectWord("and");
                return new Between(left, low, Expression(SqlPrecedence.Escape), negated, symmetric);
            case "like":
            case "ilike":
                var op = (negated ? "NOT " : "") + keyword.Folded.ToUpperInvariant();
                return new Binary(op, left, Pattern("like_escape", escapeRequired: true));
            case "similar":
                ExpectWord("to");
                // PostgreSQL turns SIMILAR TO into a regular expression match.
                return new Binary(negated ? "!~" : "~", left, Pattern("similar_to_escape", escapeRequired: false));
            default:
                throw new SyntaxError();
        }
    }

    /// <summary>A LIKE or SIMILAR pattern and its ESCAPE, as the function call PostgreSQL makes of them.</summary>
    private SqlNode Pattern(string escapeFunction, bool escapeRequired)
    {
        var pattern = Expression(SqlPrecedence.Escape);
        if (TakeWord("escape"))
            return new FunctionCall(new[] { escapeFunction }, new[] { pattern, Expression(SqlPrecedence.Escape) });
        return escapeRequired ? pattern : new FunctionCall(new[] { escapeFunction }, new[] { pattern });
    }

    private SqlNode SubscriptOf(SqlNode operand)
    {
        var lower = Peek().IsPunctuation(":") ? null : Expression(0);
        if (TakePunctuation(":"))
        {
            var upper = Peek().IsPunctuation("]") ? null : Expression(0);
            Expect("]");
            return new Subscript(operand, lower, upper, Slice: true);
        }
        Expect("]");
        return new Subscript(operand, lower ?? throw new SyntaxError(), null, Slice: false);
    }

    private SqlNode Prefix()
    {
        var token = Next();
        switch (token.Kind)
        {
            case SqlTokenKind.Number:
                return new Literal(token.Text, LiteralKind.Number);
            case SqlTokenKind.String:
                return new Literal(token.Text, LiteralKind.String);
            case SqlTokenKind.Operator:
                var operand = Expression(SqlPrecedence.OfPrefix(token.Text) + 1);
                // Like PostgreSQL's grammar, a minus sign on a number makes a negative number.
                if (token.Text == "-" && operand is Literal { Kind: LiteralKind.Number } number)
                    return new Literal(number.IsNegativeNumber ? number.Text.Substring(1) : "-" + number.Text, LiteralKind.Number);
                return new Unary(token.Text, operand);
            case SqlTokenKind.QuotedIdentifier:
                return NameOrCall(token.Text);
            case SqlTokenKind.Word:
                return WordExpression(token);
            default:
                if (!token.IsPunctuation("("))
                    throw new SyntaxError();
                var inner = Expression(0);
                Expect(")");
                return inner;
        }
    }

    private SqlNode WordExpression(SqlToken token)
    {
        var word = token.Folded;
        switch (word)
        {
            case "not":
                return new Not(Expression(SqlPrecedence.Not));
            case "true":
            case "false":
                return new Literal(word, LiteralKind.Constant);
            case "null":
                return new Literal("NULL", LiteralKind.Constant);
            case "case":
                return CaseRest();
            case "cast":
                Expect("(");
                var operand = Expression(0);
                ExpectWord("as");
                var type = Type() ?? throw new SyntaxError();
                Expect(")");
                return new Cast(operand, type);
            case "array":
                Expect("[");
                return new ArrayConstructor(List("]", allowEmpty: true));
            case "current_date" or "current_role" or "current_user" or "session_user" or "user" or "current_catalog" or "current_schema":
                return new ValueFunction(word.ToUpperInvariant(), null);
            case "current_time" or "current_timestamp" or "localtime" or "localtimestamp":
                string? precision = null;
                if (TakePunctuation("("))
                {
                    precision = Next() is { Kind: SqlTokenKind.Number } digits ? digits.Text : throw new SyntaxError();
                    Expect(")");
                }
                return new ValueFunction(word.ToUpperInvariant(), precision);
            case "coalesce" or "nullif" or "greatest" or "least" when Peek().IsPunctuation("("):
                _position++;
                return new KeywordCall(word.ToUpperInvariant(), List(")", allowEmpty: false), CommaSeparated: true);
            case "extract" or "position" or "substring" or "trim" or "overlay" when Peek().IsPunctuation("("):
                _position++;
                return SqlSyntaxCall(word);
        }

        if (TypedLiteral() is { } typed)
            return typed;
        // left(…) and right(…) are functions despite being reserved words.
        if (SqlIdentifier.IsReserved(word) && !(word is "left" or "right" && Peek().IsPunctuation("(")))
            throw new SyntaxError();
        return NameOrCall(word);
    }

    /// <summary>type 'text', as in interval '1 day': the cast 'text'::type; null (nothing read) otherwise.</summary>
    private SqlNode? TypedLiteral()
    {
        var start = --_position;
        if (Type() is { } type && Peek().Kind == SqlTokenKind.String)
            return new Cast(new Literal(Next().Text, LiteralKind.String), type);
        _position = start + 1;
        return null;
    }

    private SqlNode NameOrCall(string first)
    {
        var name = new List<string> { first };
        while (Peek().IsPunctuation(".") && Peek(1).Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            _position++;
            name.Add(NameText(Next()));
        }
        if (!TakePunctuation("("))
            return new ColumnRef(name);
        if (Peek().IsWord("distinct") || Peek().IsWord("all") || Peek().IsWord("variadic"))
            throw new SyntaxError();
        return new FunctionCall(name, List(")", allowEmpty: true));
    }

    /// <summary>The functions PostgreSQL writes with keywords between their arguments; the '(' is read.</summary>
    private SqlNode SqlSyntaxCall(string name)
    {
        var parts = new List<SqlNode>();
        switch (name)
        {
            case "extract":
                var field = Next();
                parts.Add(new Word(field.Kind switch
                {
                    SqlTokenKind.Word => field.Folded,
                    SqlTokenKind.String => field.Text,
                    _ => throw new SyntaxError(),
                }));
                ExpectWord("from");
                parts.Add(new Word("FROM"));
                parts.Add(Expression(0));
                break;
            case "position":
                // The operands cannot hold IN themselves (b_expr in the grammar).
                parts.Add(Expression(SqlPrecedence.Escape));
                ExpectWord("in");
                parts.Add(new Word("IN"));
                parts.Add(Expression(SqlPrecedence.Escape));
                break;
            case "substring":
                var text = Expression(0);
                if (Peek().IsPunctuation(",") || Peek().IsPunctuation(")"))
                    return PlainCallRest(name, text);
                var from = TakeWord("from") ? Expression(0) : null;
                var count = TakeWord("for") ? Expression(0) : null;
                if (from is null && count is null)
                    throw new SyntaxError();
                // SUBSTRING(x FOR n) is SUBSTRING(x FROM 1 FOR n), as PostgreSQL prints it.
                parts.AddRange(new[] { text, new Word("FROM"), from ?? new Literal("1", LiteralKind.Number) });
                if (count is not null)
                    parts.AddRange(new[] { new Word("FOR"), count });
                break;
            case "trim":
                // TRIM([BOTH|LEADING|TRAILING] [characters] FROM text), or TRIM([…] text [, characters]).
                var direction = TakeWord("leading") ? "LEADING" : TakeWord("trailing") ? "TRAILING" : "BOTH";
                if (direction == "BOTH")
                    TakeWord("both");
                SqlNode? characters = null;
                SqlNode source;
                if (TakeWord("from"))
                {
                    source = Expression(0);
                }
                else
                {
                    source = Expression(0);
                    if (TakeWord("from"))
                    {
                        characters = source;
                        source = Expression(0);
                    }
                    else if (TakePunctuation(","))
                    {
                        characters = Expression(0);
                    }
                }
                parts.Add(new Word(direction));
                if (characters is not null)
                    parts.Add(characters);
                parts.AddRange(new[] { new Word("FROM"), source });
                break;
            default: // overlay
                var target = Expression(0);
                if (Peek().IsPunctuation(",") || Peek().IsPunctuation(")"))
                    return PlainCallRest(name, target);
                ExpectWord("placing");
                parts.AddRange(new[] { target, new Word("PLACING"), Expression(0) });
                ExpectWord("from");
                parts.AddRange(new[] { new Word("FROM"), Expression(0) });
                if (TakeWord("for"))
                    parts.AddRange(new[] { new Word("FOR"), Expression(0) });
                break;
        }
        Expect(")");
        return new KeywordCall(name.ToUpperInvariant(), parts, CommaSeparated: false);
    }

    /// <summary>substring(a, b, c) and overlay(…) written as plain calls, once the first argument is read.</summary>
    private SqlNode PlainCallRest(string name, SqlNode first)
    {
        var arguments = new List<SqlNode> { first };
        while (TakePunctuation(","))
            arguments.Add(Expression(0));
        Expect(")");
        return new FunctionCall(new[] { name }, arguments);
    }

    private SqlNode CaseRest()
    {
        var operand = Peek().IsWord("when") ? null : Expression(0);
        var branches = new List<CaseBranch>();
        while (TakeWord("when"))
        {
            var condition = Expression(0);
            ExpectWord("then");
            branches.Add(new CaseBranch(condition, Expression(0)));
        }
        if (branches.Count == 0)
            throw new SyntaxError();
        var otherwise = TakeWord("else") ? Expression(0) : null;
        ExpectWord("end");
        return new CaseExpression(operand, branches, otherwise);
    }

    /// <summary>
    /// A type name in canonical form: double precision, character varying(n), timestamp(p) with
    /// time zone, name(n,m), each with any [] after it. Null when the tokens do not name a type.
    /// </summary>
    private string? Type()
    {
        var first = Peek();
        if (first.Kind == SqlTokenKind.Word && SqlIdentifier.IsReserved(first.Folded) || first.Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
            return null;
        _position++;
        var quoted = first.Kind == SqlTokenKind.QuotedIdentifier;
        var name = new List<string> { NameText(first) };
        while (Peek().IsPunctuation(".") && Peek(1).Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            _position++;
            name.Add(NameText(Next()));
        }

        var modifiers = new List<string>();
        string? zone = null;
        if (!quoted && name.Count == 1)
        {
            var second = name[0] switch
            {
                "double" => "precision",
                "character" or "char" or "bit" => "varying",
                _ => null,
            };
            if (second is not null && TakeWord(second))
                name[0] = (name[0] == "char" ? "character" : name[0]) + " " + second;
        }
        if (!Modifiers(modifiers))
            return null;
        // timestamp(3) with time zone: the precision comes before the time zone part.
        if (!quoted && name.Count == 1 && name[0] is "timestamp" or "time" && (TakeWord("with") || TakeWord("without")))
        {
            zone = _tokens[_position - 1].Folded + " time zone";
            if (!TakeWord("time") || !TakeWord("zone"))
                return null;
        }

        var dimensions = 0;
        while (TakePunctuation("["))
        {
            dimensions++;
            if (Peek().Kind == SqlTokenKind.Number)
                _position++; // a declared bound, which PostgreSQL ignores
            if (!TakePunctuation("]"))
                return null;
        }
        return SqlTypeName.Canonical(name, quoted, modifiers, zone, dimensions, _enumNames);
    }

    /// <summary>Reads "(n[, m])" when it follows; false when it starts but is malformed.</summary>
    private bool Modifiers(List<string> modifiers)
    {
        if (!Peek().IsPunctuation("(") || Peek(1).Kind != SqlTokenKind.Number)
            return true;
        _position++;
        do
        {
            if (Peek().Kind != SqlTokenKind.Number)
                return false;
            modifiers.Add(Next().Text);
        }
        while (TakePunctuation(","));
        return TakePunctuation(")");
    }

    private IReadOnlyList<string> QualifiedName()
    {
        var name = new List<string>();
        do
        {
            var part = Next();
            if (part.Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
                throw new SyntaxError();
            name.Add(NameText(part));
        }
        while (TakePunctuation("."));
        return name;
    }

    private List<SqlNode> List(string close, bool allowEmpty)
    {
        var items = new List<SqlNode>();
        if (allowEmpty && TakePunctuation(close))
            return items;
        do
            items.Add(Expression(0));
        while (TakePunctuation(","));
        Expect(close);
        return items;
    }

    private static string NameText(SqlToken token) => token.Kind == SqlTokenKind.QuotedIdentifier ? token.Text : token.Folded;

    private SqlToken Peek(int ahead = 0) => _position + ahead < _tokens.Count ? _tokens[_position + ahead] : End;

    private SqlToken Next() => _position < _tokens.Count ? _tokens[_position++] : throw new SyntaxError();

    private bool TakeWord(string word)
    {
        if (!Peek().IsWord(word))
            return false;
        _position++;
        return true;
    }

    private bool TakePunctuation(string text)
    {
        if (!Peek().IsPunctuation(text))
            return false;
        _position++;
        return true;
    }

    private void ExpectWord(string word)
    {
        if (!TakeWord(word))
            throw new SyntaxError();
    }

    private void Expect(string text)
    {
        if (!TakePunctuation(text))
            throw new SyntaxError();
    }
}
