using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using TinyFish.Runs;
using TinyFish.Toolkit.Runtime;

/// <summary>
/// The same four calls through each client, on the same recorded bytes from an in-memory handler:
/// this toolkit's generated client (with its default retries and per-attempt timeout), HttpClient +
/// System.Text.Json source generation, NSwag's and Kiota's generated clients of the same spec (each
/// as its users get it by default), and the hand-written <c>Utf8JsonReader</c> limit (the baseline
/// of each category). NSwag and Kiota do not model <c>text/event-stream</c>, so they have no stream case.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ClientBenchmarks
{
    private const string ApiKey = "bench-key";
    private static readonly Uri BaseAddress = new("https://agent.tinyfish.ai");

    private RecordedAnswers _answers = null!;
    private TinyFishClient _generated = null!;
    private Stj.StjClient _stj = null!;
    private HandWritten.HandWrittenClient _limit = null!;
    private NSwagClient.NSwagRunsClient _nswag = null!;
    private KiotaClient.KiotaRunsClient _kiota = null!;
    private readonly Stj.RunRequest _stjRequest = new("https://shop.example.com/pro", "Find the price of the Pro plan");
    private readonly RunRequest _request = new() { Url = new("https://shop.example.com/pro"), Goal = "Find the price of the Pro plan" };

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _answers = await RecordedAnswers.RecordAsync();
        _generated = new TinyFishClient(new ApiClientOptions { BaseAddress = BaseAddress, ApiKey = ApiKey }, Http());
        _stj = new Stj.StjClient(Http());
        _limit = new HandWritten.HandWrittenClient(Http(), ApiKey);
        _nswag = new NSwagClient.NSwagRunsClient(Http());
        // Kiota's default HttpClient: its middleware (retry, redirect, ...) in front of the answers.
        var auth = new ApiKeyAuthenticationProvider(ApiKey, "X-API-Key", ApiKeyAuthenticationProvider.KeyLocation.Header);
        var kiotaHttp = KiotaClientFactory.Create(_answers.Handler());
        _kiota = new KiotaClient.KiotaRunsClient(new HttpClientRequestAdapter(auth, httpClient: kiotaHttp) { BaseUrl = BaseAddress.ToString().TrimEnd('/') });
    }

    private HttpClient Http()
    {
        var http = new HttpClient(_answers.Handler()) { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.TryAddWithoutValidation("X-API-Key", ApiKey);
        return http;
    }

    [GlobalCleanup]
    public void CleanUp() => _generated.Dispose();

    [Benchmark(Description = "list 100: generated"), BenchmarkCategory("list")]
    public async Task<int> ListGenerated() => (await _generated.Runs.ListRunsAsync(limit: 100)).Data.Count;

    [Benchmark(Description = "list 100: HttpClient + STJ"), BenchmarkCategory("list")]
    public async Task<int> ListStj() => (await _stj.ListRunsAsync(100))!.Data.Count;

    [Benchmark(Description = "list 100: NSwag"), BenchmarkCategory("list")]
    public async Task<int> ListNSwag() => (await _nswag.ListRunsAsync(limit: 100)).Data.Count;

    [Benchmark(Description = "list 100: Kiota"), BenchmarkCategory("list")]
    public async Task<int> ListKiota() => (await _kiota.V1.Runs.GetAsync(c => c.QueryParameters.Limit = 100))!.Data!.Count;

    [Benchmark(Baseline = true, Description = "list 100: Utf8JsonReader limit"), BenchmarkCategory("list")]
    public async Task<int> ListLimit() => (await _limit.ListRunsAsync(100)).Data.Count;

    [Benchmark(Description = "get: generated"), BenchmarkCategory("get")]
    public async Task<string> GetGenerated() => (await _generated.Runs.GetRunAsync(_answers.RunId)).RunId;

    [Benchmark(Description = "get: HttpClient + STJ"), BenchmarkCategory("get")]
    public async Task<string> GetStj() => (await _stj.GetRunAsync(_answers.RunId))!.RunId;

    [Benchmark(Description = "get: NSwag"), BenchmarkCategory("get")]
    public async Task<string> GetNSwag() => (await _nswag.GetRunAsync(_answers.RunId)).Run_id;

    [Benchmark(Description = "get: Kiota"), BenchmarkCategory("get")]
    public async Task<string?> GetKiota() => (await _kiota.V1.Runs[_answers.RunId].GetAsync())!.RunId;

    [Benchmark(Baseline = true, Description = "get: Utf8JsonReader limit"), BenchmarkCategory("get")]
    public async Task<string> GetLimit() => (await _limit.GetRunAsync(_answers.RunId)).RunId;

    [Benchmark(Description = "create: generated"), BenchmarkCategory("create")]
    public async Task<string?> CreateGenerated() => (await _generated.Automation.QueueRunAsync(_request)).RunId;

    [Benchmark(Description = "create: HttpClient + STJ"), BenchmarkCategory("create")]
    public async Task<string?> CreateStj() => (await _stj.QueueRunAsync(_stjRequest))!.RunId;

    [Benchmark(Description = "create: NSwag"), BenchmarkCategory("create")]
    public async Task<string?> CreateNSwag() =>
        (await _nswag.QueueRunAsync(new NSwagClient.RunRequest { Url = new("https://shop.example.com/pro"), Goal = "Find the price of the Pro plan" })).Run_id;

    [Benchmark(Description = "create: Kiota"), BenchmarkCategory("create")]
    public async Task<string?> CreateKiota() =>
        (await _kiota.V1.Automation.RunAsync.PostAsync(new KiotaClient.Models.RunRequest { Url = "https://shop.example.com/pro", Goal = "Find the price of the Pro plan" }))!.RunId;

    [Benchmark(Baseline = true, Description = "create: Utf8JsonReader limit"), BenchmarkCategory("create")]
    public async Task<string?> CreateLimit() => (await _limit.QueueRunAsync("https://shop.example.com/pro", "Find the price of the Pro plan")).RunId;

    [Benchmark(Description = "stream: generated"), BenchmarkCategory("stream")]
    public async Task<int> StreamGenerated()
    {
        var count = 0;
        await foreach (var _ in _generated.Automation.StreamRunAsync(_request)) count++;
        return count;
    }

    [Benchmark(Description = "stream: HttpClient + STJ"), BenchmarkCategory("stream")]
    public async Task<int> StreamStj()
    {
        var count = 0;
        await foreach (var _ in _stj.StreamRunAsync(_stjRequest)) count++;
        return count;
    }

    [Benchmark(Baseline = true, Description = "stream: Utf8JsonReader limit"), BenchmarkCategory("stream")]
    public async Task<int> StreamLimit()
    {
        var count = 0;
        await foreach (var _ in _limit.StreamRunAsync("https://shop.example.com/pro", "Find the price of the Pro plan")) count++;
        return count;
    }
}
