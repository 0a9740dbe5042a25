using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using TinyFish.FakeServer.Faults;
using TinyFish.FakeServer.History;
using TinyFish.FakeServer.Hosting;
using TinyFish.FakeServer.Journal;
using TinyFish.FakeServer.Scenarios;
using TinyFish.FakeServer.SelfChecking;

namespace TinyFish.FakeServer;

/// <summary>
/// An in-process fake of the TinyFish runs API, on a clock the test owns. Runs move
/// PENDING → RUNNING → COMPLETED as <see cref="AdvanceAsync"/> moves <see cref="Clock"/>; their
/// status is a function of that clock, so every endpoint agrees at every instant.
/// </summary>
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
    private readonly SemaphoreSlim _advancing = new(1, 1);
    private readonly List<HttpClient> _clients = [];
    private readonly Lazy<HttpClient> _http;
    private int _disposed;

    /// <summary>Starts a fake (in process, no port) with <paramref name="options"/> or the documented defaults.</summary>
    public FakeTinyFish(FakeTinyFishOptions? options = null)
    {
        Options = options ?? new FakeTinyFishOptions();
        Clock = new FakeTimeProvider(Options.StartTime);
        _state = new FakeState(Options, Clock);
        _app = FakeApplication.Build(_state, static builder => builder.WebHost.UseTestServer());
        _app.Start();
        _server = _app.GetTestServer();
        _http = new Lazy<HttpClient>(() => CreateHttpClient(withApiKey: true), LazyThreadSafetyMode.ExecutionAndPublication);
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
    public HttpClient Http => _http.Value;

    /// <summary>The options this fake was built with.</summary>
    public FakeTinyFishOptions Options { get; }

    /// <summary>
    /// The fake's clock, starting at <see cref="FakeTinyFishOptions.StartTime"/>. Move it with
    /// <see cref="AdvanceAsync"/>, which also waits for what the move causes.
    /// </summary>
    public FakeTimeProvider Clock { get; }

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
        return new TicketingHandler(_state.Tickets, _server.CreateHandler());
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
    /// Moves the clock forward by <paramref name="by"/>, stopping at every instant some request or
    /// stream waits for, and returns once everything those instants caused has happened: event
    /// frames written, blocking <c>/run</c> calls answered, requests in flight finished.
    /// </summary>
    /// <exception cref="SelfCheckFailedException">The fake sent an answer that breaks the spec since the last throw (see <see cref="FakeTinyFishOptions.SelfCheck"/>).</exception>
    public async Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        await _advancing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var clock = _state.Clock;
            var target = Clock.GetUtcNow() + by;
            await clock.WhenQuietAsync(cancellationToken).ConfigureAwait(false);
            while (clock.NextDue() is { } due && due <= target)
            {
                if (due > Clock.GetUtcNow()) Clock.SetUtcNow(due);
                clock.FireDue(Clock.GetUtcNow());
                await clock.WhenQuietAsync(cancellationToken).ConfigureAwait(false);
            }
            if (target > Clock.GetUtcNow()) Clock.SetUtcNow(target);
            await clock.WhenQuietAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _advancing.Release();
        }
        _state.SelfCheck.ThrowIfAnyUnreported();
    }

    /// <summary>Waits until no request is doing work (each one is answered or waiting on the clock).</summary>
    /// <exception cref="SelfCheckFailedException">The fake sent an answer that breaks the spec since the last throw.</exception>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        await _state.Clock.WhenQuietAsync(cancellationToken).ConfigureAwait(false);
        _state.SelfCheck.ThrowIfAnyUnreported();
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
        return _state.Store.AddHistory(HistorySeeder.Generate(count, seed, Clock.GetUtcNow(), Options));
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
        _advancing.Dispose();
        _state.SelfCheck.ThrowIfAnyUnreported();
    }
}
