using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TinyFish.FakeServer;
using TinyFish.FakeServer.Runs;

/// <summary>
/// One page of GET /v1/runs over 1,000 and over 100,000 runs, for every filter: through HTTP (TestHost,
/// JSON and <c>total</c> included, with and without the self-check) and at the store alone. With an
/// O(log n + page) index the two sizes cost about the same.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class ListRunsBenchmarks
{
    private FakeTinyFish _fake = null!;
    private HttpClient _http = null!;
    private string _cursorQuery = null!;
    private RunKey _middle;

    [Params(1_000, 100_000)]
    public int Runs { get; set; }

    [Params(false, true)]
    public bool SelfCheck { get; set; }

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _fake = FakeTinyFish.Create(new FakeTinyFishOptions { SelfCheck = SelfCheck });
        _fake.SeedHistory(Runs, seed: 11);
        _http = _fake.CreateHttpClient(withApiKey: true);
        var store = _fake.State.Store;
        var all = store.List(new RunQuery(null, null, null, null, true, 1, null));
        // A cursor roughly half way through the history (the seeded runs span 30 days).
        _middle = new RunKey(all.Items[0].Run.Key.CreatedTicks - TimeSpan.FromDays(15).Ticks, "");
        var half = store.List(new RunQuery(null, null, null, null, true, 1, _middle)).Items[0].Run.Key;
        _middle = half;
        var encoded = _fake.State.Cursors.Encode(half, descending: true, filterFingerprint: "|||");
        _cursorQuery = "/v1/runs?limit=20&cursor=" + Uri.EscapeDataString(encoded);
        using var check = await _http.GetAsync(_cursorQuery);
        check.EnsureSuccessStatusCode();
    }

    [GlobalCleanup]
    public async Task CleanUpAsync()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    private async Task<int> PageAsync(string query)
    {
        using var response = await _http.GetAsync(query);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    [Benchmark(Description = "HTTP: first page")]
    public Task<int> HttpFirstPage() => PageAsync("/v1/runs?limit=20");

    [Benchmark(Description = "HTTP: page from a cursor half way")]
    public Task<int> HttpPageFromCursor() => PageAsync(_cursorQuery);

    [Benchmark(Description = "HTTP: status=FAILED page")]
    public Task<int> HttpStatusPage() => PageAsync("/v1/runs?limit=20&status=FAILED");

    [Benchmark(Description = "HTTP: goal=invoice page")]
    public Task<int> HttpGoalPage() => PageAsync("/v1/runs?limit=20&goal=invoice");

    [Benchmark(Description = "HTTP: goal + status + dates page")]
    public Task<int> HttpGoalStatusDatesPage() =>
        PageAsync("/v1/runs?limit=20&goal=price&status=COMPLETED&created_after=2024-12-10T00:00:00Z&created_before=2024-12-20T00:00:00Z");

    [Benchmark(Description = "HTTP: page of 100")]
    public Task<int> HttpPageOf100() => PageAsync("/v1/runs?limit=100");

    [Benchmark(Description = "Store: page from a cursor half way")]
    public int StorePageFromCursor() => _fake.State.Store.List(new RunQuery(null, null, null, null, true, 20, _middle)).Items.Count;

    [Benchmark(Description = "Store: status + date window page")]
    public int StoreStatusAndDatePage()
    {
        var now = _fake.Clock.GetUtcNow();
        return _fake.State.Store.List(new RunQuery(RunStatus.Completed, null, now - TimeSpan.FromDays(20), now - TimeSpan.FromDays(10), false, 20, null)).Items.Count;
    }

    [Benchmark(Description = "Store: goal page with total")]
    public int StoreGoalPage() => _fake.State.Store.List(new RunQuery(null, "invoice", null, null, true, 20, null)).Total;
}
