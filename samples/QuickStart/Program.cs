// The quick start: a client generated at build time from openapi/tinyfish-runs.openapi.yaml,
// talking to the in-process fake runs API, whose clock this program moves.
using QuickStart.TinyFish;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;

await using var fake = new FakeTinyFish();
using var client = new TinyFishClient(
    new ApiClientOptions { BaseAddress = fake.BaseAddress, ApiKey = fake.ApiKey, TimeProvider = fake.Clock },
    new HttpClient(fake.CreateHandler()));

Console.WriteLine($"Fake TinyFish at {fake.BaseAddress}, clock at {fake.Clock.GetUtcNow():u}");

// 1. Start a run; it is queued for 1 s and runs for 10 s (the fake's defaults).
var queued = await client.Automation.QueueRunAsync(new RunRequest
{
    Url = new Uri("https://shop.example/products"),
    Goal = "Find the name and price of the first product",
});
var runId = queued.RunId ?? throw new InvalidOperationException($"The run was refused: {queued.Error?.Message}");
await Print("started");

// 2. Move the fake's clock and read the run back at each stage.
await fake.AdvanceAsync(TimeSpan.FromSeconds(1));
await Print("after 1 s");
await fake.AdvanceAsync(TimeSpan.FromSeconds(10));
var finished = await Print("after 11 s");
Console.WriteLine($"  result: {finished.Result}");

// 3. Two more runs, then one page of the list, newest first.
foreach (var goal in new[] { "Read the opening hours", "Count the reviews" })
{
    await client.Automation.QueueRunAsync(new RunRequest { Url = new Uri("https://example.com"), Goal = goal });
}
var page = await client.Runs.ListRunsAsync(limit: 10);
Console.WriteLine($"List: {page.Data.Count} of {page.Pagination.Total} runs (has more: {page.Pagination.HasMore})");
foreach (var run in page.Data)
{
    Console.WriteLine($"  {run.RunId}  {run.Status.Value,-9}  {run.Goal}");
}

// 4. Cancel the newest run, then cancel it again: cancel is idempotent.
var newest = page.Data[0].RunId;
var cancelled = await client.Runs.CancelRunAsync(newest);
Console.WriteLine($"Cancel {newest}: {cancelled.Status.Value} at {cancelled.CancelledAt:u}");
var again = await client.Runs.CancelRunAsync(newest);
Console.WriteLine($"Cancel again: {again.Status.Value}, \"{again.Message}\", same time: {again.CancelledAt == cancelled.CancelledAt}");

// 5. A finished run cannot be cancelled.
var late = await client.Runs.CancelRunAsync(runId);
Console.WriteLine($"Cancel the finished run: {late.Status.Value}, \"{late.Message}\"");
return 0;

async Task<Run> Print(string when)
{
    var run = await client.Runs.GetRunAsync(runId);
    Console.WriteLine($"Run {run.RunId} {when}: {run.Status.Value} (started {run.StartedAt?.ToString("u") ?? "-"}, finished {run.FinishedAt?.ToString("u") ?? "-"})");
    return run;
}
