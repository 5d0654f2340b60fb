namespace Narralytica.Dataset;

/// <summary>The tables the data set fills; each has its own range of ids within a tenant.</summary>
public enum RowTable
{
    Tenant = 0,
    Video = 1,
    Speaker = 2,
    Transcript = 3,
    Segment = 4,
    Layer = 5,
}
