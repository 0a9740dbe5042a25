using System.Text.Json;
using TinyFish.FakeServer;

using FakeServer.Tests.Support;

namespace FakeServer.Tests;

public sealed class AutomationEndpointsTests : FakeHttpTest
{
    [TestCase("{\"url\":\"https://example.com\",\"goal\":", "body", TestName = "Malformed JSON is INVALID_INPUT on body")]
    [TestCase("", "body", TestName = "An empty body is INVALID_INPUT on body")]
    [TestCase("[1,2]", "body", TestName = "A JSON array body is INVALID_INPUT on body")]
    [TestCase("{\"url\":\"https://example.com\",\"goal\":\"\"}", "goal", TestName = "An empty goal is INVALID_INPUT on goal")]
    [TestCase("{\"url\":\"https://example.com\",\"goal\":42}", "goal", TestName = "A goal of the wrong type is INVALID_INPUT on goal")]
    [TestCase("{\"goal\":\"x\"}", "url", TestName = "A missing url is INVALID_INPUT on url")]
    [TestCase("{\"url\":\"not a url\",\"goal\":\"x\"}", "url", TestName = "A relative url is INVALID_INPUT on url")]
    [TestCase("{\"url\":\"https://example.com\",\"goal\":\"x\",\"browser_profile\":\"turbo\"}", "browser_profile", TestName = "An unknown browser_profile is INVALID_INPUT")]
    [TestCase("{\"url\":\"https://example.com\",\"goal\":\"x\",\"agent_config\":{\"max_steps\":0}}", "agent_config.max_steps", TestName = "max_steps below 1 is INVALID_INPUT")]
    [TestCase("{\"url\":\"https://example.com\",\"goal\":\"x\",\"agent_config\":{\"max_steps\":1.5}}", "agent_config.max_steps", TestName = "A fractional max_steps is INVALID_INPUT")]
    [TestCase("{\"url\":\"https://example.com\",\"goal\":\"x\",\"proxy_config\":{\"country_code\":\"US\"}}", "proxy_config.enabled", TestName = "proxy_config without enabled is INVALID_INPUT")]
    [TestCase("{\"url\":\"https://example.com\",\"goal\":\"x\",\"webhook_url\":\"http://hooks.example.com\"}", "webhook_url", TestName = "A plain-http webhook_url is INVALID_INPUT")]
    [TestCase("{\"url\":\"https://example.com\",\"goal\":\"x\",\"colour\":\"blue\"}", "colour", TestName = "An unknown property is INVALID_INPUT")]
    [TestCase("{\"url\":\"https://example.com\",\"goal\":\"x\",\"goal\":\"y\"}", "body", TestName = "A duplicated property is INVALID_INPUT")]
    public async Task A_bad_run_request_is_400_with_details_and_creates_nothing(string body, string field)
    {
        foreach (var path in new[] { "/v1/automation/run-async", "/v1/automation/run", "/v1/automation/run-sse" })
        {
            using var response = await Http.PostJsonAsync(path, body);
            await response.AssertErrorAsync(400, "INVALID_INPUT", field);
        }
        Assert.That(Fake.RunCount, Is.Zero);
    }

    [Test]
    public async Task Every_problem_of_a_request_is_listed_at_once()
    {
        using var response = await Http.PostJsonAsync("/v1/automation/run-async", """{"goal":"","browser_profile":1,"capture_config":{"recording":"yes"}}""");
        var body = await response.AssertErrorAsync(400, "INVALID_INPUT");
        var fields = body.GetProperty("error").GetProperty("details").EnumerateArray().Select(detail => detail.Str("field"));
        Assert.That(fields, Is.SupersetOf(new[] { "url", "goal", "browser_profile", "capture_config.recording" }));
    }

    [Test]
    public async Task A_body_over_the_size_limit_is_400_not_500()
    {
        var huge = "{\"url\":\"https://example.com\",\"goal\":\"" + new string('a', 1024 * 1024 + 10) + "\"}";
        using var response = await Http.PostJsonAsync("/v1/automation/run-async", huge);
        await response.AssertErrorAsync(400, "INVALID_INPUT", "body");
        Assert.That(Fake.RunCount, Is.Zero);
    }

    [Test]
    public async Task A_full_request_from_the_spec_example_is_accepted()
    {
        const string full = """
            {"url":"https://example.com/products","goal":"List every product name and price as JSON","browser_profile":"stealth",
             "proxy_config":{"enabled":true,"type":"tetra","country_code":"US"},
             "output_schema":{"type":"object","properties":{"products":{"type":"array","items":{"type":"object"}}}},
             "agent_config":{"mode":"strict","max_steps":50,"max_duration_seconds":120},
             "capture_config":{"screenshots":true,"recording":false},
             "webhook_url":"https://hooks.example.com/tinyfish","feature_flags":{"enable_agent_memory":false},
             "use_profile":true,"profile_id":"prof_1","use_vault":false,"credential_item_ids":["c1"],"api_integration":"tests"}
            """;
        var run = await Http.GetRunAsync(await Http.QueueAsync(full));
        Assert.Multiple(() =>
        {
            Assert.That(run.GetProperty("browser_config").GetProperty("proxy_enabled").GetBoolean(), Is.True);
            Assert.That(run.GetProperty("browser_config").Str("proxy_country_code"), Is.EqualTo("US"));
            Assert.That(run.GetProperty("output_schema").Str("type"), Is.EqualTo("object"));
            Assert.That(run.GetProperty("profile_attached").GetBoolean(), Is.True);
            Assert.That(run.Str("profile_id"), Is.EqualTo("prof_1"));
        });
    }

