namespace Narralytica.Cli.Commands;

/// <summary>Exit codes every command shares: 0 nothing wrong, 1 an error, 2 a difference found.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int DifferenceFound = 2;
}
