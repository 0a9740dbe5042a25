using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Runs.Testing;
using TinyFish.Toolkit.Runtime;

// Everything the client emits goes to the console: one span per operation, one per attempt, and the
// duration histograms. The runtime itself has no OpenTelemetry dependency; only this program does.
using var tracing = Sdk.CreateTracerProviderBuilder()
    .AddSource(ApiTelemetry.Name)
    .AddConsoleExporter()
    .Build();
using var metrics = Sdk.CreateMeterProviderBuilder()
    .AddMeter(ApiTelemetry.Name)
    .AddConsoleExporter()
    .Build();

await using var fake = new FakeTinyFish();
using var client = fake.CreateClient();

var queued = await client.Automation.QueueRunAsync(new RunRequest { Url = new Uri("https://example.com"), Goal = "Read the title" });
// The next read is rate limited once (Retry-After: 0), so the client retries it: two attempt spans.
fake.Faults.NextRequests(1).To("GET", "/v1/runs/*").AreRateLimited(TimeSpan.Zero);
var run = await client.Runs.GetRunAsync(queued.RunId!);
Console.WriteLine($"Run {run.RunId}: {run.Status}");
// Disposing the providers (end of the program) exports the metrics.

