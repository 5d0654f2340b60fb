using System;
using Narralytica.Schema.Sql.Citus;

namespace Narralytica.Database.Citus;

/// <summary>What one step of a distribution did.</summary>
/// <param name="Description">The step (<see cref="DistributionStep.Description"/>).</param>
/// <param name="Ran">False when its check said it was done already.</param>
/// <param name="Elapsed">How long it took (zero when skipped).</param>
public sealed record DistributionOutcome(string Description, bool Ran, TimeSpan Elapsed);
