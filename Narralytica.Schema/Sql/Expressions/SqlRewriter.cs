using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Sql.Expressions;

/// <summary>
/// Rewrites a parsed expression into one canonical form, the one PostgreSQL 15's re-print of it
/// (pg_get_expr, pg_get_constraintdef) also rewrites to. Each rule keeps the meaning:
/// CURRENT_TIMESTAMP and transaction_timestamp() are now(); BETWEEN is the two comparisons
/// PostgreSQL makes of it; x IN (constants) is kept as IN, and PostgreSQL's x = ANY (ARRAY[…])
/// goes back to it; a cast PostgreSQL adds to a literal whose type the other operand decides is
/// dropped; a number PostgreSQL prints quoted ('-1'::integer) is a plain number.
/// </summary>
internal sealed class SqlRewriter
{
    private static readonly SqlNode Now = new FunctionCall(new[] { "now" }, Array.Empty<SqlNode>());

    private static readonly Regex NumberText = new(@"^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly HashSet<string> NumericTypes = new() { "smallint", "integer", "bigint", "numeric", "real", "double precision" };

    // Operators whose operands PostgreSQL resolves to one type: a literal takes the other operand's.
    private static readonly HashSet<string> MatchingOperators = new() { "=", "<>", "<", ">", "<=", ">=", "LIKE", "NOT LIKE", "ILIKE", "NOT ILIKE", "~", "~*", "!~", "!~*" };

    // Operators taking text on the right (jsonb ? key, json -> key, timestamp AT TIME ZONE zone).
    private static readonly HashSet<string> TextKeyOperators = new() { "?", "->", "->>", "AT TIME ZONE" };

    private readonly ISet<string> _enumNames;

    public SqlRewriter(ISet<string> enumNames) => _enumNames = enumNames;

    public SqlNode Rewrite(SqlNode node) => Simplify(node.Map(Rewrite));

    /// <summary>
    /// A column default: as <see cref="Rewrite"/>, and a literal cast to the column's own type
    /// ('{}'::jsonb on a jsonb column) is the bare literal, a number on a numeric column a plain number.
    /// </summary>
    public SqlNode RewriteDefault(SqlNode node, PgType column)
    {
        node = Rewrite(node);
        if (node is Cast { Operand: Literal { Kind: LiteralKind.String } literal } cast && IsColumnType(cast.Type, column))
            node = literal;
        if (IsNumeric(column) && node is not Literal { Kind: LiteralKind.Number } && NumberOf(node) is { } number)
            node = new Literal(number, LiteralKind.Number);
        return node;
    }

    /// <summary>The rules for one node whose children are already rewritten.</summary>
    private SqlNode Simplify(SqlNode node)
    {
        switch (node)
        {
            case ValueFunction { Keyword: "CURRENT_TIMESTAMP", Precision: null }:
                return Now;
            case FunctionCall { Arguments.Count: 0 } call when call.Name.Count == 1 && call.Name[0] == "transaction_timestamp":
                return Now;
            case FunctionCall call:
                return call with { Arguments = call.Arguments.Select(TextTyped).ToList() };
            case KeywordCall { CommaSeparated: true } call: // COALESCE, NULLIF, GREATEST, LEAST
                return call with { Parts = CommonlyTyped(call.Parts) };
            case KeywordCall call:
                return call with { Parts = call.Parts.Select(TextTyped).ToList() };
            case Cast cast:
                return NumberOf(cast) is { } number && cast.Type == UnadornedType(number) ? new Literal(number, LiteralKind.Number) : cast;
            case Binary binary:
                return Operands(binary);
            case IsDistinct distinct:
                return distinct with { Left = Typed(distinct.Left, distinct.Right), Right = Typed(distinct.Right, distinct.Left) };
            case Not { Operand: IsDistinct { Negated: false } distinct }: // PostgreSQL prints IS NOT DISTINCT FROM so
                return distinct with { Negated = true };
            case Between between:
                return Comparisons(between);
            case Quantified quantified when InListOf(quantified) is { } list:
                return Comparisons(list);
            case InList list:
                return Comparisons(list);
            case ArrayConstructor array when array.Items.All(IsStringLiteral):
                return array with { Items = array.Items.Select(TextTyped).ToList() };
            case CaseExpression caseExpression:
                return Typed(caseExpression);
            default:
                return node;
        }
    }

    private SqlNode Operands(Binary binary)
    {
        if (MatchingOperators.Contains(binary.Operator))
            return binary with { Left = Typed(binary.Left, binary.Right), Right = Typed(binary.Right, binary.Left) };
        if (TextKeyOperators.Contains(binary.Operator))
            return binary with { Right = TextTyped(binary.Right) };
        if (binary.Operator == "||" && IsStringLiteral(binary.Left) && IsStringLiteral(binary.Right))
            return binary with { Left = TextTyped(binary.Left), Right = TextTyped(binary.Right) };
        return binary;
    }

    /// <summary>x BETWEEN a AND b is x &gt;= a AND x &lt;= b, which is what PostgreSQL stores and prints.</summary>
    private SqlNode Comparisons(Between between)
    {
        SqlNode Compare(string op, SqlNode bound) => Operands(new Binary(op, between.Operand, bound));
        SqlNode Range(SqlNode low, SqlNode high) => between.Negated
            ? new Binary("OR", Compare("<", low), Compare(">", high))
            : new Binary("AND", Compare(">=", low), Compare("<=", high));

        var range = Range(between.Low, between.High);
        return between.Symmetric ? new Binary(between.Negated ? "AND" : "OR", range, Range(between.High, between.Low)) : range;
    }

    /// <summary>
    /// x IN (…) as PostgreSQL reads it: the items without column references stay in one IN list
    /// when there are two or more (PostgreSQL's = ANY (ARRAY[…])); every other item is its own
    /// x = item, joined by OR (NOT IN: x &lt;&gt; item, joined by AND).
    /// </summary>
    private SqlNode Comparisons(InList list)
    {
        var items = list.Items.Select(i => Typed(i, list.Operand)).ToList();
        var constants = items.Where(i => !MentionsColumn(i)).ToList();
        var parts = new List<SqlNode>();
        if (constants.Count > 1)
        {
            parts.Add(list with { Items = constants });
            items = items.Where(MentionsColumn).ToList();
        }
        parts.AddRange(items.Select(i => Operands(new Binary(list.Negated ? "<>" : "=", list.Operand, i))));
        return parts.Aggregate((left, right) => new Binary(list.Negated ? "AND" : "OR", left, right));
    }

    /// <summary>x = ANY (ARRAY[constants]) is x IN (…), x &lt;&gt; ALL (ARRAY[…]) x NOT IN (…); null for other forms.</summary>
    private static InList? InListOf(Quantified quantified)
    {
        if (quantified.Right is not ArrayConstructor { Items.Count: > 0 } array || array.Items.Any(MentionsColumn))
            return null;
        return (quantified.Operator, quantified.Quantifier) switch
        {
            ("=", "ANY") => new InList(quantified.Left, array.Items, Negated: false),
            ("<>", "ALL") => new InList(quantified.Left, array.Items, Negated: true),
            _ => null,
        };
    }

    /// <summary>The results of a CASE share one type, and the values of a simple CASE are compared with its operand.</summary>
    private SqlNode Typed(CaseExpression caseExpression)
    {
        var branches = caseExpression.Branches
            .Select(b => new CaseBranch(caseExpression.Operand is null ? b.When : Typed(b.When, caseExpression.Operand), b.Then))
            .ToList();
        var results = CommonlyTyped(branches.Select(b => b.Then).Concat(new[] { caseExpression.Else }).OfType<SqlNode>().ToList());
        return caseExpression with
        {
            Branches = branches.Select((b, i) => new CaseBranch(b.When, results[i])).ToList(),
            Else = caseExpression.Else is null ? null : results[results.Count - 1],
        };
    }

    /// <summary>
    /// Values of one common type (COALESCE arguments, CASE results). With a non-literal among them,
    /// that one decides the type and a string literal's cast adds nothing; number casts stay, since
    /// they can decide the result's type.
    /// </summary>
    private List<SqlNode> CommonlyTyped(IReadOnlyList<SqlNode> values)
    {
        var decided = values.Any(v => !IsLiteral(v));
        return values.Select(v => decided ? Typed(v, byContext: true, numbers: false) : TextTyped(v)).ToList();
    }

    /// <summary>A literal matched against <paramref name="other"/>, without the casts that operand makes redundant.</summary>
    private SqlNode Typed(SqlNode literal, SqlNode other)
    {
        var typed = Typed(literal, byContext: !IsLiteral(other), numbers: true);
        // Against an operand cast to the same type (f::date >= '2020-01-01'::date) any type's cast is redundant.
        if (ReferenceEquals(typed, literal) && literal is Cast { Operand: Literal { Kind: LiteralKind.String } text } cast
            && other is Cast otherCast && otherCast.Type == cast.Type && !IsLiteral(other))
            return text;
        return typed;
    }

    private SqlNode Typed(SqlNode node, bool byContext, bool numbers)
    {
        if (!byContext)
            return TextTyped(node);
        if (node is Cast { Operand: Literal { Kind: LiteralKind.String } literal } cast
            && (cast.Type is "text" or "character varying" or "bpchar" || _enumNames.Contains(cast.Type)))
            return literal;
        // A number compared with a column compares alike whatever numeric type it is written in.
        if (numbers && node is Cast numberCast && NumberOf(numberCast) is { } number
            && (numberCast.Type is "smallint" or "integer" or "bigint" or "numeric" || numberCast.Type == "double precision" && Digits(number) <= 15))
            return new Literal(number, LiteralKind.Number);
        return node;
    }

    /// <summary>'x'::text is 'x' wherever an unknown literal resolves to text anyway.</summary>
    private static SqlNode TextTyped(SqlNode node)
        => node is Cast { Type: "text", Operand: Literal { Kind: LiteralKind.String } literal } ? literal : node;

    /// <summary>The number a literal, or a literal cast to a numeric type, stands for: 5, '-1', (2)::numeric, '-1.5'::numeric.</summary>
    private static string? NumberOf(SqlNode node) => node switch
    {
        Literal { Kind: LiteralKind.Number } number => number.Text,
        Literal { Kind: LiteralKind.String } text when text.Text.StartsWith("'", StringComparison.Ordinal) && NumberText.IsMatch(Unquoted(text.Text)) => Unquoted(text.Text).ToLowerInvariant(),
        Cast { Operand: Literal operand } cast when NumericTypes.Contains(cast.Type) => NumberOf(operand),
        _ => null,
    };

    private static string Unquoted(string literal) => literal.Substring(1, literal.Length - 2);

    /// <summary>The type PostgreSQL gives a number written without a cast.</summary>
    private static string UnadornedType(string number)
    {
        if (number.IndexOfAny(new[] { '.', 'e' }) >= 0 || !long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return "numeric";
        return value is >= int.MinValue and <= int.MaxValue ? "integer" : "bigint";
    }

    private static int Digits(string number)
    {
        var mantissa = number.Split('e')[0];
        return mantissa.Where(char.IsDigit).SkipWhile(d => d == '0').Count();
    }

    private static bool IsLiteral(SqlNode node) => node is Literal || node is Cast cast && IsLiteral(cast.Operand);

    private static bool IsStringLiteral(SqlNode node) => TextTyped(node) is Literal { Kind: LiteralKind.String };

    private static bool MentionsColumn(SqlNode node) => node.SelfAndDescendants().Any(n => n is ColumnRef);

    private static bool IsNumeric(PgType type)
        => !type.IsArray && type.Kind is PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt or PgTypeKind.Numeric or PgTypeKind.Real or PgTypeKind.Double;

    /// <summary>Whether a cast to <paramref name="type"/> gives a literal nothing the column's type would not.</summary>
    private static bool IsColumnType(string type, PgType column)
    {
        if (type == column.Sql)
            return true;
        if (column.IsArray)
            return false;
        return column.Kind switch
        {
            PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char => type is "text" or "character varying" or "bpchar",
            PgTypeKind.Numeric => type == "numeric",
            _ => false,
        };
    }
}
