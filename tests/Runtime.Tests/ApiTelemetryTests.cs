using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Runtime.Tests.Support;
using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;
using static Runtime.Tests.Support.Pipelines;

namespace Runtime.Tests;

/// <summary>
/// The spans and measurements a client emits, as OpenTelemetry would receive them: read through a plain
/// <see cref="ActivityListener"/> and <see cref="MeterListener"/> on <see cref="ApiTelemetry.Name"/>.
/// Each test talks to a host of its own and keeps only what names that host.
/// </summary>
public sealed class ApiTelemetryTests
{
    private string _host = null!;
    private ActivityListener _activities = null!;
    private MeterListener _meters = null!;
    private readonly List<Activity> _spans = [];
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];

    [SetUp]
    public void Listen()
    {
        _host = $"telemetry-{Guid.NewGuid():N}.example.test";
        _spans.Clear();
        _measurements.Clear();
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ApiTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_spans) _spans.Add(activity);
            },
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ApiTelemetry.Name) listener.EnableMeasurementEvents(instrument);
            },
        };
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Measured(instrument, value, tags));
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Measured(instrument, value, tags));
        _meters.Start();
    }

    [TearDown]
    public void StopListening()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    [Test]
    public async Task A_retried_429_gives_one_operation_span_with_a_client_span_per_attempt()
    {
        await GetRunAnsweredAfterOne429Async();

        var spans = Spans();
        var operation = spans.Single(s => s.Kind == ActivityKind.Internal);
        var attempts = spans.Where(s => s.Kind == ActivityKind.Client).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(operation.DisplayName, Is.EqualTo("getRun"));
            Assert.That(operation.GetTagItem("api.operation.id"), Is.EqualTo("getRun"));
            Assert.That(operation.GetTagItem("http.response.status_code"), Is.EqualTo(200));
            Assert.That(operation.GetTagItem("http.request.resend_count"), Is.EqualTo(1), "one retry");
            Assert.That(operation.Status, Is.EqualTo(ActivityStatusCode.Unset));
            Assert.That(operation.Events.Select(e => e.Name), Is.EqualTo(new[] { "OnRetry" }), "Polly's retry event on the operation span");

            Assert.That(attempts, Has.Count.EqualTo(2));
            Assert.That(attempts.Select(a => a.ParentSpanId), Is.All.EqualTo(operation.SpanId));
            Assert.That(attempts.Select(a => a.DisplayName), Is.All.EqualTo("GET /v1/runs/{id}"));
            Assert.That(attempts.Select(a => a.GetTagItem("url.template")), Is.All.EqualTo("/v1/runs/{id}"));
            Assert.That(attempts.Select(a => a.GetTagItem("http.request.method")), Is.All.EqualTo("GET"));
            Assert.That(attempts.Select(a => a.GetTagItem("server.address")), Is.All.EqualTo(_host));
            Assert.That(attempts.Select(a => a.GetTagItem("server.port")), Is.All.EqualTo(443));
            Assert.That(attempts.Select(a => a.GetTagItem("http.response.status_code")), Is.EqualTo(new object[] { 429, 200 }));
            Assert.That(attempts.Select(a => a.GetTagItem("error.type")), Is.EqualTo(new object?[] { "429", null }));
            Assert.That(attempts.Select(a => a.Status), Is.EqualTo(new[] { ActivityStatusCode.Error, ActivityStatusCode.Unset }));
            Assert.That(attempts.Select(a => a.GetTagItem("http.request.resend_count")), Is.EqualTo(new object?[] { null, 1 }));
        });
    }

    [Test]
    public async Task A_retried_429_is_measured_per_attempt_and_per_operation_on_the_clients_clock()
    {
        await GetRunAnsweredAfterOne429Async();

        var requests = Measurements("http.client.request.duration");
        var operations = Measurements("api.client.operation.duration");
        var retries = Measurements("resilience.polly.strategy.events").Where(m => Equals(m.Tags["event.name"], "OnRetry")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(requests.Select(m => m.Tags["http.response.status_code"]), Is.EqualTo(new object[] { 429, 200 }));
            Assert.That(requests.Select(m => m.Tags.GetValueOrDefault("error.type")), Is.EqualTo(new object?[] { "429", null }));
            Assert.That(requests.Select(m => m.Tags["url.template"]), Is.All.EqualTo("/v1/runs/{id}"));
            Assert.That(requests.Select(m => m.Tags["url.scheme"]), Is.All.EqualTo("https"));
            Assert.That(requests.Select(m => m.Value), Is.All.EqualTo(0), "no clock time passes inside an in-memory attempt");

            Assert.That(operations, Has.Count.EqualTo(1));
            Assert.That(operations[0].Value, Is.EqualTo(7), "the retry delay is part of the operation, in seconds");
            Assert.That(operations[0].Tags["http.request.resend_count"], Is.EqualTo(1));
            Assert.That(operations[0].Tags["api.operation.id"], Is.EqualTo("getRun"));

            Assert.That(retries, Has.Count.EqualTo(1));
            Assert.That(retries[0].Tags["operation.key"], Is.EqualTo("getRun"));
            Assert.That(retries[0].Tags["http.response.status_code"], Is.EqualTo(429));
        });
    }

    [Test]
    public void An_error_answer_marks_the_operation_span_with_its_status_as_error_type()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.NotFound, Envelope("NOT_FOUND", "no such run"));
        using var pipeline = CreateForHost(handler, new VirtualClock());

        Assert.ThrowsAsync<ApiNotFoundException>(() => pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None));

        var operation = Spans().Single(s => s.Kind == ActivityKind.Internal);
        Assert.Multiple(() =>
        {
            Assert.That(operation.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(operation.GetTagItem("error.type"), Is.EqualTo("404"));
            Assert.That(operation.GetTagItem("http.request.resend_count"), Is.EqualTo(0));
            Assert.That(Measurements("api.client.operation.duration").Single().Tags["error.type"], Is.EqualTo("404"));
        });
    }

    [Test]
    public void A_connection_that_cannot_be_opened_is_error_type_connection_error()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused));
        var handler = new ScriptedHandler().ThenThrow(refused);
        using var pipeline = CreateForHost(handler, new VirtualClock(), o => o.Retry.MaxRetries = 0);

        Assert.ThrowsAsync<HttpRequestException>(() => pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None));

        var attempt = Spans().Single(s => s.Kind == ActivityKind.Client);
        Assert.Multiple(() =>
        {
            Assert.That(attempt.GetTagItem("error.type"), Is.EqualTo("connection_error"));
            Assert.That(attempt.GetTagItem("http.response.status_code"), Is.Null);
            Assert.That(attempt.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(Measurements("http.client.request.duration").Single().Tags["error.type"], Is.EqualTo("connection_error"));
        });
    }

    [Test]
    public async Task A_timed_out_attempt_is_error_type_timeout()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler().ThenHang();
        using var pipeline = CreateForHost(handler, time, o =>
        {
            o.Retry.MaxRetries = 0;
            o.Timeout = TimeSpan.FromSeconds(5);
        });

        var call = pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None);
        await time.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.ThrowsAsync<ApiTimeoutException>(async () => await call.Within());
        var attempt = Measurements("http.client.request.duration").Single();
        Assert.Multiple(() =>
        {
            Assert.That(attempt.Tags["error.type"], Is.EqualTo("timeout"));
            Assert.That(attempt.Value, Is.EqualTo(5));
        });
    }

    [Test]
    public async Task Query_values_are_redacted_in_url_full_and_the_key_is_in_no_tag()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = CreateForHost(handler, new VirtualClock());
        var request = new ApiRequest(HttpMethod.Get, "/v1/runs", "listRuns", idempotent: true)
            .WithQuery("goal", "find my secret invoice")
            .WithQuery("limit", 5);

        await pipeline.SendAsync(request, Item.Read, CancellationToken.None);

        var attempt = Spans().Single(s => s.Kind == ActivityKind.Client);
        Assert.Multiple(() =>
        {
            Assert.That(attempt.GetTagItem("url.full"), Is.EqualTo($"https://{_host}/v1/runs?goal=*&limit=*"));
            Assert.That(Spans().SelectMany(s => s.TagObjects).Select(t => t.Value?.ToString()), Has.None.Contains(Key));
        });
    }

    /// <summary>getRun answered 429 with Retry-After: 7, then 200 on the retry, 7 s later on the client's clock.</summary>
    private async Task GetRunAnsweredAfterOne429Async()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler()
            .ThenJson(TooMany, Envelope("RATE_LIMITED", "slow down"), r => RetryAfter(r, 7))
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = CreateForHost(handler, time);

        var call = pipeline.SendAsync(GetRun("run_1"), Item.Read, CancellationToken.None);
        await time.AdvanceAsync(TimeSpan.FromSeconds(7));
        await call.Within();
    }

    private ApiPipeline CreateForHost(ScriptedHandler handler, TimeProvider time, Action<ApiClientOptions>? configure = null) =>
        Create(handler, time, o =>
        {
            o.BaseAddress = new Uri($"https://{_host}");
            configure?.Invoke(o);
        });

    private List<Activity> Spans()
    {
        lock (_spans) return [.. _spans.Where(s => Equals(s.GetTagItem("server.address"), _host))];
    }

    private List<(string Instrument, double Value, Dictionary<string, object?> Tags)> Measurements(string instrument)
    {
        lock (_measurements)
        {
            return [.. _measurements.Where(m => m.Instrument == instrument
                && (Equals(m.Tags.GetValueOrDefault("server.address"), _host) || instrument == "resilience.polly.strategy.events"))];
        }
    }

    private void Measured<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags) copy[tag.Key] = tag.Value;
        lock (_measurements) _measurements.Add((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
    }
}
