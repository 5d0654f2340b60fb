using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Attacks;

/// <summary>
/// Each attack of <see cref="AttackCatalogue"/> on a fresh migrated database, as the application role: it must get
/// nowhere. A failure names the attack and says what got through.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AttackTests
{
    private readonly PostgresFixture _postgres;

    public AttackTests(PostgresFixture postgres) => _postgres = postgres;

    public static IEnumerable<object[]> Attacks => AttackCatalogue.All.Select(a => new object[] { a.Id });

    [Fact]
    public void Attack_ids_are_unique()
        => Assert.Equal(AttackCatalogue.All.Count, AttackCatalogue.All.Select(a => a.Id).Distinct().Count());

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task The_attack_gets_nowhere(string id)
    {
        var outcome = await TryAsync(_postgres, AttackCatalogue.Named(id));
        Assert.False(string.IsNullOrWhiteSpace(outcome));
    }

    /// <summary>Runs one attack on a database of its own; returns what was observed.</summary>
    public static async Task<string> TryAsync(PostgresFixture postgres, Attack attack)
    {
        await using var run = await AttackRun.StartAsync(await AttackDatabase.CreateAsync(postgres));
        return await attack.Run(run);
    }
}
