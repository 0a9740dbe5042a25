using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Toolkit.Runtime;

namespace Contract.Tests.Targets;

/// <summary>
/// A server at <c>TINYFISH_BASE_URL</c> with the key in <c>TINYFISH_API_KEY</c>: the real API, the
/// standalone fake, or either behind a validating proxy. Real clock; runs finish when they finish;
/// outcomes can be forced only on a standalone fake named in <c>TINYFISH_CONTRACT_FAKE_URL</c>.
/// One target serves the whole session.
/// </summary>
public sealed class RemoteTarget : IContractTarget
{
    public const string TimeoutVariable = "TINYFISH_CONTRACT_TIMEOUT_SECONDS";
    public const string ValidatingProxyVariable = "TINYFISH_CONTRACT_VALIDATING_PROXY";
    public const string FakeUrlVariable = "TINYFISH_CONTRACT_FAKE_URL";

    // Short gaps first: a sped-up standalone fake finishes runs in well under a second, while the
    // real service takes tens of seconds and is then polled every few seconds.
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(5);

    private readonly ApiClientOptions _template;
    private readonly HttpClient? _fakeControl;
    private readonly List<TinyFishClient> _clients = [];
    private readonly Lock _gate = new();

    public RemoteTarget()
    {
        _template = TinyFishClient.OptionsFromEnvironment();
        Patience = TimeSpan.FromSeconds(ReadSeconds(TimeoutVariable, 300));
        ForwardsRequestsThatBreakTheSpec = !IsSet(ValidatingProxyVariable);
        Name = _template.BaseAddress!.ToString();
        Client = CreateClient(_template.ApiKey);
        // The standalone fake itself (not the proxy in front of it, whose spec has no /_fake routes).
        if (Environment.GetEnvironmentVariable(FakeUrlVariable) is { Length: > 0 } fakeUrl)
        {
            _fakeControl = new HttpClient { BaseAddress = new Uri(fakeUrl), Timeout = Patience };
            _fakeControl.DefaultRequestHeaders.Add("X-API-Key", _template.ApiKey);
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
            BaseAddress = _template.BaseAddress,
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

    private static bool IsSet(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value && value is not ("0" or "false" or "False");

    private static double ReadSeconds(string variable, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(variable), System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : fallback;
}
