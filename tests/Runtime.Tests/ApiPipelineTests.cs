using System.Net;
using Runtime.Tests.Support;
using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;
using static Runtime.Tests.Support.Pipelines;

namespace Runtime.Tests;

public class ApiPipelineTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Test]
    public async Task A_request_goes_to_the_base_address_with_the_key_header_and_the_body_is_decoded()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.OK, """{"id":"run_123","extra":[1,2]}""");
        using var pipeline = Create(handler, new VirtualClock(), o => o.BaseAddress = new Uri("https://api.example.test/base"));

        var item = await pipeline.SendAsync(GetRun("run 123"), Item.Read, CancellationToken.None).Within();

        Assert.That(item.Id, Is.EqualTo("run_123"));
        var sent = handler.Requests.Single();
        Assert.That(sent.Uri.AbsoluteUri, Is.EqualTo("https://api.example.test/base/v1/runs/run%20123"));
        Assert.That(sent.Headers["X-API-Key"], Is.EqualTo(Key));
        Assert.That(sent.Headers["Accept"], Is.EqualTo("application/json"));
    }

    [Test]
    public void A_key_the_spec_gives_no_way_to_send_is_refused_at_once_without_being_shown()
    {
        var options = new ApiClientOptions { BaseAddress = new Uri("https://api.example.test/"), ApiKey = "sk-do-not-print" };

        var error = Assert.Throws<ArgumentException>(() => new ApiPipeline(options, ApiCredentialScheme.None));

        Assert.That(error!.Message, Does.Contain("declares no security scheme").And.Not.Contain("sk-do-not-print"));
        Assert.DoesNotThrow(() => new ApiPipeline(new ApiClientOptions { BaseAddress = new Uri("https://api.example.test/") }, ApiCredentialScheme.None).Dispose(),
            "without a key, a spec with no scheme is fine");
    }

    [Test]
    public async Task A_path_with_a_colon_and_a_query_goes_under_the_base_address()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, new VirtualClock(), o => o.BaseAddress = new Uri("https://api.example.test/base"));

        await pipeline.SendAsync(new ApiRequest(HttpMethod.Post, "/jobs:run", "runJobs", idempotent: false).WithQuery("why", "a&b"), Item.Read, CancellationToken.None).Within();

        Assert.That(handler.Requests.Single().Uri.AbsoluteUri, Is.EqualTo("https://api.example.test/base/jobs:run?why=a%26b"), "not a URI of scheme jobs:");
    }

    [Test]
    public void A_success_body_that_does_not_fit_throws_ApiResponseFormatException()
    {
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.OK, """{"id":""")
            .ThenJson(HttpStatusCode.OK, """{"id":42}""");
        using var pipeline = Create(handler, new VirtualClock());

        Assert.ThrowsAsync<ApiResponseFormatException>(() => pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None).Within());
        var wrongType = Assert.ThrowsAsync<ApiResponseFormatException>(() => pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None).Within());
        Assert.That(wrongType!.InnerException, Is.InstanceOf<InvalidOperationException>());
    }

    [Test]
    public async Task Text_and_binary_bodies_go_out_with_their_media_type_and_come_back_as_sent()
    {
        var contentTypes = new List<string?>();
        var handler = new ScriptedHandler()
            .Then((request, _) =>
            {
                contentTypes.Add(request.Content?.Headers.ContentType?.ToString());
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("stored: note ✓", System.Text.Encoding.UTF8, "text/plain") });
            })
            .Then((request, _) =>
            {
                contentTypes.Add(request.Content?.Headers.ContentType?.ToString());
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([0x89, 0x00, 0xFF]) });
            });
        using var pipeline = Create(handler, new VirtualClock());

        var text = await pipeline.SendForTextAsync(
            new ApiRequest(HttpMethod.Post, "/notes", "addNote", idempotent: false).WithTextBody("note ✓", "text/plain").WithAccept("text/plain"),
            CancellationToken.None).Within();
        var bytes = await pipeline.SendForBytesAsync(
            new ApiRequest(HttpMethod.Put, "/photo", "uploadPhoto", idempotent: true).WithBinaryBody([1, 2, 3], "image/png").WithAccept("application/octet-stream"),
            CancellationToken.None).Within();

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("stored: note ✓"));
            Assert.That(bytes, Is.EqualTo(new byte[] { 0x89, 0x00, 0xFF }));
            Assert.That(contentTypes, Is.EqualTo(new[] { "text/plain; charset=utf-8", "image/png" }));
            Assert.That(handler.Requests[0].Body, Is.EqualTo("note ✓"));
            Assert.That(handler.Requests[0].Headers["Accept"], Is.EqualTo("text/plain"));
            Assert.That(handler.Requests[1].Headers["Accept"], Is.EqualTo("application/octet-stream"));
        });
    }

    [Test]
    public async Task A_form_body_is_the_models_JSON_sent_as_URL_encoded_fields()
    {
        string? contentType = null;
        var handler = new ScriptedHandler().Then((request, _) =>
        {
            contentType = request.Content?.Headers.ContentType?.ToString();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        });
        using var pipeline = Create(handler, new VirtualClock());
        var request = new ApiRequest(HttpMethod.Post, "/charges", "createCharge", idempotent: false)
            .WithFormBody(("usd", 500L), static (w, charge) =>
            {
                w.WriteStartObject();
                w.WriteString("currency", charge.Item1);
                w.WriteNumber("amount", charge.Item2);
                w.WriteStartObject("metadata");
                w.WriteString("order id", "A&1");
                w.WriteEndObject();
                w.WriteEndObject();
            });

        await pipeline.SendAsync(request, CancellationToken.None).Within();

        Assert.That(contentType, Is.EqualTo("application/x-www-form-urlencoded"));
        Assert.That(handler.Requests.Single().Body, Is.EqualTo("currency=usd&amount=500&metadata%5Border%20id%5D=A%261"));
    }

    [Test]
    public async Task SendOrDefault_reads_a_body_and_answers_default_for_none()
    {
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""")
            .Then(() => new HttpResponseMessage(HttpStatusCode.NoContent));
        using var pipeline = Create(handler, new VirtualClock());

        var found = await pipeline.SendOrDefaultAsync(GetRun(), Item.Read, CancellationToken.None).Within();
        var none = await pipeline.SendOrDefaultAsync(GetRun(), Item.Read, CancellationToken.None).Within();

        Assert.That(found?.Id, Is.EqualTo("run_1"));
        Assert.That(none, Is.Null);
    }

    [Test]
    public async Task SendAsync_by_status_reads_each_body_by_its_status_and_refuses_an_undocumented_one()
    {
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.Created, """{"id":"run_new"}""")
            .Then(() => new HttpResponseMessage(HttpStatusCode.NoContent))
            .ThenJson(HttpStatusCode.Accepted, """{"id":"run_odd"}""");
        using var pipeline = Create(handler, new VirtualClock());
        Task<object> Send() => pipeline.SendAsync<object>(GetRun(),
            static status => status == 201 ? static (ref System.Text.Json.Utf8JsonReader r) => (object)("created " + Item.Read(ref r).Id) : null,
            static status => status == 204 ? "none" : null,
            CancellationToken.None);

        var created = await Send().Within();
        var none = await Send().Within();
        var undocumented = Assert.ThrowsAsync<ApiResponseFormatException>(() => Send().Within());

        Assert.That(created, Is.EqualTo("created run_new"));
        Assert.That(none, Is.EqualTo("none"));
        Assert.That(undocumented!.Message, Does.Contain("202"));
    }

    [Test]
    public void An_error_status_on_a_text_or_binary_call_throws_the_typed_ApiException()
    {
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.NotFound, Envelope("NOT_FOUND", "No such report"))
            .ThenJson(HttpStatusCode.NotFound, Envelope("NOT_FOUND", "No such photo"));
        using var pipeline = Create(handler, new VirtualClock());

        var text = Assert.ThrowsAsync<ApiNotFoundException>(() => pipeline.SendForTextAsync(GetRun(), CancellationToken.None).Within());
        var bytes = Assert.ThrowsAsync<ApiNotFoundException>(() => pipeline.SendForBytesAsync(GetRun(), CancellationToken.None).Within());
        Assert.That(text!.Message, Does.Contain("No such report"));
        Assert.That(bytes!.Message, Does.Contain("No such photo"));
    }

    [Test]
    public async Task The_per_attempt_timeout_fires_on_the_fake_clock_exactly_at_Timeout()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler().ThenHang();
        using var pipeline = Create(handler, time, o =>
        {
            o.Timeout = TimeSpan.FromSeconds(10);
            o.Retry.MaxRetries = 0;
        });

        var call = pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None);
        await time.AdvanceAsync(TimeSpan.FromSeconds(10) - Tick);
        Assert.That(call.IsCompleted, Is.False);
        await time.AdvanceAsync(Tick);

        var e = Assert.ThrowsAsync<ApiTimeoutException>(() => call.Within());
        Assert.That(e!.Timeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(e.OperationId, Is.EqualTo("getRun"));
    }

    [Test]
    public void An_already_cancelled_token_sends_nothing()
    {
        var handler = new ScriptedHandler();
        using var pipeline = Create(handler, new VirtualClock());
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => pipeline.SendAsync(GetRun(), Item.Read, cts.Token).Within());
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => pipeline.SendAsync(GetRun(), cts.Token).Within());
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () =>
        {
            await foreach (var _ in pipeline.StreamAsync(GetRun(), Item.Read, cts.Token)) { }
        });
        Assert.That(handler.Count, Is.EqualTo(0));
    }

    [Test]
    public async Task Cancelling_during_an_attempt_cancels_it_and_is_not_retried_or_reported_as_a_timeout()
    {
        var handler = new ScriptedHandler().ThenHang().ThenJson(HttpStatusCode.OK, """{"id":"x"}""");
        using var pipeline = Create(handler, new VirtualClock(), o => o.Retry.BaseDelay = TimeSpan.Zero);
        using var cts = new CancellationTokenSource();

        var call = pipeline.SendAsync(GetRun(), cts.Token);
        await handler.WaitForRequestAsync(1);
        await cts.CancelAsync();

        var e = Assert.CatchAsync(() => call.Within());
        Assert.That(e, Is.InstanceOf<OperationCanceledException>());
        Assert.That(handler.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task On_the_system_clock_an_attempt_cancelled_by_the_caller_leaves_the_next_calls_timeout_uncancelled()
    {
        // The system clock's per-attempt timeout source is reset and reused; one whose attempt the caller
        // cancelled must not be reused in a cancelled state. The timeout (60 s) never fires here.
        var tokens = new List<CancellationToken>();
        var handler = new ScriptedHandler()
            .Then((_, token) => { tokens.Add(token); return Task.FromResult(Json("a")); })
            .ThenHang()
            .Then((_, token) => { tokens.Add(token); return Task.FromResult(Json("c")); });
        using var pipeline = Create(handler, TimeProvider.System, o => o.Retry.BaseDelay = TimeSpan.Zero);
        using var cts = new CancellationTokenSource();

        var first = await pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None).Within();
        var cancelled = pipeline.SendAsync(GetRun(), Item.Read, cts.Token);
        await handler.WaitForRequestAsync(2);
        await cts.CancelAsync();
        Assert.CatchAsync<OperationCanceledException>(() => cancelled.Within());
        var third = await pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None).Within();

        Assert.Multiple(() =>
        {
            Assert.That((first.Id, third.Id), Is.EqualTo(("a", "c")));
            Assert.That(tokens.Select(t => (t.CanBeCanceled, t.IsCancellationRequested)), Is.All.EqualTo((true, false)), "each attempt has a live timeout");
        });

        static HttpResponseMessage Json(string id) =>
            new(HttpStatusCode.OK) { Content = new StringContent("{\"id\":\"" + id + "\"}", System.Text.Encoding.UTF8, "application/json") };
    }

    [Test]
    public void A_timeout_over_the_limit_of_the_timer_is_rejected_when_the_pipeline_is_built()
    {
        var options = new ApiClientOptions { BaseAddress = new Uri("https://api.example.test"), Timeout = TimeSpan.FromDays(100) };

        Assert.Throws<ArgumentException>(() => new ApiPipeline(options, ApiCredentialScheme.None));
    }

    [Test]
    public async Task Every_attempt_is_logged_with_the_path_template_status_elapsed_and_retry_delay_and_never_the_key()
    {
        var time = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.TooManyRequests, Envelope("RATE_LIMIT_EXCEEDED", "slow down"), r => RetryAfter(r, 2))
            .ThenJson(HttpStatusCode.OK, """{"id":"run_123"}""")
            .ThenJson(HttpStatusCode.Unauthorized, Envelope("INVALID_API_KEY", $"Invalid API key {Key}"))
            .ThenThrow(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        using var pipeline = Create(handler, time, logs: logs);

        var call = pipeline.SendAsync(GetRun("run_123"), Item.Read, CancellationToken.None);
        await time.AdvanceAsync(TimeSpan.FromSeconds(2));
        await call.Within();
        var auth = Assert.ThrowsAsync<ApiAuthenticationException>(() => pipeline.SendAsync(GetRun("run_123"), Item.Read, CancellationToken.None).Within());
        var dropped = Assert.ThrowsAsync<HttpRequestException>(() => pipeline.SendAsync(CreateRun(), Item.Read, CancellationToken.None).Within());

        var lines = logs.Lines;
        Assert.That(handler.Requests.Select(r => r.Headers["X-API-Key"]), Is.All.EqualTo(Key), "the key was sent, so it could have leaked");
        Assert.That(lines, Has.Count.EqualTo(4));
        Assert.That(lines[0], Does.Contain("getRun GET /v1/runs/{id} attempt 1: 429").And.Contain("retrying in 2000 ms"));
        Assert.That(lines[1], Does.Contain("getRun GET /v1/runs/{id} attempt 2: 200"));
        Assert.That(lines[2], Does.Contain("attempt 1: 401").And.Contain("not retried"));
        Assert.That(lines[3], Does.Contain("queueRun POST /v1/automation/run-async attempt 1: HttpRequestException(ResponseEnded)"));
        Assert.That(lines, Has.None.Contain(Key));
        Assert.That(lines, Has.None.Contain("run_123"), "path values stay out of logs");
        Assert.That(auth!.ToString(), Does.Not.Contain(Key));
        Assert.That(auth.Message, Does.Contain("Invalid API key ***"));
        Assert.That(auth.RawBody, Does.Not.Contain(Key));
        Assert.That(dropped!.ToString(), Does.Not.Contain(Key));
    }

    [Test]
    public void Disposing_the_pipeline_leaves_a_caller_supplied_HttpClient_usable()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.OK, "{}");
        using var client = new HttpClient(handler) { BaseAddress = new Uri("https://api.example.test") };
        new ApiPipeline(new ApiClientOptions { BaseAddress = client.BaseAddress }, ApiCredentialScheme.None, client).Dispose();

        Assert.DoesNotThrowAsync(() => client.GetAsync("x"));
    }
}
