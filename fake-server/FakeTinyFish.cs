using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using TinyFish.FakeServer.Faults;
using TinyFish.FakeServer.History;
using TinyFish.FakeServer.Hosting;
using TinyFish.FakeServer.Journal;
using TinyFish.FakeServer.Scenarios;
using TinyFish.FakeServer.Runs;
using TinyFish.FakeServer.SelfChecking;
using TinyFish.FakeServer.Time;

namespace TinyFish.FakeServer;

/// <summary>
/// An in-process fake of the TinyFish runs API, on a clock the test owns. Runs move
/// PENDING → RUNNING → COMPLETED as <see cref="AdvanceAsync"/> moves <see cref="Clock"/>; their
/// status is a function of that clock, so every endpoint agrees at every instant.
/// </summary>
/// <remarks>
/// Give the code under test <see cref="Clock"/> as its <see cref="TimeProvider"/> (the test kit's
/// client has it already): then one <see cref="AdvanceAsync"/> moves both sides — the fake's runs and
/// streams, and the client's polls, retries and timeouts — and returns once all of it has run up to
/// its next wait. With <see cref="FakeTinyFishOptions.AutoAdvance"/> time moves by itself whenever
/// both sides are idle; <see cref="RunAsync{T}(Func{Task{T}}, CancellationToken)"/> does the same for
/// one task. How it works: <see cref="VirtualClock"/>.
/// </remarks>
/// <example>
/// <code>
/// await using var fake = new FakeTinyFish();
/// using var http = fake.CreateHttpClient(withApiKey: true);
/// var queued = await http.PostAsync("/v1/automation/run-async", JsonContent.Create(new { url = "https://example.com", goal = "Find the price" }));
/// await fake.AdvanceAsync(TimeSpan.FromSeconds(11));   // 1 s queued + 10 s running, by default
/// </code>
/// </example>
public sealed class FakeTinyFish : IAsyncDisposable
{
    private readonly FakeState _state;
    private readonly WebApplication _app;
    private readonly TestServer _server;
    private readonly VirtualClock _clock;
    private readonly OpenExchanges _exchanges;
    private readonly List<HttpClient> _clients = [];
    private readonly Lazy<HttpClient> _http;
    private int _disposed;

    /// <summary>Starts a fake (in process, no port) with <paramref name="options"/> or the documented defaults.</summary>
    public FakeTinyFish(FakeTinyFishOptions? options = null)
    {
        Options = options ?? new FakeTinyFishOptions();
        _clock = new VirtualClock(Options.StartTime);
        _exchanges = new OpenExchanges(_clock);
        _state = new FakeState(Options, _clock);
        // The pipeline runs on the client's execution context, so a request's exchange travels with it.
        _app = FakeApplication.Build(_state, static builder => builder.WebHost.UseTestServer(static server => server.PreserveExecutionContext = true));
        _app.Start();
        _server = _app.GetTestServer();
        _http = new Lazy<HttpClient>(() => CreateHttpClient(withApiKey: true), LazyThreadSafetyMode.ExecutionAndPublication);
        _clock.AddDescriber(_exchanges.Describe);
        _clock.AddDescriber(DescribeUnfinishedRuns);
        _clock.FailHeld = _exchanges.FailHeld;
        _clock.AutoAdvance = Options.AutoAdvance;
    }

    /// <summary>
    /// Starts a fake: one line per test (<c>[SetUp]</c>) or per fixture (<c>[OneTimeSetUp]</c>),
    /// with <see cref="Http"/> ready to use and <c>await fake.DisposeAsync()</c> as the whole teardown.
    /// </summary>
    public static FakeTinyFish Create(FakeTinyFishOptions? options = null) => new(options);

    /// <summary>
    /// A ready <see cref="HttpClient"/> that sends the accepted key (made on first use, disposed with
    /// the fake). For a client without the key, or several clients, use <see cref="CreateHttpClient"/>.
    /// </summary>
    public HttpClient Http
    {
        get
        {
            _clock.Follow();
            return _http.Value;
        }
    }

    /// <summary>The options this fake was built with.</summary>
    public FakeTinyFishOptions Options { get; }

    /// <summary>
    /// The fake's clock, starting at <see cref="FakeTinyFishOptions.StartTime"/>: the
    /// <see cref="TimeProvider"/> to give the code under test. Move it with <see cref="AdvanceAsync"/>
    /// (or let it move by itself: <see cref="FakeTinyFishOptions.AutoAdvance"/>), which also waits for
    /// what the move causes on both sides.
    /// </summary>
    public VirtualClock Clock
    {
        get
        {
            _clock.Follow();
            return _clock;
        }
    }

    /// <summary>The accepted <c>X-API-Key</c> (default <see cref="FakeTinyFishOptions.DefaultApiKey"/>, <c>test-key</c>).</summary>
    public string ApiKey => Options.ApiKey;

    /// <summary>The base address of the in-process server (<c>http://localhost/</c>).</summary>
    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>The rules deciding what new runs do: <c>fake.Runs.WhenGoalContains("x").CompletesAfter(...)</c>.</summary>
    public RunScenarios Runs => _state.Scenarios;

    /// <summary>Faults on demand: rate limits, server errors, dropped connections, latency.</summary>
    public FaultInjector Faults => _state.Faults;

    /// <summary>Every request the fake received.</summary>
    public RequestJournal Journal => _state.Journal;

    /// <summary>
    /// What the self-check found: every answer the fake sent that breaks the spec (see
    /// <see cref="FakeTinyFishOptions.SelfCheck"/>). Empty in a healthy fake.
    /// </summary>
    public SelfCheckLog SelfCheck => _state.SelfCheck;

    /// <summary>The fake's insides, for this project's tests and benchmarks.</summary>
    internal FakeState State => _state;

