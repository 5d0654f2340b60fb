using System.Text;

namespace Narralytica.Schema.Sql.Expressions;

/// <summary>
/// Joins tokens with the canonical spacing: one space between tokens, none inside brackets, before
/// a comma, around :: and ., after a prefix operator, or between a function name and its '('.
/// </summary>
internal sealed class SqlTextBuilder
{
    private const string OperatorChars = "+-*/<>=~!@#%^&|`?";

    private readonly StringBuilder _text = new();
    private bool _glued = true; // the next token follows without a space

    /// <summary>A token after a space: words, literals, infix operators.</summary>
    public void Token(string text)
    {
        // Operators written together would lex as one operator, or "--" as a comment.
        var merges = _text.Length > 0 && OperatorChars.IndexOf(_text[_text.Length - 1]) >= 0 && OperatorChars.IndexOf(text[0]) >= 0;
        if (!_glued || merges)
            _text.Append(' ');
        _text.Append(text);
        _glued = false;
    }

    /// <summary>A token after a space that the next token follows directly: '(' of a group, a prefix operator.</summary>
    public void Opening(string text)
    {
        Token(text);
        _glued = true;
    }

    /// <summary>A token right after the previous one: ')', ']', ','.</summary>
    public void Closing(string text)
    {
        _text.Append(text);
        _glued = false;
    }

    /// <summary>A token between two others without spaces: '::', '.', '[', ':' and the '(' of a call.</summary>
    public void Joining(string text)
    {
        _text.Append(text);
        _glued = true;
    }

    public override string ToString() => _text.ToString();
}
