using System.Text;
using BenchmarkDotNet.Attributes;
using TinyFish.FakeServer;
using TinyFish.FakeServer.Runs;
using TinyFish.Runs;
using TinyFish.Runs.Testing;

/// <summary>
/// The fake's other paths: creating a run (at the store, and through HTTP with and without the
/// self-check), reading one run, seeding 100,000 runs of history, the whole lifecycle of 1,000 runs
/// through the generated client, and 100 event streams at once.
/// </summary>
[MemoryDiagnoser]
public class FakeOperationsBenchmarks
{
    private static readonly RunRequestData StoreRequest = new("https://shop.example.com/pro", "Find the price of the Pro plan", false, null, null, false, null);
    private const string RequestJson = """{"url":"https://shop.example.com/pro","goal":"Find the price of the Pro plan"}""";

    private FakeTinyFish _fake = null!;
    private HttpClient _http = null!;
    private string _runPath = null!;

    [Params(false, true)]
    public bool SelfCheck { get; set; }

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _fake = FakeTinyFish.Create(new FakeTinyFishOptions { SelfCheck = SelfCheck });
        _fake.SeedHistory(1_000, seed: 3);
        _http = _fake.CreateHttpClient(withApiKey: true);
        using var response = await _http.PostAsync("/v1/automation/run-async", Json());
        var id = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement.GetProperty("run_id").GetString();
        _runPath = "/v1/runs/" + id;
    }

    [GlobalCleanup]
    public async Task CleanUpAsync() => await _fake.DisposeAsync();

    private static StringContent Json() => new(RequestJson, Encoding.UTF8, "application/json");

    [Benchmark(Description = "Store: create a run")]
    public int StoreCreate() => _fake.State.Store.Create([StoreRequest], RunOrigin.Async).Created.Length;

    [Benchmark(Description = "HTTP: POST run-async")]
    public async Task<int> HttpCreate()
    {
        using var response = await _http.PostAsync("/v1/automation/run-async", Json());
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    [Benchmark(Description = "HTTP: GET one run")]
    public async Task<int> HttpGet()
    {
        using var response = await _http.GetAsync(_runPath);
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    [Benchmark(Description = "Lifecycle: 1,000 runs x 30 s through the client")]
    public async Task<int> Lifecycle()
    {
        await using var fake = FakeTinyFish.Create(new FakeTinyFishOptions { SelfCheck = SelfCheck });
        using var client = fake.CreateClient();
        var requests = Enumerable.Range(0, 1_000).Select(i => new RunRequest { Url = new("https://shop.example.com/" + i), Goal = "Find the price of item " + i });
        var ids = await client.QueueRunsAsync(requests);
        await fake.AdvanceAsync(TimeSpan.FromSeconds(30));
        var runs = await client.WaitForAllAsync(ids);
        return runs.Count(run => run.Status == TinyFish.Runs.RunStatus.Completed) == 1_000 ? 1_000 : throw new InvalidOperationException("Not every run completed.");
    }

    [Benchmark(Description = "Streams: 100 run-sse at once, to COMPLETE")]
    public async Task<long> HundredStreams()
    {
        await using var fake = FakeTinyFish.Create(new FakeTinyFishOptions { SelfCheck = SelfCheck });
        var http = fake.CreateHttpClient(withApiKey: true);
        var streams = Enumerable.Range(0, 100).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/automation/run-sse") { Content = Json() };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return (await response.Content.ReadAsByteArrayAsync()).LongLength;
        }).ToList();
        await fake.WhenIdleAsync();
        await fake.AdvanceAsync(TimeSpan.FromSeconds(30));
        var bytes = await Task.WhenAll(streams);
        return bytes.Sum();
    }
}

/// <summary>Seeding history: 100,000 made-up finished runs into an empty fake.</summary>
[MemoryDiagnoser]
public class SeedHistoryBenchmarks
{
    [Benchmark(Description = "SeedHistory(100,000)")]
    public async Task<int> SeedHundredThousand()
    {
        await using var fake = FakeTinyFish.Create(new FakeTinyFishOptions { SelfCheck = false });
        return fake.SeedHistory(100_000, seed: 5);
    }
}
