namespace Narralytica.Schema.Sql;

// Interim: replaced by the tokenizing normalizer.
public static class SqlExpression
{
    public static string RenameIdentifier(string canonicalExpression, string oldName, string newName)
        => System.Text.RegularExpressions.Regex.Replace(canonicalExpression, $@"(?<![\w""']){oldName}(?![\w""'])", SqlIdentifier.Quote(newName));

    public static bool MentionsIdentifier(string canonicalExpression, string name)
        => System.Text.RegularExpressions.Regex.IsMatch(canonicalExpression, $@"(?<![\w""']){name}(?![\w""'])");
}
