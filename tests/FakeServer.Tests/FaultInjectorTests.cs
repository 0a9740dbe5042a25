using System.Net;
using TinyFish.FakeServer;
using TinyFish.FakeServer.Faults;

using FakeServer.Tests.Support;

namespace FakeServer.Tests;

public sealed class FaultInjectorTests : FakeHttpTest
{
    [Test]
    public async Task The_next_requests_are_rate_limited_with_Retry_After_then_served()
    {
        var fault = Fake.Faults.NextRequests(2).AreRateLimited(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 2; i++)
        {
            using var limited = await Http.PostJsonAsync("/v1/automation/run-async", TestHelpers.MinimalRun);
            await limited.AssertErrorAsync(429, "RATE_LIMIT_EXCEEDED");
            Assert.That(limited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
        }
        Assert.That(Fake.RunCount, Is.Zero, "a refused request creates nothing");
        await Http.QueueAsync();
        Assert.That(fault.Hits, Is.EqualTo(2));
    }

    [Test]
    public async Task A_fault_can_be_limited_to_a_method_and_route()
    {
        var id = await Http.QueueAsync();
        Fake.Faults.NextRequest().To("GET", "/v1/runs/*").FailWithInternalError();
        using (var list = await Http.GetAsync("/v1/runs")) Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var cancel = await Http.PostAsync($"/v1/runs/{id}/cancel", null)) Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var get = await Http.GetAsync($"/v1/runs/{id}")) await get.AssertErrorAsync(500, "INTERNAL_ERROR");
        using var again = await Http.GetAsync($"/v1/runs/{id}");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_dropped_connection_is_an_HttpRequestException()
    {
        Fake.Faults.NextRequest().DropTheConnection();
        Assert.That(async () => await Http.GetAsync("/v1/runs"), Throws.InstanceOf<HttpRequestException>());
        using var next = await Http.GetAsync("/v1/runs");
        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Latency_holds_a_request_on_the_fake_clock()
    {
        Fake.Faults.NextRequest().To("POST", "/v1/automation/**").AreDelayed(TimeSpan.FromSeconds(5));
        var queued = Http.QueueAsync();
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(4));
        Assert.That(queued.IsCompleted, Is.False);
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(1));
        var run = await Http.GetRunAsync(await queued);
        Assert.That(run.Str("created_at"), Is.EqualTo("2025-01-01T00:00:05Z"), "the run is created when the delayed request is served");
    }

    [Test]
    public async Task A_canned_answer_replaces_the_real_one_and_creates_nothing()
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { SelfCheck = false });
        using var http = fake.CreateHttpClient(withApiKey: true);
        var fault = fake.Faults.NextRequest().To("POST", "/v1/automation/run-async").AnswerWith(202, "{not json");

        using var canned = await http.PostJsonAsync("/v1/automation/run-async", TestHelpers.MinimalRun);
        Assert.Multiple(async () =>
        {
            Assert.That((int)canned.StatusCode, Is.EqualTo(202));
            Assert.That(canned.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(await canned.Content.ReadAsStringAsync(), Is.EqualTo("{not json"));
            Assert.That(fake.RunCount, Is.Zero, "the endpoint never ran");
            Assert.That(fault.Kind, Is.EqualTo(FaultKind.Answer));
        });
        await http.QueueAsync();
        Assert.That(fake.RunCount, Is.EqualTo(1), "the next request is served");
    }

    [Test]
    public void A_canned_answer_needs_a_status_from_200_to_599_and_a_body()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Fake.Faults.NextRequest().AnswerWith(199, "{}"), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Fake.Faults.NextRequest().AnswerWith(600, "{}"), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Fake.Faults.NextRequest().AnswerWith(200, null!), Throws.ArgumentNullException);
        });
    }

    [Test]
    public async Task Random_faults_are_the_same_for_the_same_seed()
    {
        async Task<string> PatternAsync(int seed)
        {
            await using var fake = new FakeTinyFish(new FakeTinyFishOptions { Seed = seed });
            fake.Faults.Randomly(0.3).FailWithInternalError();
            var http = fake.CreateHttpClient(withApiKey: true);
            var pattern = "";
            for (var i = 0; i < 40; i++)
            {
                using var response = await http.GetAsync("/v1/runs");
                pattern += response.IsSuccessStatusCode ? "." : "x";
            }
            return pattern;
        }
        var first = await PatternAsync(5);
        var again = await PatternAsync(5);
        var other = await PatternAsync(6);
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(first));
            Assert.That(first, Does.Contain("x").And.Contain("."));
            Assert.That(other, Is.Not.EqualTo(first));
        });
    }

    [Test]
    public async Task Faults_hit_before_authentication_and_Clear_disarms_them()
    {
        Fake.Faults.NextRequests(5).AreRateLimited(TimeSpan.FromSeconds(1));
        using var anonymous = new HttpClient(Fake.CreateHandler()) { BaseAddress = Fake.BaseAddress };
        using (var response = await anonymous.GetAsync("/v1/runs")) await response.AssertErrorAsync(429, "RATE_LIMIT_EXCEEDED");
        Fake.Faults.Clear();
        using var served = await Http.GetAsync("/v1/runs");
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
