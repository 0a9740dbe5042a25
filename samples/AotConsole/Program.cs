// A Native AOT program over the client generated from openapi/tinyfish-runs.openapi.yaml. Every answer
// comes from CannedApi (in memory), so it runs anywhere; each step checks what it printed and the
// program exits 1 if anything differs, which is what publish-and-run.sh relies on.
using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AotConsole;
using AotConsole.TinyFish;
using TinyFish.Toolkit.Runtime;
using TinyFish.Toolkit.Runtime.Json;

var api = new CannedApi();
using var client = new TinyFishClient(
    new ApiClientOptions { BaseAddress = new Uri("https://api.tinyfish.example/"), ApiKey = CannedApi.ApiKey },
    new HttpClient(api));
var failures = new List<string>();

// 1. Writing: a request with an enum value the spec does not list and a property it does not declare.
using var extra = JsonDocument.Parse("""{"team":"pricing"}""");
var queued = await client.Automation.QueueRunAsync(new RunRequest
{
    Url = new Uri("https://shop.example/pricing"),
    Goal = "Find the price of the Pro plan",
    BrowserProfile = new BrowserProfile("turbo"),
    ProxyConfig = new ProxyConfig { Enabled = true, CountryCode = ProxyCountryCode.Jp },
    AdditionalProperties = JsonUnknownProperties.From(new Dictionary<string, JsonElement> { ["x_trace"] = extra.RootElement.Clone() }),
});
Console.WriteLine($"queued {queued.RunId}; request body {api.Bodies[^1]}");
Check(queued.RunId == "run_1" && queued.Error is null, "queue answer read");
Check(JsonNode.DeepEquals(JsonNode.Parse(api.Bodies[^1]), JsonNode.Parse("""
    {"url":"https://shop.example/pricing","goal":"Find the price of the Pro plan","browser_profile":"turbo","proxy_config":{"enabled":true,"country_code":"JP"},"x_trace":{"team":"pricing"}}
    """)), "request written with the unknown enum value and the extra property");

// 2. Reading a finished run: known status, free-form result, steps.
var run = await client.Runs.GetRunAsync("run_1");
Console.WriteLine($"run {run.RunId}: {run.Status} (known: {run.Status.IsKnown}), {run.Steps?.Count} steps, result {run.Result}");
Check(run.Status == RunStatus.Completed && run.Steps is { Count: 2 } && run.Result?.GetProperty("price").GetString() == "$49", "completed run read");

// 3. Reading a run from a newer API: unknown status and unknown fields are kept and written back unchanged.
var future = await client.Runs.GetRunAsync("run_2");
var kept = string.Join(", ", future.AdditionalProperties?.Keys.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>());
Console.WriteLine($"run {future.RunId}: {future.Status} (known: {future.Status.IsKnown}); unknown fields kept: {kept}; browser_config keeps {string.Join(", ", future.BrowserConfig?.AdditionalProperties?.Keys ?? Enumerable.Empty<string>())}");
var written = Write(future, TinyFishClientJson.WriteRun);
var roundTrip = JsonNode.DeepEquals(JsonNode.Parse(written), JsonNode.Parse(CannedApi.FutureRunJson));
Console.WriteLine($"run {future.RunId} written back equal to what was read: {roundTrip}");
Check(!future.Status.IsKnown && future.Status.Value == "PAUSED_FOR_REVIEW" && kept == "priority, reviewer" && roundTrip, "unknown status and fields round-tripped");

// 4. Paging: every run of every page, following the cursor.
var all = new List<string>();
await foreach (var item in client.Runs.ListRunsAllAsync(limit: 2)) all.Add($"{item.RunId}={item.Status}");
Console.WriteLine($"all runs over 2 pages: {string.Join(" ", all)}");
var failed = await client.Runs.ListRunsPagesAsync(limit: 2).LastAsync();
Console.WriteLine($"last page: {failed.Data.Count} run, has_more {failed.Pagination.HasMore}, error category {failed.Data[0].Error?.Category} (known: {failed.Data[0].Error?.Category.IsKnown})");
Check(string.Join(" ", all) == "run_2=PAUSED_FOR_REVIEW run_1=COMPLETED run_3=FAILED" && !failed.Pagination.HasMore, "pages followed");

// 5. Server-sent events: typed events, and a kind the spec does not list kept as raw JSON.
var kinds = new List<string>();
await foreach (var e in client.Automation.StreamRunAsync(new RunRequest { Url = new Uri("https://shop.example/pricing"), Goal = "Stream it" }))
{
    var line = e switch
    {
        StartedEvent started => $"STARTED {started.RunId}",
        StreamingUrlEvent live => $"STREAMING_URL {live.StreamingUrl}",
        ProgressEvent progress => $"PROGRESS {progress.Purpose}",
        HeartbeatEvent => "HEARTBEAT",
        CompleteEvent complete => $"COMPLETE {complete.Status} {complete.Result}",
        UnknownRunEvent unknown => $"unknown {unknown.Discriminator} kept: {unknown.Json.GetProperty("image").GetString()}; written back equal: {JsonNode.DeepEquals(JsonNode.Parse(Write<RunEvent>(unknown, TinyFishClientJson.WriteRunEvent)), JsonNode.Parse(unknown.Json.GetRawText()))}",
        _ => $"unexpected {e.GetType().Name}",
    };
    kinds.Add(e.Type);
    Console.WriteLine("event " + line);
}
Check(string.Join(",", kinds) == "STARTED,STREAMING_URL,PROGRESS,SCREENSHOT,HEARTBEAT,COMPLETE", "event stream read");

// 6. Errors: a 404 becomes the runtime's typed exception carrying the parsed envelope.
try
{
    await client.Runs.GetRunAsync("run_missing");
    Check(false, "404 thrown");
}
catch (ApiNotFoundException e)
{
    Console.WriteLine($"run_missing: {(int)e.StatusCode} {e.Code}");
    Check(e.Code == "NOT_FOUND", "404 envelope read");
}

if (failures.Count > 0)
{
    Console.Error.WriteLine("FAILED: " + string.Join("; ", failures));
    return 1;
}
Console.WriteLine("AOT sample: all checks passed");
return 0;

void Check(bool ok, string what)
{
    if (!ok) failures.Add(what);
}

// The generated writers are plain methods on Utf8JsonWriter: no reflection, nothing for the trimmer to keep.
static string Write<T>(T value, JsonWriteAction<T> write)
{
    var buffer = new ArrayBufferWriter<byte>();
    using (var writer = new Utf8JsonWriter(buffer)) write(writer, value);
    return Encoding.UTF8.GetString(buffer.WrittenSpan);
}
