namespace Narralytica.Schema.Model;

/// <summary>A position in schema.yaml: 1-based line and column, as editors show them.</summary>
public readonly record struct SourceSpan(int Line, int Column)
{
    public static readonly SourceSpan None = new(0, 0);

    public override string ToString() => $"({Line},{Column})";
}
