using System.Net;
using System.Text;
using TinyFish.Runs;
using TinyFish.Toolkit.Runtime;

namespace Integration.Tests;

/// <summary>Streams in the older camelCase spelling (runId, streamingUrl, resultJson) still read, and heartbeats are optional.</summary>
public class TinyFishClientLegacyStreamTests
{
    private const string Frames =
        "data: {\"type\":\"STARTED\",\"runId\":\"run_1\",\"timestamp\":\"2025-01-01T00:00:00Z\"}\n\n" +
        "data: {\"type\":\"STREAMING_URL\",\"runId\":\"run_1\",\"streamingUrl\":\"https://live.example/run_1\",\"timestamp\":\"2025-01-01T00:00:01Z\"}\n\n" +
        "data: {\"type\":\"HEARTBEAT\",\"timestamp\":\"2025-01-01T00:00:02Z\"}\n\n" +
        "data: {\"type\":\"PROGRESS\",\"runId\":\"run_1\",\"purpose\":\"Reading the page\",\"timestamp\":\"2025-01-01T00:00:03Z\"}\n\n" +
        "data: {\"type\":\"COMPLETE\",\"runId\":\"run_1\",\"status\":\"COMPLETED\",\"resultJson\":\"{\\\"title\\\":\\\"Example\\\"}\",\"timestamp\":\"2025-01-01T00:00:04Z\"}\n\n";

    private static TinyFishClient Client() =>
        new(new ApiClientOptions { BaseAddress = new Uri("https://api.example/"), ApiKey = "k" }, new HttpClient(new CannedStream()));

    private static RunRequest Request => new() { Url = new Uri("https://example.com"), Goal = "Read the title" };

    [Test]
    public async Task CamelCase_fields_read_as_their_snake_case_properties()
    {
        using var client = Client();
        var events = await Collect(client.RunAndStreamAsync(Request));

        Assert.Multiple(() =>
        {
            Assert.That(((StartedEvent)events[0]).RunId, Is.EqualTo("run_1"));
            Assert.That(((StreamingUrlEvent)events[1]).StreamingUrl, Is.EqualTo(new Uri("https://live.example/run_1")));
            var outcome = (RunOutcome.Succeeded)RunOutcome.From((CompleteEvent)events[^1]);
            Assert.That(outcome.Result!.Value.GetProperty("title").GetString(), Is.EqualTo("Example"), "resultJson is the older name of result");
        });
    }

    [Test]
    public async Task Heartbeats_are_skipped_unless_asked_for()
    {
        using var client = Client();

        var without = await Collect(client.RunAndStreamAsync(Request));
        var with = await Collect(client.RunAndStreamAsync(Request, new RunStreamOptions { IncludeHeartbeats = true }));

        Assert.That(without.OfType<HeartbeatEvent>(), Is.Empty);
        Assert.That(with.OfType<HeartbeatEvent>().Count(), Is.EqualTo(1));
        Assert.That(with, Has.Count.EqualTo(without.Count + 1));
    }

    private static async Task<List<RunEvent>> Collect(IAsyncEnumerable<RunEvent> events)
    {
        var list = new List<RunEvent>();
        await foreach (var e in events.WithCancellation(CancellationToken.None)) list.Add(e);
        return list;
    }

    private sealed class CannedStream : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(Frames, Encoding.UTF8, "text/event-stream"),
            });
    }
}
