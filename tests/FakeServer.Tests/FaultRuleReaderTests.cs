using System.Net;
using FakeServer.Tests.Support;

namespace FakeServer.Tests;

/// <summary><c>POST/DELETE /_fake/faults</c> (<c>ControlRoutes</c> + <c>FaultRuleReader</c>): faults on demand over HTTP, for clients of the standalone fake.</summary>
public sealed class FaultRuleReaderTests : FakeHttpTest
{
    private async Task ArmAsync(string json)
    {
        using var armed = await Http.PostJsonAsync("/_fake/faults", json);
        Assert.That(armed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await armed.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_rate_limit_armed_over_HTTP_hits_the_next_matching_requests_then_stops()
    {
        await ArmAsync("""{"kind":"rate_limited","retry_after_seconds":7,"count":2,"method":"GET","path":"/v1/runs"}""");

        using (var queued = await Http.PostJsonAsync("/v1/automation/run-async", TestHelpers.MinimalRun))
            Assert.That(queued.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another route is not hit");
        for (var i = 0; i < 2; i++)
        {
            using var limited = await Http.GetAsync("/v1/runs");
            await limited.AssertErrorAsync(429, "RATE_LIMIT_EXCEEDED");
            Assert.That(limited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(7)));
        }
        using var served = await Http.GetAsync("/v1/runs");
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Each_kind_can_be_armed_over_HTTP()
    {
        var id = await Http.QueueAsync();
        await ArmAsync("""{"kind":"internal_error","path":"/v1/runs/*"}""");
        using (var failed = await Http.GetAsync($"/v1/runs/{id}")) await failed.AssertErrorAsync(500, "INTERNAL_ERROR");

        await ArmAsync("""{"kind":"dropped_connection"}""");
        Assert.That(async () => await Http.GetAsync("/v1/runs"), Throws.InstanceOf<HttpRequestException>());

        // A spec-valid canned answer (the self-check is on here): the run exists, yet the answer says it does not.
        await ArmAsync("""{"kind":"answer","status":404,"body":"{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"canned\"}}","method":"GET","path":"/v1/runs/*"}""");
        using (var canned = await Http.GetAsync($"/v1/runs/{id}"))
        {
            var body = await canned.AssertErrorAsync(404, "NOT_FOUND");
            Assert.That(body.GetProperty("error").Str("message"), Is.EqualTo("canned"));
        }

        await ArmAsync("""{"kind":"latency","delay_ms":5000,"method":"GET"}""");
        var delayed = Http.GetAsync("/v1/runs");
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(4));
        Assert.That(delayed.IsCompleted, Is.False);
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(1));
        using var late = await delayed;
        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("""{}""", "kind")]
    [TestCase("""{"kind":"explode"}""", "kind")]
    [TestCase("""{"kind":"latency"}""", "delay_ms")]
    [TestCase("""{"kind":"answer","status":200}""", "body")]
    [TestCase("""{"kind":"answer","body":"{}"}""", "status")]
    [TestCase("""{"kind":"answer","status":700,"body":"{}"}""", "status")]
    [TestCase("""{"kind":"internal_error","count":0}""", "count")]
    [TestCase("""{"kind":"internal_error","path":"v1/runs"}""", "path")]
    [TestCase("""{"kind":"internal_error","probability":0.5}""", "probability")]
    [TestCase("""[1]""", "body")]
    public async Task A_bad_description_is_400_INVALID_INPUT_and_arms_nothing(string json, string field)
    {
        using var refused = await Http.PostJsonAsync("/_fake/faults", json);
        await refused.AssertErrorAsync(400, "INVALID_INPUT", field);

        using var served = await Http.GetAsync("/v1/runs");
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Delete_disarms_every_fault()
    {
        await ArmAsync("""{"kind":"internal_error","count":5}""");
        using (var cleared = await Http.DeleteAsync("/_fake/faults")) Assert.That(cleared.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        using var served = await Http.GetAsync("/v1/runs");
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_control_routes_are_never_hit_by_a_fault()
    {
        Fake.Faults.NextRequest().FailWithInternalError();
        using (var cleared = await Http.DeleteAsync("/_fake/faults")) Assert.That(cleared.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await ArmAsync("""{"kind":"rate_limited"}""");

        using var limited = await Http.GetAsync("/v1/runs");
        await limited.AssertErrorAsync(429, "RATE_LIMIT_EXCEEDED");
    }

    [Test]
    public async Task The_control_routes_take_the_API_key_and_answer_other_methods_405()
    {
        using var anonymous = Fake.CreateHttpClient();
        using (var missing = await anonymous.PostAsync("/_fake/faults", TestHelpers.Json("""{"kind":"internal_error"}""")))
            await missing.AssertErrorAsync(401, "MISSING_API_KEY");
        using (var get = await Http.GetAsync("/_fake/faults"))
        {
            await get.AssertErrorAsync(405, "METHOD_NOT_ALLOWED");
            Assert.That(get.Content.Headers.Allow, Is.EquivalentTo(new[] { "POST", "DELETE" }));
        }

        using var served = await Http.GetAsync("/v1/runs");
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the refused request armed nothing");
    }
}
