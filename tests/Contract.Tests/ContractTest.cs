using System.Runtime.CompilerServices;
using Contract.Tests.Targets;
using TinyFish.FakeServer;
using TinyFish.Runs;

namespace Contract.Tests;

/// <summary>
/// What every contract test shares: the target (a fresh in-process fake, or the session's remote
/// server), a goal marker unique to the test so filters see only its runs even on a server full of
/// other runs, a patience bound, and — remotely — cancelling what the test started.
/// </summary>
public abstract class ContractTest
{
    // A run that finished and a blocking /run answer are costly on a real server: made once per
    // target, so a remote session pays for each once, while every in-process fake makes its own.
    private static readonly ConditionalWeakTable<IContractTarget, Task<Run>> FinishedRuns = [];
    private static readonly ConditionalWeakTable<IContractTarget, Task<SyncRunResponse>> BlockingRuns = [];

    private IContractTarget? _target;
    private CancellationTokenSource? _patience;
    private readonly List<string> _started = [];

    /// <summary>The server under check.</summary>
    protected IContractTarget Target => _target ?? throw new InvalidOperationException("The target exists only while a test runs.");

    /// <summary>The generated client for <see cref="Target"/>.</summary>
    protected TinyFishClient Client => Target.Client;

    /// <summary>Text in the goal of every run this test starts; filter lists by it.</summary>
    protected string Marker { get; private set; } = "";

    /// <summary>Ends the test's calls once the target's patience is spent.</summary>
    protected CancellationToken Patience => _patience?.Token ?? CancellationToken.None;

    [SetUp]
    public void StartTarget()
    {
        _target = ContractTargets.ForTest();
        Marker = "contract-" + Guid.NewGuid().ToString("N");
        _patience = new CancellationTokenSource(_target.Patience);
        _started.Clear();
    }

    [TearDown]
    public async Task StopTargetAsync()
    {
        try
        {
            if (_target is { Fake: null } remote) await CancelWhatWasStartedAsync(remote);
        }
        finally
        {
            _patience?.Dispose();
            _patience = null;
            // A remote target belongs to the session (ContractTargets); an in-process one to this test.
            if (_target is InProcessFakeTarget) await _target.DisposeAsync();
            _target = null;
        }
    }

    /// <summary>A cheap run request on <c>https://example.com</c> whose goal carries <see cref="Marker"/>.</summary>
    protected RunRequest Request(string what = "Read the page title") =>
        new() { Url = new Uri("https://example.com"), Goal = $"{what} ({Marker})" };

    /// <summary>Queues a run with <c>run-async</c>, checks the answer's shape and returns the id.</summary>
    protected async Task<string> QueueAsync(string what = "Read the page title")
    {
        var queued = await Client.Automation.QueueRunAsync(Request(what), Patience);
        Assert.That(queued.Error, Is.Null, "a queued run answers error: null");
        Assert.That(queued.RunId, Is.Not.Null.And.Not.Empty, "a queued run answers its run_id");
        Started(queued.RunId!);
        return queued.RunId!;
    }

    /// <summary>Remembers runs to cancel after the test when the target is remote.</summary>
    protected void Started(params IEnumerable<string> runIds) => _started.AddRange(runIds);

    /// <summary>
    /// Tells the server what some new runs do — <paramref name="ruleJson"/> is a <c>/_fake/scenarios</c>
    /// rule, matched by <see cref="Marker"/> in the goal —; ignores the test when the server cannot be told.
    /// </summary>
    protected async Task RequireScenarioAsync(string whatTheServerMustBeToldTo, string ruleJson)
    {
        if (await Target.TryAddScenarioAsync(ruleJson, CancellationToken.None)) return;
        Assert.Ignore($"Needs a server that can be told to {whatTheServerMustBeToldTo}: a fake, in process or standalone with {RemoteTarget.FakeUrlVariable} (target: {Target.Name}).");
    }

    /// <summary>Ignores the test when a validating proxy would answer the spec-breaking request itself.</summary>
    protected void RequireRequestsThatBreakTheSpecToReachTheServer(string whatTheRequestBreaks)
    {
        if (Target.ForwardsRequestsThatBreakTheSpec) return;
        Assert.Ignore($"Sends a request that breaks the spec ({whatTheRequestBreaks}); the validating proxy in front of {Target.Name} answers such a request itself ({RemoteTarget.ValidatingProxyVariable} is set).");
    }

    /// <summary>A run queued with <c>run-async</c> and read until it finished (made once per remote session).</summary>
    protected Task<Run> AFinishedRunAsync() =>
        FinishedRuns.GetValue(Target, target => MakeFinishedRunAsync(target, "contract-shared-" + Guid.NewGuid().ToString("N")));

    /// <summary>The answer of a blocking <c>/run</c> (made once per remote session).</summary>
    protected Task<SyncRunResponse> ABlockingRunAsync() =>
        BlockingRuns.GetValue(Target, target => MakeBlockingRunAsync(target, "contract-shared-" + Guid.NewGuid().ToString("N")));

    /// <summary>
    /// The id of the one run whose goal holds <paramref name="goalText"/>, read from the list: how a
    /// test finds a streamed run that it cannot read from the stream yet (Prism buffers streams).
    /// </summary>
    protected async Task<string> FindRunByGoalAsync(string goalText)
    {
        while (true)
        {
            var page = await Client.Runs.ListRunsAsync(goal: goalText, limit: 2, cancellationToken: Patience);
            if (page.Data.Count > 0)
            {
                Assert.That(page.Data, Has.Count.EqualTo(1), $"one run has '{goalText}' in its goal");
                Started(page.Data[0].RunId);
                return page.Data[0].RunId;
            }
            await Target.NextMomentAsync(Patience);
        }
    }

    private static async Task<Run> MakeFinishedRunAsync(IContractTarget target, string marker)
    {
        var queued = await target.Client.Automation.QueueRunAsync(
            new RunRequest { Url = new Uri("https://example.com"), Goal = $"Read the page title ({marker})" }, CancellationToken.None);
        Assert.That(queued.RunId, Is.Not.Null, "a queued run answers its run_id");
        return (await target.WaitUntilFinishedAsync([queued.RunId!], CancellationToken.None))[0];
    }

    private static Task<SyncRunResponse> MakeBlockingRunAsync(IContractTarget target, string marker) =>
        target.WhileRunsProgressAsync(
            target.Client.Automation.RunAutomationAsync(
                new RunRequest { Url = new Uri("https://example.com"), Goal = $"Read the page title ({marker})" }, CancellationToken.None),
            CancellationToken.None);

    private async Task CancelWhatWasStartedAsync(IContractTarget target)
    {
        // Best effort, so a real account is not left paying for runs a failed test abandoned.
        foreach (var chunk in _started.Distinct(StringComparer.Ordinal).Chunk(TinyFishClient.MaxBatchSize))
        {
            try
            {
                await target.Client.Runs.CancelRunsBatchAsync(new RunIdsRequest { RunIds = chunk }, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await TestContext.Progress.WriteLineAsync($"Could not cancel runs {string.Join(", ", chunk)} after the test: {e.Message}");
            }
        }
    }
}
