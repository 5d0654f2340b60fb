using System;
using System.Collections.Generic;
using System.Linq;

namespace Narralytica.Schema.Sql.Expressions;

/// <summary>
/// A parsed SQL expression. Parentheses are not nodes: the printer writes the ones the tree
/// needs, so two spellings of one tree print alike.
/// </summary>
internal abstract record SqlNode
{
    public abstract IEnumerable<SqlNode> Children();

    /// <summary>This node with each child replaced by <paramref name="map"/> of it.</summary>
    public abstract SqlNode Map(Func<SqlNode, SqlNode> map);

    public IEnumerable<SqlNode> SelfAndDescendants()
        => new[] { this }.Concat(Children().SelectMany(c => c.SelfAndDescendants()));

    protected static IReadOnlyList<SqlNode> MapAll(IReadOnlyList<SqlNode> nodes, Func<SqlNode, SqlNode> map)
        => nodes.Select(map).ToList();
}

internal enum LiteralKind
{
    /// <summary>A string literal; the text is as written, quotes included.</summary>
    String,
    Number,
    /// <summary>true, false, NULL.</summary>
    Constant,
}

internal sealed record Literal(string Text, LiteralKind Kind) : SqlNode
{
    public bool IsNegativeNumber => Kind == LiteralKind.Number && Text.StartsWith("-", StringComparison.Ordinal);
    public override IEnumerable<SqlNode> Children() => Array.Empty<SqlNode>();
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this;
}

/// <summary>A column reference; the parts are names as PostgreSQL resolves them (unquoted ones folded).</summary>
internal sealed record ColumnRef(IReadOnlyList<string> Parts) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => Array.Empty<SqlNode>();
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this;
}

/// <summary>A fixed word inside a special syntax: the field of EXTRACT, BOTH and FROM of TRIM.</summary>
internal sealed record Word(string Text) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => Array.Empty<SqlNode>();
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this;
}

internal sealed record FunctionCall(IReadOnlyList<string> Name, IReadOnlyList<SqlNode> Arguments) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => Arguments;
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Arguments = MapAll(Arguments, map) };
}

/// <summary>
/// A function written with SQL syntax, printed as a keyword: COALESCE(a, b) and its kin with
/// comma-separated arguments, or EXTRACT(year FROM x), TRIM(BOTH FROM x) whose parts are words and expressions.
/// </summary>
internal sealed record KeywordCall(string Keyword, IReadOnlyList<SqlNode> Parts, bool CommaSeparated) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => Parts;
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Parts = MapAll(Parts, map) };
}

/// <summary>CURRENT_DATE, CURRENT_USER, LOCALTIMESTAMP(3) and the other keywords that are values.</summary>
internal sealed record ValueFunction(string Keyword, string? Precision) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => Array.Empty<SqlNode>();
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this;
}

/// <summary>operand::type; the type is in canonical form.</summary>
internal sealed record Cast(SqlNode Operand, string Type) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => new[] { Operand };
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Operand = map(Operand) };
}

/// <summary>A prefix operator other than NOT.</summary>
internal sealed record Unary(string Operator, SqlNode Operand) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => new[] { Operand };
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Operand = map(Operand) };
}

/// <summary>An infix operator: AND, OR, LIKE, NOT LIKE, ILIKE, NOT ILIKE, AT TIME ZONE or a symbol.</summary>
internal sealed record Binary(string Operator, SqlNode Left, SqlNode Right) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => new[] { Left, Right };
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Left = map(Left), Right = map(Right) };
}

internal sealed record Not(SqlNode Operand) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => new[] { Operand };
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Operand = map(Operand) };
}

/// <summary>operand IS [NOT] NULL | TRUE | FALSE | UNKNOWN.</summary>
internal sealed record IsTest(SqlNode Operand, string Test, bool Negated) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => new[] { Operand };
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Operand = map(Operand) };
}

internal sealed record IsDistinct(SqlNode Left, SqlNode Right, bool Negated) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => new[] { Left, Right };
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Left = map(Left), Right = map(Right) };
}

internal sealed record InList(SqlNode Operand, IReadOnlyList<SqlNode> Items, bool Negated) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => new[] { Operand }.Concat(Items);
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Operand = map(Operand), Items = MapAll(Items, map) };
}

internal sealed record Between(SqlNode Operand, SqlNode Low, SqlNode High, bool Negated, bool Symmetric) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => new[] { Operand, Low, High };
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Operand = map(Operand), Low = map(Low), High = map(High) };
}

/// <summary>left op ANY|ALL (right).</summary>
internal sealed record Quantified(SqlNode Left, string Operator, string Quantifier, SqlNode Right) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => new[] { Left, Right };
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Left = map(Left), Right = map(Right) };
}

internal sealed record ArrayConstructor(IReadOnlyList<SqlNode> Items) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => Items;
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Items = MapAll(Items, map) };
}

/// <summary>operand[lower] or, as a slice, operand[lower:upper] with either bound optional.</summary>
internal sealed record Subscript(SqlNode Operand, SqlNode? Lower, SqlNode? Upper, bool Slice) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => new[] { Operand, Lower, Upper }.OfType<SqlNode>();

    public override SqlNode Map(Func<SqlNode, SqlNode> map)
        => this with { Operand = map(Operand), Lower = Lower is null ? null : map(Lower), Upper = Upper is null ? null : map(Upper) };
}

internal sealed record CaseBranch(SqlNode When, SqlNode Then);

/// <summary>CASE [operand] WHEN … THEN … [ELSE …] END.</summary>
internal sealed record CaseExpression(SqlNode? Operand, IReadOnlyList<CaseBranch> Branches, SqlNode? Else) : SqlNode
{
    public override IEnumerable<SqlNode> Children()
        => new[] { Operand }.Concat(Branches.SelectMany(b => new[] { b.When, b.Then })).Concat(new[] { Else }).OfType<SqlNode>();

    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with
    {
        Operand = Operand is null ? null : map(Operand),
        Branches = Branches.Select(b => new CaseBranch(map(b.When), map(b.Then))).ToList(),
        Else = Else is null ? null : map(Else),
    };
}

internal sealed record Collate(SqlNode Operand, IReadOnlyList<string> Collation) : SqlNode
{
    public override IEnumerable<SqlNode> Children() => new[] { Operand };
    public override SqlNode Map(Func<SqlNode, SqlNode> map) => this with { Operand = map(Operand) };
}