    [Test]
    public async Task Null_optional_fields_count_as_absent()
    {
        var id = await Http.QueueAsync("""{"url":"https://example.com","goal":"x","browser_profile":null,"proxy_config":null,"agent_config":null}""");
        Assert.That(id, Does.StartWith("run_"));
    }

    [Test]
    public async Task Run_async_answers_run_id_and_null_error()
    {
        using var response = await Http.PostJsonAsync("/v1/automation/run-async", TestHelpers.MinimalRun);
        var body = await response.ReadJsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That(body.Str("run_id"), Does.Match("^[A-Za-z0-9_-]+$"));
            Assert.That(body.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task The_blocking_run_answers_only_when_the_run_finishes_on_the_fake_clock()
    {
        var call = Http.PostJsonAsync("/v1/automation/run", TestHelpers.MinimalRun);
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.That(call.IsCompleted, Is.False, "answered before the run finished");

        await Fake.AdvanceAsync(TimeSpan.FromSeconds(1));
        using var response = await call;
        var body = await response.ReadJsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(body.Str("status"), Is.EqualTo("COMPLETED"));
            Assert.That(body.Str("started_at"), Is.EqualTo("2025-01-01T00:00:01Z"));
            Assert.That(body.Str("finished_at"), Is.EqualTo("2025-01-01T00:00:11Z"));
            Assert.That(body.GetProperty("num_of_steps").GetInt32(), Is.EqualTo(3));
            Assert.That(body.GetProperty("result").ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(body.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task A_failed_blocking_run_is_200_by_default_and_500_when_asked()
    {
        Fake.Runs.WhenAny().FailsWith(FailureCategory.SystemFailure, "Browser crashed", TimeSpan.FromSeconds(30));
        var call = Http.PostJsonAsync("/v1/automation/run", TestHelpers.MinimalRun);
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        using var response = await call;
        var body = await response.ReadJsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(body.Str("status"), Is.EqualTo("FAILED"));
            Assert.That(body.GetProperty("error").Str("category"), Is.EqualTo("SYSTEM_FAILURE"));
            Assert.That(body.GetProperty("error").GetProperty("retry_after").GetInt32(), Is.EqualTo(30));
        });

        await using var strict = new FakeTinyFish(new FakeTinyFishOptions { SyncFailureAsHttp500 = true });
        strict.Runs.WhenAny().FailsWith(FailureCategory.SystemFailure, "Browser crashed");
        var http = strict.CreateHttpClient(withApiKey: true);
        var failing = http.PostJsonAsync("/v1/automation/run", TestHelpers.MinimalRun);
        await strict.AdvanceAsync(TimeSpan.FromSeconds(11));
        using var failed = await failing;
        Assert.That((int)failed.StatusCode, Is.EqualTo(500));
        Assert.That((await failed.ReadJsonAsync()).Str("status"), Is.EqualTo("FAILED"));
    }

    [Test]
    public async Task Run_batch_creates_every_run_in_order()
    {
        using var response = await Http.PostJsonAsync("/v1/automation/run-batch",
            """{"runs":[{"url":"https://a.example","goal":"first"},{"url":"https://b.example","goal":"second"}]}""");
        var body = await response.ReadJsonAsync();
        var ids = body.GetProperty("run_ids").EnumerateArray().Select(id => id.GetString()!).ToList();
        Assert.That(ids, Has.Count.EqualTo(2));
        Assert.That(body.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That((await Http.GetRunAsync(ids[0])).Str("goal"), Is.EqualTo("first"));
        Assert.That((await Http.GetRunAsync(ids[1])).Str("goal"), Is.EqualTo("second"));
    }

    [Test]
    public async Task Run_batch_is_all_or_nothing()
    {
        using var response = await Http.PostJsonAsync("/v1/automation/run-batch",
            """{"runs":[{"url":"https://a.example","goal":"ok"},{"url":"https://b.example","goal":""}]}""");
        await response.AssertErrorAsync(400, "INVALID_INPUT", "runs[1].goal");
        Assert.That(Fake.RunCount, Is.Zero);
    }

    [TestCase(0)]
    [TestCase(101)]
    public async Task Run_batch_takes_1_to_100_runs(int count)
    {
        var runs = string.Join(",", Enumerable.Repeat(TestHelpers.MinimalRun, count));
        using var response = await Http.PostJsonAsync("/v1/automation/run-batch", $"{{\"runs\":[{runs}]}}");
        await response.AssertErrorAsync(400, "INVALID_INPUT", "runs");
        Assert.That(Fake.RunCount, Is.Zero);
    }

    [Test]
    public async Task An_unknown_query_parameter_is_400()
    {
        using var response = await Http.PostJsonAsync("/v1/automation/run-async?debug=1", TestHelpers.MinimalRun);
        await response.AssertErrorAsync(400, "INVALID_INPUT", "debug");
        Assert.That(Fake.RunCount, Is.Zero);
    }
}
