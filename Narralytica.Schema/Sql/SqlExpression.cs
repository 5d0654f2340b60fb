using System;
using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql.Expressions;

namespace Narralytica.Schema.Sql;

/// <summary>
/// The canonical form of the SQL expressions of a schema: column defaults, checks and partial-index
/// predicates. Spellings PostgreSQL reads alike (CURRENT_TIMESTAMP and now(), ::int4 and ::integer,
/// IN lists and = ANY (ARRAY[…]), redundant parentheses and casts) get one text, and PostgreSQL's own
/// re-print of a canonical expression normalizes back to it, so a migration differ can compare
/// expressions as strings. Input that is not an expression this code parses keeps its tokens, with
/// canonical spacing and case; input it cannot even tokenize is returned trimmed.
/// </summary>
public static class SqlExpression
{
    private static readonly ISet<string> NoEnums = new HashSet<string>();

    /// <summary>A check or index predicate in canonical form.</summary>
    /// <param name="enumNames">The schema's enum types: a literal cast to one is compared with a column of that type.</param>
    public static string Normalize(string expression, IReadOnlyCollection<string> enumNames)
        => Canonical(expression, enumNames, (rewriter, node) => SqlPrinter.Print(rewriter.Rewrite(node)));

    /// <summary>
    /// A column default in canonical form: as <see cref="Normalize"/>, and a literal cast to the
    /// column's type loses the cast ('{}'::jsonb on a jsonb column is '{}'), a number on a numeric
    /// column is written plainly ('-1'::integer is -1).
    /// </summary>
    public static string NormalizeDefault(string expression, PgType columnType, IReadOnlyCollection<string> enumNames)
        => Canonical(expression, enumNames, (rewriter, node) => SqlPrinter.PrintDefault(rewriter.RewriteDefault(node, columnType)));

    /// <summary>
    /// A canonical expression with every reference to column <paramref name="oldName"/> naming
    /// <paramref name="newName"/> instead (quoted when it must be). String literals, function and
    /// type names are left alone.
    /// </summary>
    public static string RenameIdentifier(string canonicalExpression, string oldName, string newName)
    {
        if (!MentionsIdentifier(canonicalExpression, oldName))
            return canonicalExpression;
        var tokens = SqlTokenizer.Tokenize(canonicalExpression)!;
        if (SqlParser.Parse(tokens, NoEnums) is { } node)
            return SqlPrinter.Print(Rename(node, oldName, newName));
        var renamed = tokens.Select((t, i) => IsColumnToken(tokens, i, oldName) ? new SqlToken(SqlTokenKind.QuotedIdentifier, newName) : t).ToList();
        return SqlPrinter.Print(renamed);
    }

    /// <summary>Whether a canonical expression refers to column <paramref name="name"/>.</summary>
    public static bool MentionsIdentifier(string canonicalExpression, string name)
    {
        var tokens = SqlTokenizer.Tokenize(canonicalExpression);
        if (tokens is null)
            return false;
        if (SqlParser.Parse(tokens, NoEnums) is { } node)
            return node.SelfAndDescendants().Any(n => n is ColumnRef column && column.Parts[column.Parts.Count - 1] == name);
        return Enumerable.Range(0, tokens.Count).Any(i => IsColumnToken(tokens, i, name));
    }

    private static string Canonical(string expression, IReadOnlyCollection<string> enumNames, Func<SqlRewriter, SqlNode, string> print)
    {
        var tokens = SqlTokenizer.Tokenize(expression);
        if (tokens is null)
            return expression.Trim();
        var enums = new HashSet<string>(enumNames, StringComparer.Ordinal);
        var node = SqlParser.Parse(tokens, enums);
        return node is null ? SqlPrinter.Print(tokens) : print(new SqlRewriter(enums), node);
    }

    /// <summary>The column name is the last part of a reference (a check may write table.column).</summary>
    private static SqlNode Rename(SqlNode node, string oldName, string newName)
    {
        if (node is ColumnRef column && column.Parts[column.Parts.Count - 1] == oldName)
            return new ColumnRef(column.Parts.Take(column.Parts.Count - 1).Concat(new[] { newName }).ToList());
        return node.Map(child => Rename(child, oldName, newName));
    }

    /// <summary>
    /// In a token list that did not parse: whether token <paramref name="i"/> names column
    /// <paramref name="name"/>, judged by its neighbours (not a function, a type or a qualifier).
    /// </summary>
    private static bool IsColumnToken(List<SqlToken> tokens, int i, string name)
    {
        var token = tokens[i];
        var matches = token.Kind == SqlTokenKind.QuotedIdentifier && token.Text == name
                      || token.Kind == SqlTokenKind.Word && token.Folded == name && !SqlIdentifier.IsReserved(name);
        var next = i + 1 < tokens.Count ? tokens[i + 1] : default;
        var previous = i > 0 ? tokens[i - 1] : default;
        return matches && !next.IsPunctuation("(") && !next.IsPunctuation(".") && !previous.IsPunctuation("::");
    }
}
