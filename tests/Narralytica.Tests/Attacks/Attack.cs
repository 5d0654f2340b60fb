using System;
using System.Threading.Tasks;

namespace Narralytica.Tests.Attacks;

/// <summary>
/// One attack on tenant isolation, tried as the application role.
/// </summary>
/// <param name="Id">Stable name, used as the test case.</param>
/// <param name="Goal">What the attacker is after, e.g. "read across tenants".</param>
/// <param name="Through">"SQL" (hand-written, on the role's own connection) or "API" (the generated data layer).</param>
/// <param name="Attempt">What is tried, in a sentence.</param>
/// <param name="StoppedBy">What is expected to stop it.</param>
/// <param name="Run">Tries it, checks that it got nowhere (throwing when it did), and returns what was observed.</param>
public sealed record Attack(string Id, string Goal, string Through, string Attempt, string StoppedBy, Func<AttackRun, Task<string>> Run)
{
    public override string ToString() => Id;
}
