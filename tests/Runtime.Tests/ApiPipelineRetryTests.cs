using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Runtime.Tests.Support;
using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;
using static Runtime.Tests.Support.Pipelines;

namespace Runtime.Tests;

public class ApiPipelineRetryTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Test]
    public async Task A_429_with_Retry_After_seconds_is_retried_exactly_after_that_delay_even_when_not_idempotent()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler()
            .ThenJson(TooMany, Envelope("RATE_LIMIT_EXCEEDED", "slow down"), r => RetryAfter(r, 7))
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, time);

        var call = pipeline.SendAsync(CreateRun(), Item.Read, CancellationToken.None);
        await time.AdvanceAsync(TimeSpan.FromSeconds(7) - Tick);
        Assert.That(handler.Count, Is.EqualTo(1), "the retry must not go out before the server's delay");
        await time.AdvanceAsync(Tick);

        var item = await call.Within();
        Assert.That(item.Id, Is.EqualTo("run_1"));
        Assert.That(handler.Requests.Select(r => r.Body), Is.All.EqualTo("""{"url":"https://example.com"}"""));
    }

    [Test]
    public async Task A_Retry_After_HTTP_date_is_waited_until_on_the_clock()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.ServiceUnavailable, "{}", r => r.Headers.RetryAfter = new RetryConditionHeaderValue(time.GetUtcNow().AddSeconds(12)))
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, time);

        var call = pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None);
        await time.AdvanceAsync(TimeSpan.FromSeconds(12) - Tick);
        Assert.That(handler.Count, Is.EqualTo(1));
        await time.AdvanceAsync(Tick);

        Assert.That((await call.Within()).Id, Is.EqualTo("run_1"));
        Assert.That(handler.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task A_Retry_After_longer_than_MaxDelay_is_capped_at_MaxDelay()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler()
            .ThenJson(TooMany, "{}", r => RetryAfter(r, 600))
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, time, o => o.Retry.MaxDelay = TimeSpan.FromSeconds(20));

        var call = pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None);
        await time.AdvanceAsync(TimeSpan.FromSeconds(20) - Tick);
        Assert.That(handler.Count, Is.EqualTo(1));
        await time.AdvanceAsync(Tick);

        Assert.That((await call.Within()).Id, Is.EqualTo("run_1"));
    }

    [Test]
    public async Task A_retry_after_the_APIs_conventions_find_in_the_error_body_is_honoured_when_there_is_no_header()
    {
        var time = new VirtualClock();
        const string failedRun = """{"run_id":null,"status":"FAILED","error":{"message":"busy","category":"SYSTEM_FAILURE","retry_after":5}}""";
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.InternalServerError, failedRun)
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, time, errors: RetryAfterInBody);

        var call = pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None);
        await time.AdvanceAsync(TimeSpan.FromSeconds(5) - Tick);
        Assert.That(handler.Count, Is.EqualTo(1));
        await time.AdvanceAsync(Tick);

        Assert.That((await call.Within()).Id, Is.EqualTo("run_1"));
    }

    [Test]
    public async Task The_body_hint_reader_of_the_APIs_conventions_decides_the_delay()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler()
            .ThenJson(TooMany, """{"wait_ms":1500}""")
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        var conventions = new ApiErrorConventions
        {
            ReadRetryAfter = body => body.TryGetProperty("wait_ms", out var ms) ? TimeSpan.FromMilliseconds(ms.GetInt32()) : null,
        };
        using var pipeline = Create(handler, time, errors: conventions);

        var call = pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None);
        await time.AdvanceAsync(TimeSpan.FromMilliseconds(1500) - Tick);
        Assert.That(handler.Count, Is.EqualTo(1));
        await time.AdvanceAsync(Tick);

        Assert.That((await call.Within()).Id, Is.EqualTo("run_1"));
    }

    [Test]
    public async Task Without_a_hint_the_backoff_is_jittered_and_never_above_MaxDelay()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.BadGateway, "{}")
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, time, o =>
        {
            o.Timeout = Timeout.InfiniteTimeSpan; // so the only timer is the backoff delay
            o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(3);
        });

        var call = pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None);
        await time.WhenIdleAsync();
        var delay = time.PendingTimers.Single() - time.GetUtcNow();
        Assert.That(delay, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(3)));
        await time.AdvanceAsync(delay - Tick);
        Assert.That(handler.Count, Is.EqualTo(1), "no retry before the backoff delay");
        await time.AdvanceAsync(Tick);

        Assert.That((await call.Within()).Id, Is.EqualTo("run_1"));
    }

    [Test]
    public void A_request_that_is_not_idempotent_is_not_retried_after_a_500()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.InternalServerError, Envelope("INTERNAL_ERROR", "boom"));
        using var pipeline = Create(handler, time);

        var e = Assert.ThrowsAsync<ApiServerException>(() => pipeline.SendAsync(CreateRun(), Item.Read, CancellationToken.None).Within());

        Assert.That(e!.Code, Is.EqualTo("INTERNAL_ERROR"));
        Assert.That(handler.Count, Is.EqualTo(1));
    }

    [Test]
    public void A_request_that_is_not_idempotent_is_not_retried_after_the_connection_drops_mid_response()
    {
        var time = new VirtualClock();
        var dropped = new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.", new IOException("reset"));
        var handler = new ScriptedHandler().ThenThrow(dropped);
        using var pipeline = Create(handler, time);

        var e = Assert.ThrowsAsync<HttpRequestException>(() => pipeline.SendAsync(CreateRun(), Item.Read, CancellationToken.None).Within());

        Assert.That(e, Is.SameAs(dropped));
        Assert.That(handler.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task A_request_that_is_not_idempotent_is_not_retried_after_a_timeout()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler().ThenHang();
        using var pipeline = Create(handler, time, o => o.Timeout = TimeSpan.FromSeconds(10));

        var call = pipeline.SendAsync(CreateRun(), Item.Read, CancellationToken.None);
        await time.AdvanceAsync(TimeSpan.FromSeconds(10));

        var e = Assert.ThrowsAsync<ApiTimeoutException>(() => call.Within());
        Assert.That(e!.OperationId, Is.EqualTo("queueRun"));
        Assert.That(handler.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task A_request_that_is_not_idempotent_is_retried_when_the_connection_was_refused()
    {
        var time = new VirtualClock();
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));
        var handler = new ScriptedHandler()
            .ThenThrow(refused)
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, time, o => o.Retry.BaseDelay = TimeSpan.Zero);

        var item = await pipeline.SendAsync(CreateRun(), Item.Read, CancellationToken.None).Within();

        Assert.That(item.Id, Is.EqualTo("run_1"));
        Assert.That(handler.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task A_socket_refusal_without_an_HttpRequestError_also_counts_as_never_sent()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler()
            .ThenThrow(new HttpRequestException("No connection", new SocketException((int)SocketError.ConnectionRefused)))
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, time, o => o.Retry.BaseDelay = TimeSpan.Zero);

        Assert.That((await pipeline.SendAsync(CreateRun(), Item.Read, CancellationToken.None).Within()).Id, Is.EqualTo("run_1"));
    }

    [TestCase(HttpStatusCode.RequestTimeout)]
    [TestCase(HttpStatusCode.InternalServerError)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    public async Task An_idempotent_request_is_retried_after(HttpStatusCode status)
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler()
            .ThenJson(status, "{}")
            .ThenJson(status, "{}")
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, time, o => o.Retry.BaseDelay = TimeSpan.Zero);

        var item = await pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None).Within();

        Assert.That(item.Id, Is.EqualTo("run_1"));
        Assert.That(handler.Count, Is.EqualTo(3));
    }

    [Test]
    public async Task An_idempotent_request_is_retried_after_a_dropped_connection_and_a_timeout()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler()
            .ThenThrow(new HttpRequestException(HttpRequestError.ResponseEnded, "ended"))
            .ThenHang()
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, time, o =>
        {
            o.Retry.BaseDelay = TimeSpan.Zero;
            o.Timeout = TimeSpan.FromSeconds(10);
        });

        var call = pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None);
        await time.WhenIdleAsync();
        Assert.That(handler.Count, Is.EqualTo(2), "the dropped attempt was retried at once and the retry hangs");
        await time.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.That((await call.Within()).Id, Is.EqualTo("run_1"));
        Assert.That(handler.Count, Is.EqualTo(3));
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.NotFound)]
    [TestCase(HttpStatusCode.Conflict)]
    public void A_client_error_other_than_408_and_429_is_not_retried(HttpStatusCode status)
    {
        var handler = new ScriptedHandler().ThenJson(status, "{}");
        using var pipeline = Create(handler, new VirtualClock());

        Assert.ThrowsAsync(Is.InstanceOf<ApiException>(), () => pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None).Within());
        Assert.That(handler.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Exhausted_retries_after_429_throw_ApiRateLimitedException_with_the_servers_wait()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler();
        for (var i = 0; i < 3; i++) handler.ThenJson(TooMany, Envelope("RATE_LIMIT_EXCEEDED", "slow down"), r => RetryAfter(r, 2));
        using var pipeline = Create(handler, time);

        var call = pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None);
        for (var retry = 1; retry <= 2; retry++)
        {
            await time.AdvanceAsync(TimeSpan.FromSeconds(2) - Tick);
            Assert.That(handler.Count, Is.EqualTo(retry), "no retry before the server's delay");
            await time.AdvanceAsync(Tick);
        }

        var e = Assert.ThrowsAsync<ApiRateLimitedException>(() => call.Within());
        Assert.That(e!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(e.Code, Is.EqualTo("RATE_LIMIT_EXCEEDED"));
        Assert.That(e.StatusCode, Is.EqualTo(TooMany));
        Assert.That(handler.Count, Is.EqualTo(3), "one attempt and the default two retries");
    }

    [Test]
    public void Exhausted_retries_after_5xx_throw_ApiServerException_with_the_raw_body()
    {
        var handler = new ScriptedHandler();
        for (var i = 0; i < 3; i++) handler.ThenJson(HttpStatusCode.BadGateway, "upstream down");
        using var pipeline = Create(handler, new VirtualClock(), o => o.Retry.BaseDelay = TimeSpan.Zero);

        var e = Assert.ThrowsAsync<ApiServerException>(() => pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None).Within());

        Assert.That(e!.RawBody, Is.EqualTo("upstream down"));
        Assert.That(e.Error, Is.Null);
        Assert.That(handler.Count, Is.EqualTo(3));
    }

    [Test]
    public void MaxRetries_zero_sends_once()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.ServiceUnavailable, "{}");
        using var pipeline = Create(handler, new VirtualClock(), o => o.Retry.MaxRetries = 0);

        Assert.ThrowsAsync<ApiServerException>(() => pipeline.SendAsync(GetRun(), CancellationToken.None).Within());
        Assert.That(handler.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Cancelling_during_a_backoff_delay_stops_without_another_attempt()
    {
        var time = new VirtualClock();
        var handler = new ScriptedHandler()
            .ThenJson(TooMany, "{}", r => RetryAfter(r, 30))
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, time);
        using var cts = new CancellationTokenSource();

        var call = pipeline.SendAsync(GetRun(), Item.Read, cts.Token);
        await time.WhenIdleAsync();
        Assert.That(time.PendingTimers, Is.EqualTo(new[] { time.GetUtcNow() + TimeSpan.FromSeconds(30) }), "waiting out the server's delay");
        await cts.CancelAsync();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => call.Within());
        await time.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.That(handler.Count, Is.EqualTo(1));
    }
}
