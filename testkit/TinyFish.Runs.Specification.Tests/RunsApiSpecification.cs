using System.Runtime.CompilerServices;
using TinyFish.FakeServer;
using TinyFish.Runs.Specification.Targets;

namespace TinyFish.Runs.Specification;

/// <summary>
/// The documented behaviour of the TinyFish runs API as NUnit checks you run against a server of your
/// choice: every operation through the generated client — lifecycle, paging and filters, the cancel
/// table, event order, error envelopes, batches, outcomes. Inherit it in your test project and name the
/// server; the class is the fixture (category <c>Contract</c>).
/// </summary>
/// <example>
/// A nightly job against the real API or a staging deployment (<c>TINYFISH_BASE_URL</c>, <c>TINYFISH_API_KEY</c>):
/// <code>
/// [TestFixture]   // NUnit looks for tests only in classes of your assembly that carry one of its attributes
/// public sealed class TinyFishContract() : RunsApiSpecification(SpecificationServer.FromEnvironment());
/// </code>
/// Against an explicit server: <c>: RunsApiSpecification(new SpecificationServer(new Uri("http://127.0.0.1:5080"), "KEY") { FakeControlAddress = new Uri("http://127.0.0.1:5080") })</c>.
/// </example>
/// <remarks>
/// Each check gets a goal marker of its own, so filters see only its runs on a server full of other runs,
/// and cancels what it started when it ends. Against a null server (no variables set) every check runs on a
/// fresh in-process fake whose clock it drives: all of them pass in about a second.
/// </remarks>
[TestFixture]
[Category("Contract")]
public abstract partial class RunsApiSpecification
{
    // A run that finished and a blocking /run answer are costly on a real server: made once per
    // target, so a remote fixture pays for each once, while every in-process fake makes its own.
    private static readonly ConditionalWeakTable<IContractTarget, Task<Run>> FinishedRuns = [];
    private static readonly ConditionalWeakTable<IContractTarget, Task<SyncRunResponse>> BlockingRuns = [];

    private readonly SpecificationServer? _server;
    private RemoteTarget? _remote;
    private IContractTarget? _target;
    private CancellationTokenSource? _patience;
    private readonly List<string> _started = [];

    /// <summary>Checks <paramref name="server"/>, or a fresh in-process fake for every check when it is null.</summary>
    /// <param name="server">The server to check; <see cref="SpecificationServer.FromEnvironment"/> reads it from the environment.</param>
    protected RunsApiSpecification(SpecificationServer? server) => _server = server;

    /// <summary>The server under check, for messages.</summary>
    public string ServerName => _server?.ToString() ?? "in-process fake";

    private IContractTarget Target => _target ?? throw new InvalidOperationException("The target exists only while a check runs.");

    private TinyFishClient Client => Target.Client;

    /// <summary>Text in the goal of every run this check starts; filter lists by it.</summary>
    private string Marker { get; set; } = "";

    /// <summary>Ends the check's calls once the target's patience is spent.</summary>
    private CancellationToken Patience => _patience?.Token ?? CancellationToken.None;

    /// <summary>Says which server the fixture checks.</summary>
    [OneTimeSetUp]
    public void AnnounceServer() =>
        TestContext.Progress.WriteLine(_server is null
            ? "TinyFish runs API specification against the in-process fake (set TINYFISH_BASE_URL and TINYFISH_API_KEY to check another server)."
            : $"TinyFish runs API specification against {_server} (real clock; outcomes can be forced only on a standalone fake).");

    /// <summary>Starts the check's target: the fixture's remote server, or a fresh in-process fake.</summary>
    [SetUp]
    public void StartTarget()
    {
        _target = _server is null ? new InProcessFakeTarget() : _remote ??= new RemoteTarget(_server);
        Marker = "contract-" + Guid.NewGuid().ToString("N");
        _patience = new CancellationTokenSource(_target.Patience);
        _started.Clear();
    }

    /// <summary>Cancels what the check started on a remote server and ends an in-process fake.</summary>
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
            // A remote target belongs to the fixture; an in-process one to this check.
            if (_target is InProcessFakeTarget) await _target.DisposeAsync();
            _target = null;
        }
    }

    /// <summary>Releases the fixture's remote target.</summary>
    [OneTimeTearDown]
    public async Task ReleaseServerAsync()
    {
        if (_remote is not null) await _remote.DisposeAsync();
        _remote = null;
    }

    /// <summary>A cheap run request on <c>https://example.com</c> whose goal carries <see cref="Marker"/>.</summary>
    private RunRequest Request(string what = "Read the page title") =>
        new() { Url = new Uri("https://example.com"), Goal = $"{what} ({Marker})" };

    /// <summary>Queues a run with <c>run-async</c>, checks the answer's shape and returns the id.</summary>
    private async Task<string> QueueAsync(string what = "Read the page title")
    {
        var queued = await Client.Automation.QueueRunAsync(Request(what), Patience);
        Assert.That(queued.Error, Is.Null, "a queued run answers error: null");
        Assert.That(queued.RunId, Is.Not.Null.And.Not.Empty, "a queued run answers its run_id");
        Started(queued.RunId!);
        return queued.RunId!;
    }

    /// <summary>Remembers runs to cancel after the test when the target is remote.</summary>
    private void Started(params IEnumerable<string> runIds) => _started.AddRange(runIds);

    /// <summary>
    /// Tells the server what some new runs do — <paramref name="ruleJson"/> is a <c>/_fake/scenarios</c>
    /// rule, matched by <see cref="Marker"/> in the goal —; ignores the test when the server cannot be told.
    /// </summary>
    private async Task RequireScenarioAsync(string whatTheServerMustBeToldTo, string ruleJson)
    {
        if (await Target.TryAddScenarioAsync(ruleJson, CancellationToken.None)) return;
        Assert.Ignore($"Needs a server that can be told to {whatTheServerMustBeToldTo}: a fake, in process or standalone with {SpecificationServer.FakeControlVariable} (target: {Target.Name}).");
    }

    /// <summary>Ignores the test when a validating proxy would answer the spec-breaking request itself.</summary>
    private void RequireRequestsThatBreakTheSpecToReachTheServer(string whatTheRequestBreaks)
    {
        if (Target.ForwardsRequestsThatBreakTheSpec) return;
        Assert.Ignore($"Sends a request that breaks the spec ({whatTheRequestBreaks}); the validating proxy in front of {Target.Name} answers such a request itself ({SpecificationServer.ValidatingProxyVariable} is set).");
    }

    /// <summary>A run queued with <c>run-async</c> and read until it finished (made once per remote session).</summary>
    private Task<Run> AFinishedRunAsync() =>
        FinishedRuns.GetValue(Target, target => MakeFinishedRunAsync(target, "contract-shared-" + Guid.NewGuid().ToString("N")));

    /// <summary>The answer of a blocking <c>/run</c> (made once per remote session).</summary>
    private Task<SyncRunResponse> ABlockingRunAsync() =>
        BlockingRuns.GetValue(Target, target => MakeBlockingRunAsync(target, "contract-shared-" + Guid.NewGuid().ToString("N")));

    /// <summary>
    /// The id of the one run whose goal holds <paramref name="goalText"/>, read from the list: how a
    /// test finds a streamed run that it cannot read from the stream yet (Prism buffers streams).
    /// </summary>
    private async Task<string> FindRunByGoalAsync(string goalText)
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
