using System.Net;
using System.Net.Sockets;
using Runtime.Tests.Support;
using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;
using static Runtime.Tests.Support.Pipelines;

namespace Runtime.Tests;

/// <summary>The default retry rule, and replacing it through <see cref="RetryOptions.ShouldRetry"/>.</summary>
public sealed class ApiRetryRuleTests
{
    private static ApiAttemptOutcome Answered(int status, bool idempotent) => new("op", idempotent, 1, (HttpStatusCode)status, null);

    private static ApiAttemptOutcome Failed(Exception e, bool idempotent) => new("op", idempotent, 1, null, e);

    [TestCase(429, false, true)]
    [TestCase(429, true, true)]
    [TestCase(503, true, true)]
    [TestCase(503, false, false)]
    [TestCase(408, true, true)]
    [TestCase(408, false, false)]
    [TestCase(404, true, false)]
    [TestCase(409, true, false)]
    public void The_default_rule_retries_a_status_only_when_the_server_cannot_have_acted_or_repeating_is_harmless(int status, bool idempotent, bool retried)
    {
        Assert.That(ApiRetryRule.Default(Answered(status, idempotent)), Is.EqualTo(retried));
    }

    [Test]
    public void The_default_rule_retries_a_refused_connection_even_for_a_request_that_is_not_idempotent()
    {
        var refused = new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused));
        var dropped = new HttpRequestException(HttpRequestError.ResponseEnded, "dropped");

        Assert.Multiple(() =>
        {
            Assert.That(ApiRetryRule.Default(Failed(refused, idempotent: false)), Is.True);
            Assert.That(ApiRetryRule.Default(Failed(dropped, idempotent: false)), Is.False);
            Assert.That(ApiRetryRule.Default(Failed(dropped, idempotent: true)), Is.True);
            Assert.That(ApiRetryRule.Default(Failed(new InvalidOperationException(), idempotent: true)), Is.False);
        });
    }

    [Test]
    public async Task A_replaced_rule_decides_which_outcomes_the_pipeline_retries()
    {
        var seen = new List<ApiAttemptOutcome>();
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.Conflict, "{}")
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var pipeline = Create(handler, new VirtualClock(), o =>
        {
            o.Retry.BaseDelay = TimeSpan.Zero;
            // This API answers 409 while a resource is being created: worth another try.
            o.Retry.ShouldRetry = outcome =>
            {
                seen.Add(outcome);
                return outcome.StatusCode == HttpStatusCode.Conflict || ApiRetryRule.Default(outcome);
            };
        });

        var item = await pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None).Within();

        Assert.That(item.Id, Is.EqualTo("run_1"));
        Assert.That(handler.Count, Is.EqualTo(2));
        Assert.That(seen[0], Is.EqualTo(new ApiAttemptOutcome("getRun", true, 1, HttpStatusCode.Conflict, null)));
    }

    [Test]
    public void A_rule_that_retries_nothing_lets_even_a_429_through()
    {
        var handler = new ScriptedHandler().ThenJson(TooMany, "{}", r => RetryAfter(r, 1));
        using var pipeline = Create(handler, new VirtualClock(), o => o.Retry.ShouldRetry = _ => false);

        Assert.ThrowsAsync<ApiRateLimitedException>(() => pipeline.SendAsync(GetRun(), Item.Read, CancellationToken.None));
        Assert.That(handler.Count, Is.EqualTo(1));
    }
}
