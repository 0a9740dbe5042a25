using System.Net;
using TinyFish.FakeServer;

namespace FakeServer.Tests;

public sealed class FakeTinyFishTests
{
    [Test]
    public async Task A_queued_run_moves_PENDING_RUNNING_COMPLETED_as_the_clock_advances()
    {
        await using var fake = new FakeTinyFish();
        var http = fake.CreateHttpClient(withApiKey: true);
        var id = await http.QueueAsync();

        var pending = await http.GetRunAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(pending.Str("status"), Is.EqualTo("PENDING"));
            Assert.That(pending.Str("created_at"), Is.EqualTo("2025-01-01T00:00:00Z"));
            Assert.That(pending.GetProperty("started_at").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(pending.GetProperty("streaming_url").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        });

        await fake.AdvanceAsync(TimeSpan.FromSeconds(1));
        var running = await http.GetRunAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(running.Str("status"), Is.EqualTo("RUNNING"));
            Assert.That(running.Str("started_at"), Is.EqualTo("2025-01-01T00:00:01Z"));
            Assert.That(running.GetProperty("num_of_steps").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(running.Str("streaming_url"), Does.StartWith("http://localhost/live/" + id));
            Assert.That(running.Str("streamingUrl"), Is.EqualTo(running.Str("streaming_url")));
        });

        await fake.AdvanceAsync(TimeSpan.FromSeconds(10));
        var completed = await http.GetRunAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(completed.Str("status"), Is.EqualTo("COMPLETED"));
            Assert.That(completed.Str("finished_at"), Is.EqualTo("2025-01-01T00:00:11Z"));
            Assert.That(completed.GetProperty("num_of_steps").GetInt32(), Is.EqualTo(3));
            Assert.That(completed.GetProperty("result").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Object));
            Assert.That(completed.GetProperty("error").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(completed.GetProperty("steps").GetArrayLength(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Every_key_of_a_run_is_present_even_when_null()
    {
        await using var fake = new FakeTinyFish();
        var http = fake.CreateHttpClient(withApiKey: true);
        var run = await http.GetRunAsync(await http.QueueAsync());
        string[] keys = ["run_id", "status", "goal", "created_at", "started_at", "finished_at", "num_of_steps", "result", "error", "streaming_url", "browser_config"];
        Assert.That(keys.Where(key => !run.TryGetProperty(key, out _)), Is.Empty);
    }

    [Test]
    public async Task A_request_without_the_key_is_401_MISSING_API_KEY()
    {
        await using var fake = new FakeTinyFish();
        var http = fake.CreateHttpClient();
        using var response = await http.GetAsync("/v1/runs");
        var body = await response.AssertErrorAsync(401, "MISSING_API_KEY");
        Assert.That(body.GetProperty("error").Str("message"), Is.EqualTo("X-API-Key header is required"));
    }

    [Test]
    public async Task A_request_with_a_wrong_key_is_401_INVALID_API_KEY_and_creates_nothing()
    {
        await using var fake = new FakeTinyFish();
        var http = fake.CreateHttpClient();
        http.DefaultRequestHeaders.Add("X-API-Key", "wrong");
        using var response = await http.PostJsonAsync("/v1/automation/run-async", TestHelpers.MinimalRun);
        await response.AssertErrorAsync(401, "INVALID_API_KEY");
        Assert.That(fake.RunCount, Is.Zero);
    }

    [Test]
    public async Task The_api_key_is_configurable()
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { ApiKey = "sk-other" });
        var http = fake.CreateHttpClient(withApiKey: true);
        Assert.That(http.DefaultRequestHeaders.GetValues("X-API-Key"), Is.EqualTo(new[] { "sk-other" }));
        using var response = await http.GetAsync("/v1/runs");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_clock_starts_at_the_documented_instant_and_moves_only_when_advanced()
    {
        await using var fake = FakeTinyFish.Create();
        Assert.That(fake.Clock.GetUtcNow(), Is.EqualTo(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        await fake.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.That(fake.Clock.GetUtcNow(), Is.EqualTo(new DateTimeOffset(2025, 1, 1, 0, 5, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task A_request_sent_before_AdvanceAsync_is_served_at_the_old_instant()
    {
        await using var fake = new FakeTinyFish();
        var http = fake.CreateHttpClient(withApiKey: true);
        // Not awaited: AdvanceAsync must wait for the request on its way in before moving the clock.
        var queued = http.QueueAsync();
        await fake.AdvanceAsync(TimeSpan.FromSeconds(30));
        var run = await http.GetRunAsync(await queued);
        Assert.That(run.Str("created_at"), Is.EqualTo("2025-01-01T00:00:00Z"));
    }

    [Test]
    public async Task Same_seed_gives_same_run_ids_and_results()
    {
        async Task<string> FirstRunAsync()
        {
            // The live-view token key is random per fake unless given: give it, for identical streaming_urls.
            await using var fake = new FakeTinyFish(new FakeTinyFishOptions { Seed = 42, LiveViewSecret = [1, 2, 3] });
            var http = fake.CreateHttpClient(withApiKey: true);
            var id = await http.QueueAsync();
            await fake.AdvanceAsync(TimeSpan.FromSeconds(11));
            return (await http.GetRunAsync(id)).ToString();
        }
        var first = await FirstRunAsync();
        var second = await FirstRunAsync();
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public async Task Disposing_the_fake_ends_a_blocking_run_that_never_finishes()
    {
        var fake = new FakeTinyFish();
        fake.Runs.WhenAny().NeverFinishes();
        var http = fake.CreateHandler();
        using var client = new HttpClient(http) { BaseAddress = fake.BaseAddress };
        client.DefaultRequestHeaders.Add("X-API-Key", fake.ApiKey);
        var call = client.PostJsonAsync("/v1/automation/run", TestHelpers.MinimalRun);
        await fake.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.That(call.IsCompleted, Is.False);
        await fake.DisposeAsync();
        Assert.That(async () => await call, Throws.Exception);
    }

    [Test]
    public async Task The_streamingUrl_alias_can_be_turned_off()
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { SendStreamingUrlAlias = false });
        var run = await fake.Http.GetRunAsync(await fake.Http.QueueAsync());
        Assert.That(run.TryGetProperty("streamingUrl", out _), Is.False);
        Assert.That(run.TryGetProperty("streaming_url", out _), Is.True);
    }

    [Test]
    public async Task Unknown_fields_can_be_allowed()
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { RejectUnknownFields = false });
        var id = await fake.Http.QueueAsync("""{"url":"https://example.com","goal":"x","future_option":true}""");
        using var list = await fake.Http.GetAsync("/v1/runs?cache_buster=1");
        Assert.That((int)list.StatusCode, Is.EqualTo(200));
        Assert.That(id, Does.StartWith("run_"));
    }

    [Test]
    public async Task AdvanceAsync_refuses_to_go_back()
    {
        await using var fake = FakeTinyFish.Create();
        Assert.That(async () => await fake.AdvanceAsync(TimeSpan.FromSeconds(-1)), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
