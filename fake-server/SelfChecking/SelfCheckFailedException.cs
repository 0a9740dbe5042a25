using System.Text;

namespace TinyFish.FakeServer.SelfChecking;

/// <summary>
/// Thrown by <see cref="FakeTinyFish.AdvanceAsync"/>, <see cref="FakeTinyFish.WhenIdleAsync"/> and
/// <see cref="FakeTinyFish.DisposeAsync"/> when the fake sent something the spec does not allow since
/// the last time it threw: the fake (or a scenario given to it) is wrong, so the test cannot be trusted.
/// </summary>
public sealed class SelfCheckFailedException : Exception
{
    /// <summary>Creates the exception for <paramref name="violations"/>.</summary>
    public SelfCheckFailedException(IReadOnlyList<SelfCheckViolation> violations)
        : base(Describe(violations)) => Violations = violations;

    /// <summary>The violations this exception reports.</summary>
    public IReadOnlyList<SelfCheckViolation> Violations { get; }

    private static string Describe(IReadOnlyList<SelfCheckViolation> violations)
    {
        var text = new StringBuilder()
            .Append("The fake sent ").Append(violations.Count).Append(violations.Count == 1 ? " answer that breaks" : " answers that break")
            .Append(" openapi/tinyfish-runs.openapi.yaml (self-check):");
        foreach (var violation in violations) text.Append("\n  ").Append(violation);
        text.Append("\nfake.SelfCheck.Violations lists them; fake.SelfCheck.Clear() accepts them; FakeTinyFishOptions.SelfCheck = false turns the check off.");
        return text.ToString();
    }
}
