using Contract.Tests.Targets;
using TinyFish.Runs;

namespace Contract.Tests;

/// <summary>Says once which server the suite checks, and releases the remote target at the end.</summary>
[SetUpFixture]
public sealed class ContractSession
{
    [OneTimeSetUp]
    public void Announce() =>
        TestContext.Progress.WriteLine(ContractTargets.IsRemote
            ? $"Contract suite against {Environment.GetEnvironmentVariable(TinyFishClient.BaseUrlVariable)} (real clock; outcomes cannot be forced)."
            : "Contract suite against the in-process fake (set TINYFISH_BASE_URL and TINYFISH_API_KEY to check another server).");

    [OneTimeTearDown]
    public Task ReleaseTargetAsync() => ContractTargets.DisposeRemoteAsync();
}
