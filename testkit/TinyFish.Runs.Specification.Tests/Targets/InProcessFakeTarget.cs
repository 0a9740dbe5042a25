using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Runs.Testing;

namespace TinyFish.Runs.Specification.Targets;

/// <summary>
/// A fresh in-process fake for one test: no port, its clock moved only by the test, so the whole
/// suite runs in seconds and every documented outcome can be forced.
/// </summary>
internal sealed class InProcessFakeTarget : IContractTarget
{
    // Far beyond any run's lifetime on the fake (defaults: 1 s queued + 10 s running).
    private static readonly TimeSpan MostFakeTimeToWait = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    private readonly FakeTinyFish _fake;
    private readonly List<TinyFishClient> _clients = [];

    public InProcessFakeTarget()
    {
        _fake = new FakeTinyFish();
        Client = CreateClient(_fake.ApiKey);
    }

    public string Name => "in-process fake";

    public TinyFishClient Client { get; }

    public FakeTinyFish? Fake => _fake;

    public bool ForwardsRequestsThatBreakTheSpec => true;

    // Only a guard against a hang: nothing on the fake waits on real time.
    public TimeSpan Patience => TimeSpan.FromSeconds(30);

    public TinyFishClient CreateClient(string? apiKey)
    {
        var client = _fake.CreateClient(o =>
        {
            o.ApiKey = apiKey;
            o.Retry.MaxRetries = 0;
        });
        _clients.Add(client);
        return client;
    }

    public Task NextMomentAsync(CancellationToken cancellationToken) => _fake.AdvanceAsync(Step, cancellationToken);

    // Through the same HTTP route as on a standalone fake, so the suite has one way to say a scenario.
    public async Task<bool> TryAddScenarioAsync(string ruleJson, CancellationToken cancellationToken)
    {
        await FakeControl.AddScenarioAsync(_fake.Http, ruleJson, cancellationToken);
        return true;
    }

    public async Task<T> WhileRunsProgressAsync<T>(Task<T> call, CancellationToken cancellationToken)
    {
        // Moves the clock only while some run is unfinished: once none is, the fake has answered
        // every blocking /run and written every COMPLETE (AdvanceAsync returns after what it caused),
        // so the call completes without more time. Advancing further would only run the client's
        // own timeout, which also ticks on the fake's clock.
        for (var waited = TimeSpan.Zero; waited < MostFakeTimeToWait; waited += Step)
        {
            await _fake.WhenIdleAsync(cancellationToken);
            if (call.IsCompleted || !await AnyRunUnfinishedAsync(cancellationToken)) break;
            await _fake.AdvanceAsync(Step, cancellationToken);
        }
        return await call.WaitAsync(Patience, cancellationToken);
    }

    private async Task<bool> AnyRunUnfinishedAsync(CancellationToken cancellationToken)
    {
        foreach (var status in new[] { RunStatus.Pending, RunStatus.Running })
        {
            var page = await Client.Runs.ListRunsAsync(status: status, limit: 1, cancellationToken: cancellationToken);
            if (page.Pagination.Total > 0) return true;
        }
        return false;
    }

    public async Task<IReadOnlyList<Run>> WaitUntilFinishedAsync(IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        for (var waited = TimeSpan.Zero; ; waited += Step)
        {
            var read = await Client.Runs.GetRunsBatchAsync(new RunIdsRequest { RunIds = [.. runIds] }, cancellationToken);
            var byId = read.Data.ToDictionary(r => r.RunId, StringComparer.Ordinal);
            if (runIds.All(id => byId.TryGetValue(id, out var run) && TinyFishClient.IsTerminal(run.Status)))
            {
                return [.. runIds.Select(id => byId[id])];
            }
            if (waited >= MostFakeTimeToWait)
            {
                Assert.Fail($"Runs {string.Join(", ", runIds)} were not all finished after {MostFakeTimeToWait} on the fake's clock.");
            }
            await _fake.AdvanceAsync(Step, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await _fake.DisposeAsync();
    }
}
