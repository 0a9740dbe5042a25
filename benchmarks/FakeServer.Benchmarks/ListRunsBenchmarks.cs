using BenchmarkDotNet.Attributes;
using TinyFish.FakeServer;
using TinyFish.FakeServer.Runs;

/// <summary>
/// One page of GET /v1/runs over 1,000 and over 100,000 runs: through HTTP (TestHost, JSON included)
/// and at the store alone. With an O(log n + page) index the two sizes cost about the same.
/// </summary>
[MemoryDiagnoser]
public class ListRunsBenchmarks
{
    private FakeTinyFish _fake = null!;
    private HttpClient _http = null!;
    private string _cursorQuery = null!;
    private RunKey _middle;

    [Params(1_000, 100_000)]
    public int Runs { get; set; }

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        // The fake's own cost: the self-check (about 50-100 µs per run in an answer) is measured apart.
        _fake = FakeTinyFish.Create(new FakeTinyFishOptions { SelfCheck = false });
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

    [Benchmark(Description = "HTTP: first page")]
    public async Task<int> HttpFirstPage()
    {
        using var response = await _http.GetAsync("/v1/runs?limit=20");
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    [Benchmark(Description = "HTTP: page from a cursor half way")]
    public async Task<int> HttpPageFromCursor()
    {
        using var response = await _http.GetAsync(_cursorQuery);
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    [Benchmark(Description = "HTTP: status=FAILED page with total")]
    public async Task<int> HttpStatusPage()
    {
        using var response = await _http.GetAsync("/v1/runs?limit=20&status=FAILED");
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    [Benchmark(Description = "Store: page from a cursor half way")]
    public int StorePageFromCursor() => _fake.State.Store.List(new RunQuery(null, null, null, null, true, 20, _middle)).Items.Count;

    [Benchmark(Description = "Store: status + date window page")]
    public int StoreStatusAndDatePage()
    {
        var now = _fake.Clock.GetUtcNow();
        return _fake.State.Store.List(new RunQuery(RunStatus.Completed, null, now - TimeSpan.FromDays(20), now - TimeSpan.FromDays(10), false, 20, null)).Items.Count;
    }
}
