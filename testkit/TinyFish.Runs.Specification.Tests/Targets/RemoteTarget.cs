using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs.Specification.Targets;

/// <summary>
/// A server over the network (<see cref="SpecificationServer"/>): the real API, the standalone fake, or
/// either behind a validating proxy. Real clock; runs finish when they finish; outcomes can be forced
/// only on a standalone fake whose own address is known. One target serves a whole fixture.
/// </summary>
internal sealed class RemoteTarget : IContractTarget
{
    // Short gaps first: a sped-up standalone fake finishes runs in well under a second, while the
    // real service takes tens of seconds and is then polled every few seconds.
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(5);

    private readonly SpecificationServer _server;
    private readonly HttpClient? _fakeControl;
    private readonly List<TinyFishClient> _clients = [];
    private readonly Lock _gate = new();

    public RemoteTarget(SpecificationServer server)
    {
        _server = server;
        Patience = server.Patience;
        ForwardsRequestsThatBreakTheSpec = !server.BehindValidatingProxy;
        Name = server.BaseAddress.ToString();
        Client = CreateClient(server.ApiKey);
        // The standalone fake itself (not the proxy in front of it, whose spec has no /_fake routes).
        if (server.FakeControlAddress is { } fakeUrl)
        {
            _fakeControl = new HttpClient { BaseAddress = fakeUrl, Timeout = Patience };
            _fakeControl.DefaultRequestHeaders.Add("X-API-Key", server.ApiKey);
        }
    }

    public string Name { get; }

    public TinyFishClient Client { get; }

    public FakeTinyFish? Fake => null;

    public bool ForwardsRequestsThatBreakTheSpec { get; }

    public TimeSpan Patience { get; }

    private RunWaitOptions Polling => new()
    {
        InitialInterval = FirstPoll,
        BackoffFactor = 1.5,
        MaxInterval = LongestPoll,
        Timeout = Patience,
    };

    public TinyFishClient CreateClient(string? apiKey)
    {
        var options = new ApiClientOptions
        {
            BaseAddress = _server.BaseAddress,
            ApiKey = apiKey,
            // A blocking /run holds the request until the run ends.
            Timeout = Patience,
            Retry = new RetryOptions { MaxRetries = 0 },
        };
        var client = new TinyFishClient(options, new HttpClient(new ProblemJsonReporter(new SocketsHttpHandler())));
        lock (_gate) _clients.Add(client);
        return client;
    }

    public Task NextMomentAsync(CancellationToken cancellationToken) => Task.Delay(FirstPoll, TimeProvider.System, cancellationToken);

    public Task<T> WhileRunsProgressAsync<T>(Task<T> call, CancellationToken cancellationToken) => call.WaitAsync(Patience, cancellationToken);

    public async Task<bool> TryAddScenarioAsync(string ruleJson, CancellationToken cancellationToken)
    {
        if (_fakeControl is null) return false;
        await FakeControl.AddScenarioAsync(_fakeControl, ruleJson, cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<Run>> WaitUntilFinishedAsync(IReadOnlyList<string> runIds, CancellationToken cancellationToken) =>
        runIds.Count == 1
            ? [await Client.WaitForCompletionAsync(runIds[0], Polling, cancellationToken)]
            : await Client.WaitForAllAsync(runIds, Polling, cancellationToken);

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            foreach (var client in _clients) client.Dispose();
            _clients.Clear();
            _fakeControl?.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