    /// <summary>The routes the fake serves (API, live view and the fallback), for the spec guard.</summary>
    internal IReadOnlyList<RouteEndpoint> Routes =>
        [.. ((IEndpointRouteBuilder)_app).DataSources.SelectMany(static source => source.Endpoints).OfType<RouteEndpoint>()];

    /// <summary>How many runs the fake holds (created through the API and seeded history).</summary>
    public int RunCount => _state.Store.Count;

    /// <summary>
    /// An in-memory handler to the fake, for an <see cref="HttpClient"/> or a generated client.
    /// Requests sent through it are waited for by <see cref="AdvanceAsync"/>.
    /// </summary>
    public HttpMessageHandler CreateHandler()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _clock.Follow();
        return new ExchangeHandler(_exchanges, _server.CreateHandler());
    }

    /// <summary>
    /// An <see cref="HttpClient"/> to the fake with <see cref="HttpClient.BaseAddress"/> set. It sends
    /// <c>X-API-Key</c> only when <paramref name="withApiKey"/> is true, so tests of a missing key
    /// work too. The fake disposes it when it is disposed.
    /// </summary>
    public HttpClient CreateHttpClient(bool withApiKey = false)
    {
        var client = new HttpClient(CreateHandler(), disposeHandler: true) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (withApiKey) client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
        lock (_clients) _clients.Add(client);
        return client;
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="by"/>, stopping at every instant some timer is due —
    /// the fake's (run events, heartbeats, latency faults) or the client's (polls, retry delays,
    /// timeouts) — and returns once everything those instants caused has run up to its next wait:
    /// event frames written and read, blocking <c>/run</c> calls answered, the client's next poll sent
    /// and answered. Intermediate states stay visible: advance 1 s and a new run is RUNNING.
    /// </summary>
    /// <exception cref="SelfCheckFailedException">The fake sent an answer that breaks the spec since the last throw (see <see cref="FakeTinyFishOptions.SelfCheck"/>).</exception>
    /// <exception cref="VirtualTimeStallException">The work a step caused did not finish within <see cref="VirtualClock.StallTimeout"/> of wall time.</exception>
    public Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        var moving = _clock.AdvanceAsync(by, cancellationToken);
        return ThenSelfCheckAsync(moving);
    }

    /// <summary>Waits until neither the fake nor a client is doing work (each is answered, or waiting on the clock).</summary>
    /// <exception cref="SelfCheckFailedException">The fake sent an answer that breaks the spec since the last throw.</exception>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default) => ThenSelfCheckAsync(_clock.WhenIdleAsync(cancellationToken));

    /// <summary>
    /// Runs <paramref name="action"/> with the clock moving by itself until its task completes:
    /// <c>var run = await fake.RunAsync(() =&gt; client.WaitForCompletionAsync(id));</c> returns at once in
    /// wall time, with the virtual minutes passed.
    /// </summary>
    /// <exception cref="VirtualTimeStallException">The task could not finish: nothing was due while it still waited, or <see cref="VirtualClock.AutoAdvanceLimit"/> passed. The message names what was pending.</exception>
    /// <exception cref="SelfCheckFailedException">The fake sent an answer that breaks the spec since the last throw.</exception>
    public async Task<T> RunAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken = default)
    {
        var result = await _clock.RunAsync(action, cancellationToken).ConfigureAwait(false);
        _state.SelfCheck.ThrowIfAnyUnreported();
        return result;
    }

    /// <inheritdoc cref="RunAsync{T}(Func{Task{T}}, CancellationToken)"/>
    public Task RunAsync(Func<Task> action) => ThenSelfCheckAsync(_clock.RunAsync(action));

    private async Task ThenSelfCheckAsync(Task moving)
    {
        await moving.ConfigureAwait(false);
        _state.SelfCheck.ThrowIfAnyUnreported();
    }

    private IEnumerable<string> DescribeUnfinishedRuns()
    {
        foreach (var status in new[] { RunStatus.Pending, RunStatus.Running })
        {
            var page = _state.Store.List(new RunQuery(status, null, null, null, false, 10, null));
            foreach (var view in page.Items)
            {
                var finish = RunSchedule.FinishAt(view.Run) is { } at ? $"finishes at {VirtualClock.Format(at)}" : "never finishes (scenario)";
                var goal = view.Run.Request.Goal.Length > 60 ? view.Run.Request.Goal[..60] + "…" : view.Run.Request.Goal;
                yield return $"run {view.Run.Id} {status.ToWire()}, {finish}: \"{goal}\"";
            }
            if (page.Total > page.Items.Count) yield return $"... and {page.Total - page.Items.Count} more {status.ToWire()} runs";
        }
    }

    /// <summary>
    /// Fills the store with <paramref name="count"/> Bogus-made finished runs created before the
    /// clock's current instant (realistic goals, URLs, results, goal failures, failures, cancels).
    /// The same <paramref name="seed"/> gives the same runs.
    /// </summary>
    /// <returns>How many runs were added.</returns>
    public int SeedHistory(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return _state.Store.AddHistory(HistorySeeder.Generate(count, seed, _clock.Now, Options));
    }

    /// <summary>
    /// Stops the server, ends every waiting request and stream, disposes the clients it handed out;
    /// then fails the test if the fake sent an answer that breaks the spec and no earlier call threw for it.
    /// </summary>
    /// <exception cref="SelfCheckFailedException">The fake sent an answer that breaks the spec since the last throw.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _state.Stopping.CancelAsync().ConfigureAwait(false);
        lock (_clients)
        {
            foreach (var client in _clients) client.Dispose();
            _clients.Clear();
        }
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _state.Stopping.Dispose();
        _clock.AutoAdvance = false;
        _state.SelfCheck.ThrowIfAnyUnreported();
    }
}
