using TinyFish.FakeServer;
using TinyFish.Runs;

namespace TinyFish.Runs.Specification.Targets;

/// <summary>
/// The server the contract suite checks: the in-process fake (time driven by the test, outcomes
/// forceable) or a remote server (real clock; outcomes forceable only on a standalone fake). Tests
/// are written once against this; a test that needs what a server cannot do is ignored there.
/// </summary>
internal interface IContractTarget : IAsyncDisposable
{
    /// <summary>What is being checked, for messages (e.g. <c>in-process fake</c>, <c>http://127.0.0.1:4010/</c>).</summary>
    string Name { get; }

    /// <summary>A client of the generated API with the target's key. Retries are off: the suite checks first answers.</summary>
    TinyFishClient Client { get; }

    /// <summary>The in-process fake behind this target, or null when the server cannot be told what to do.</summary>
    FakeTinyFish? Fake { get; }

    /// <summary>
    /// False when a validating proxy (Prism) sits in front: it answers a request that breaks the spec
    /// itself (401/422 problem+json) instead of passing it on, so tests of such requests cannot run.
    /// </summary>
    bool ForwardsRequestsThatBreakTheSpec { get; }

    /// <summary>How long one test may wait for runs on this target before it fails (a hang guard on the fake).</summary>
    TimeSpan Patience { get; }

    /// <summary>A client for the same server that sends <paramref name="apiKey"/> (none when null).</summary>
    TinyFishClient CreateClient(string? apiKey);

    /// <summary>
    /// Lets a little time pass between two reads: one second on the fake's clock; a short real
    /// pause against a remote server, whose runs move on their own.
    /// </summary>
    Task NextMomentAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Waits for a call that ends only when a run has finished (a blocking <c>/run</c>, an event
    /// stream): on the fake, moves the clock until it completes; remotely, simply awaits it.
    /// </summary>
    Task<T> WhileRunsProgressAsync<T>(Task<T> call, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a rule for new runs, written as the JSON of the fake's <c>POST /_fake/scenarios</c>
    /// (e.g. <c>{"goal_contains":"x","fails_goal":"why"}</c>); false when the server cannot be told
    /// (the real API, or a standalone fake whose address was not given in <c>TINYFISH_CONTRACT_FAKE_URL</c>).
    /// </summary>
    Task<bool> TryAddScenarioAsync(string ruleJson, CancellationToken cancellationToken);

    /// <summary>Reads the runs until each is COMPLETED, FAILED or CANCELLED, in the order given.</summary>
    Task<IReadOnlyList<Run>> WaitUntilFinishedAsync(IReadOnlyList<string> runIds, CancellationToken cancellationToken);
}
