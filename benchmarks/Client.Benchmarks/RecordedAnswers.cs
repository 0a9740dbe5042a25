using System.Net;
using System.Net.Http.Headers;
using System.Text;
using TinyFish.FakeServer;

/// <summary>
/// Real answers of the runs API, recorded once from the in-process fake (seeded, so the same bytes on
/// every machine), and an <see cref="HttpMessageHandler"/> that serves them from memory. Every client
/// under test reads exactly these bytes; no socket, no fake logic on the measured path.
/// </summary>
public sealed class RecordedAnswers
{
    public const string RequestJson = """{"url":"https://shop.example.com/pro","goal":"Find the price of the Pro plan"}""";

    private RecordedAnswers(byte[] listPage, byte[] oneRun, byte[] queued, byte[] eventStream, string runId)
    {
        ListPage = listPage;
        OneRun = oneRun;
        Queued = queued;
        EventStream = eventStream;
        RunId = runId;
    }

    /// <summary>GET /v1/runs?limit=100 over a seeded history: 100 runs, results and steps included.</summary>
    public byte[] ListPage { get; }

    /// <summary>GET /v1/runs/{id} of a COMPLETED run.</summary>
    public byte[] OneRun { get; }

    /// <summary>POST /v1/automation/run-async.</summary>
    public byte[] Queued { get; }

    /// <summary>POST /v1/automation/run-sse: a whole run's events, STARTED to COMPLETE.</summary>
    public byte[] EventStream { get; }

    public string RunId { get; }

    public static async Task<RecordedAnswers> RecordAsync()
    {
        await using var fake = FakeTinyFish.Create(new FakeTinyFishOptions { SelfCheck = false });
        fake.SeedHistory(100, seed: 7);
        using var http = fake.CreateHttpClient(withApiKey: true);
        var listPage = await http.GetByteArrayAsync("/v1/runs?limit=100");
        var runId = System.Text.Json.JsonDocument.Parse(listPage).RootElement.GetProperty("data")[0].GetProperty("run_id").GetString()!;
        var oneRun = await http.GetByteArrayAsync($"/v1/runs/{runId}");
        using var queuedResponse = await http.PostAsync("/v1/automation/run-async", Json(RequestJson));
        var queued = await queuedResponse.Content.ReadAsByteArrayAsync();

        using var streamRequest = new HttpRequestMessage(HttpMethod.Post, "/v1/automation/run-sse") { Content = Json(RequestJson) };
        using var streamResponse = await http.SendAsync(streamRequest, HttpCompletionOption.ResponseHeadersRead);
        var reading = streamResponse.Content.ReadAsByteArrayAsync();
        await fake.AdvanceAsync(TimeSpan.FromSeconds(30));
        var eventStream = await reading;
        if (streamResponse.StatusCode != HttpStatusCode.OK || !Encoding.UTF8.GetString(eventStream).Contains("\"COMPLETE\"", StringComparison.Ordinal))
            throw new InvalidOperationException("The fake's event stream did not end with a COMPLETE event.");
        return new RecordedAnswers(listPage, oneRun, queued, eventStream, runId);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Serves the recorded answers by method and path, as the real API would.</summary>
    public HttpMessageHandler Handler() => new Answering(this);

    private sealed class Answering(RecordedAnswers answers) : HttpMessageHandler
    {
        private static readonly MediaTypeHeaderValue JsonType = new("application/json");
        private static readonly MediaTypeHeaderValue EventStreamType = new("text/event-stream");

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Drain the request body, as a server does (and so the clients' serialization is measured).
            if (request.Content is { } content) await content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            var path = request.RequestUri!.AbsolutePath;
            var (body, type) = path switch
            {
                "/v1/runs" => (answers.ListPage, JsonType),
                "/v1/automation/run-async" => (answers.Queued, JsonType),
                "/v1/automation/run-sse" => (answers.EventStream, EventStreamType),
                _ when path.StartsWith("/v1/runs/", StringComparison.Ordinal) => (answers.OneRun, JsonType),
                _ => throw new InvalidOperationException($"No recorded answer for {request.Method} {path}."),
            };
            var answer = new ByteArrayContent(body);
            answer.Headers.ContentType = type;
            answer.Headers.ContentLength = body.Length;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = answer, RequestMessage = request };
        }
    }
}
