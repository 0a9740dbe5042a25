using System.Net;
using System.Text.Json;
using Runtime.Tests.Support;
using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;
using static Runtime.Tests.Support.Pipelines;

namespace Runtime.Tests;

/// <summary>Server-sent events through <see cref="ApiPipeline.StreamAsync{T}"/>.</summary>
public class ApiPipelineStreamTests
{
    /// <summary>The event shape of the runs API: a type and, for most events, a run id.</summary>
    private sealed record Event(string Type, string? RunId)
    {
        public static readonly JsonReadFunc<Event> Read = (ref Utf8JsonReader reader) =>
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            return new Event(
                root.GetProperty("type").GetString()!,
                root.TryGetProperty("run_id", out var id) ? id.GetString() : null);
        };
    }

    private static ApiRequest StreamRun() =>
        new ApiRequest(HttpMethod.Post, "/v1/automation/run-sse", "streamRun", idempotent: false)
            .WithJsonBody("https://example.com", static (w, url) => { w.WriteStartObject(); w.WriteString("url", url); w.WriteEndObject(); });

    private static ScriptedHandler Streaming(Stream body) => new ScriptedHandler().Then(() =>
        new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) { Headers = { ContentType = new("text/event-stream") } } });

    private static async Task<List<Event>> ReadAll(IAsyncEnumerable<Event> events, List<Event>? into = null, TaskCompletionSource? first = null)
    {
        into ??= [];
        await foreach (var e in events)
        {
            into.Add(e);
            first?.TrySetResult();
        }
        return into;
    }

    [Test]
    public async Task A_stream_is_read_to_the_end_with_heartbeats_passed_through_and_comments_and_empty_data_skipped()
    {
        var body = new ChunkStream()
            .Write(": connected\n\n")
            .Write("data: {\"type\":\"STARTED\",\"run_id\":\"run_1\",\"timestamp\":\"2025-01-01T00:00:00Z\"}\n\n")
            .Write("data:\n\n")
            .Write("data: {\"type\":\"HEARTBEAT\",\"timestamp\":\"2025-01-01T00:00:01Z\"}\n\n")
            .Write("data: {\"type\":\"PROGRESS\",\"run_id\":\"run_1\",")   // one event split across reads
            .Write("\"purpose\":\"Clicking\"}\n\n")
            .Write("data: {\"type\":\"COMPLETE\",\"run_id\":\"run_1\",\"status\":\"COMPLETED\"}\n\n")
            .End();
        var handler = Streaming(body);
        using var pipeline = Create(handler, new VirtualClock());

        var events = await ReadAll(pipeline.StreamAsync(StreamRun(), Event.Read, CancellationToken.None)).Within();

        Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { "STARTED", "HEARTBEAT", "PROGRESS", "COMPLETE" }));
        Assert.That(events[3].RunId, Is.EqualTo("run_1"));
        Assert.That(handler.Requests[0].Headers["Accept"], Is.EqualTo("text/event-stream"));
    }

    [Test]
    public void A_malformed_event_surfaces_as_ApiResponseFormatException()
    {
        var body = new ChunkStream()
            .Write("data: {\"type\":\"STARTED\",\"run_id\":\"run_1\"}\n\n")
            .Write("data: {\"type\":\"PROGRESS\",\n\n")
            .End();
        using var pipeline = Create(Streaming(body), new VirtualClock());
        var received = new List<Event>();

        var e = Assert.ThrowsAsync<ApiResponseFormatException>(() => ReadAll(pipeline.StreamAsync(StreamRun(), Event.Read, CancellationToken.None), received).Within());

        Assert.That(e!.OperationId, Is.EqualTo("streamRun"));
        Assert.That(received.Select(x => x.Type), Is.EqualTo(new[] { "STARTED" }));
    }

    [Test]
    public void A_connection_dropped_mid_stream_surfaces_as_ApiStreamInterruptedException()
    {
        var reset = new IOException("Connection reset by peer");
        var body = new ChunkStream()
            .Write("data: {\"type\":\"STARTED\",\"run_id\":\"run_1\"}\n\n")
            .Write("data: {\"type\":\"PROGRESS\",\"run_id\":\"run_1\"}\n\n")
            .Fail(reset);
        var handler = Streaming(body);
        using var pipeline = Create(handler, new VirtualClock());
        var received = new List<Event>();

        var e = Assert.ThrowsAsync<ApiStreamInterruptedException>(() => ReadAll(pipeline.StreamAsync(StreamRun(), Event.Read, CancellationToken.None), received).Within());

        Assert.That(e!.EventsReceived, Is.EqualTo(2));
        Assert.That(e.InnerException, Is.SameAs(reset));
        Assert.That(received, Has.Count.EqualTo(2));
        Assert.That(handler.Count, Is.EqualTo(1), "a stream that started is never re-sent");
    }

    [Test]
    public void A_transport_error_mid_stream_is_also_an_interruption()
    {
        var body = new ChunkStream()
            .Write("data: {\"type\":\"STARTED\",\"run_id\":\"run_1\"}\n\n")
            .Fail(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        using var pipeline = Create(Streaming(body), new VirtualClock());

        var e = Assert.ThrowsAsync<ApiStreamInterruptedException>(() => ReadAll(pipeline.StreamAsync(StreamRun(), Event.Read, CancellationToken.None)).Within());

        Assert.That(e!.EventsReceived, Is.EqualTo(1));
    }

    [Test]
    public async Task Cancelling_mid_stream_is_a_cancellation_not_an_interruption()
    {
        var body = new ChunkStream().Write("data: {\"type\":\"STARTED\",\"run_id\":\"run_1\"}\n\n");
        using var pipeline = Create(Streaming(body), new VirtualClock());
        using var cts = new CancellationTokenSource();
        var received = new List<Event>();

        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = ReadAll(pipeline.StreamAsync(StreamRun(), Event.Read, cts.Token), received, first);
        await first.Task.Within();
        await cts.CancelAsync();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => reading.Within());
    }

    [Test]
    public void An_error_status_instead_of_a_stream_throws_the_matching_ApiException()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.Unauthorized, Envelope("INVALID_API_KEY", "Invalid API key"));
        using var pipeline = Create(handler, new VirtualClock());

        var e = Assert.ThrowsAsync<ApiAuthenticationException>(() => ReadAll(pipeline.StreamAsync(StreamRun(), Event.Read, CancellationToken.None)).Within());

        Assert.That(e!.Code, Is.EqualTo("INVALID_API_KEY"));
    }

    [Test]
    public async Task The_per_attempt_timeout_covers_opening_the_stream_only_not_a_long_stream()
    {
        var time = new VirtualClock();
        var body = new ChunkStream().Write("data: {\"type\":\"STARTED\",\"run_id\":\"run_1\"}\n\n");
        using var pipeline = Create(Streaming(body), time, o => o.Timeout = TimeSpan.FromSeconds(10));
        var received = new List<Event>();

        var reading = ReadAll(pipeline.StreamAsync(StreamRun(), Event.Read, CancellationToken.None), received);
        await time.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.That(received.Select(e => e.Type), Is.EqualTo(new[] { "STARTED" }), "the stream was open before the clock moved");
        body.Write("data: {\"type\":\"COMPLETE\",\"run_id\":\"run_1\"}\n\n").End();

        await reading.Within();
        Assert.That(received.Select(e => e.Type), Is.EqualTo(new[] { "STARTED", "COMPLETE" }));
    }
}
