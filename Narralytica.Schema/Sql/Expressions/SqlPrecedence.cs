namespace Narralytica.Schema.Sql.Expressions;

/// <summary>
/// Operator precedence of PostgreSQL 15's grammar (gram.y), lowest first. The parser reads with
/// it and the printer writes exactly the parentheses it requires.
/// </summary>
internal static class SqlPrecedence
{
    public const int Or = 1;
    public const int And = 2;
    public const int Not = 3;
    /// <summary>IS NULL, IS TRUE, IS DISTINCT FROM, ISNULL, NOTNULL; non-associative.</summary>
    public const int Is = 4;
    /// <summary>&lt; &gt; = &lt;= &gt;= &lt;&gt;; non-associative.</summary>
    public const int Comparison = 5;
    /// <summary>BETWEEN, IN, LIKE, ILIKE, SIMILAR and their NOT forms; non-associative.</summary>
    public const int Like = 6;
    public const int Escape = 7;
    /// <summary>Any other operator (||, ~, @&gt;, -&gt;&gt;, …).</summary>
    public const int Other = 8;
    public const int Additive = 9;
    public const int Multiplicative = 10;
    public const int Exponent = 11;
    public const int AtTimeZone = 12;
    public const int Collate = 13;
    public const int UnaryMinus = 14;
    public const int Subscript = 15;
    public const int Cast = 16;
    /// <summary>Literals, names, calls, CASE, ARRAY[…], anything in parentheses.</summary>
    public const int Primary = 20;

    public static bool IsNonAssociative(int level) => level is Is or Comparison or Like;

    public static bool IsComparison(string op) => op is "=" or "<>" or "<" or ">" or "<=" or ">=";

    public static int OfBinary(string op) => op switch
    {
        "OR" => Or,
        "AND" => And,
        "LIKE" or "NOT LIKE" or "ILIKE" or "NOT ILIKE" => Like,
        "+" or "-" => Additive,
        "*" or "/" or "%" => Multiplicative,
        "^" => Exponent,
        "AT TIME ZONE" => AtTimeZone,
        _ when IsComparison(op) => Comparison,
        _ => Other,
    };

    /// <summary>A prefix operator: unary minus and plus bind tightly, others like any operator.</summary>
    public static int OfPrefix(string op) => op is "-" or "+" ? UnaryMinus : Other;
}
