namespace Narralytica.Analyzers;

/// <summary>A table name as SQL writes it: <c>segments</c>, <c>public.segments</c> or <c>"segments"</c>.</summary>
internal readonly struct SqlTableName
{
    public SqlTableName(string name, bool quoted)
    {
        Name = name;
        Quoted = quoted;
    }

    public string Name { get; }
    public bool Quoted { get; }
}
