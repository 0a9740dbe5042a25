using System.Net;
using FakeServer.Tests.Support;

namespace FakeServer.Tests;

/// <summary><c>POST/DELETE /_fake/scenarios</c> (<c>ControlRoutes</c> + <c>ScenarioRuleReader</c>): scenarios over HTTP, for clients of the standalone fake.</summary>
public sealed class ScenarioRuleReaderTests : FakeHttpTest
{
    private async Task AddAsync(string json)
    {
        using var added = await Http.PostJsonAsync("/_fake/scenarios", json);
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await added.Content.ReadAsStringAsync());
    }

    private static string Run(string goal, string url = "https://example.com") => $$"""{"url":"{{url}}","goal":"{{goal}}"}""";

    [Test]
    public async Task A_goal_failure_added_over_HTTP_ends_matching_runs_COMPLETED_with_the_reason()
    {
        await AddAsync("""{"goal_contains":"products","fails_goal":"Could not find any products","after_seconds":4}""");
        var failing = await Http.QueueAsync(Run("List the products"));
        var other = await Http.QueueAsync(Run("Read the title"));
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));

        var run = await Http.GetRunAsync(failing);
        Assert.Multiple(async () =>
        {
            Assert.That(run.Str("status"), Is.EqualTo("COMPLETED"));
            Assert.That(run.Str("finished_at"), Is.EqualTo("2025-01-01T00:00:04Z"));
            Assert.That(run.GetProperty("result").Str("status"), Is.EqualTo("failure"));
            Assert.That(run.GetProperty("result").Str("reason"), Is.EqualTo("Could not find any products"));
            Assert.That((await Http.GetRunAsync(other)).GetProperty("result").TryGetProperty("reason", out _), Is.False, "unmatched runs follow the defaults");
        });
    }

    [Test]
    public async Task A_failure_added_over_HTTP_ends_the_run_FAILED_with_the_error()
    {
        await AddAsync("""{"url_contains":"flaky","fails_with":{"category":"SYSTEM_FAILURE","message":"Browser crashed","retry_after_seconds":30,"code":"BROWSER_CRASHED"}}""");
        var id = await Http.QueueAsync(Run("Read the title", "https://flaky.example"));
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));

        var error = (await Http.GetRunAsync(id)).GetProperty("error");
        Assert.Multiple(() =>
        {
            Assert.That(error.Str("category"), Is.EqualTo("SYSTEM_FAILURE"));
            Assert.That(error.Str("message"), Is.EqualTo("Browser crashed"));
            Assert.That(error.GetProperty("retry_after").GetInt32(), Is.EqualTo(30));
            Assert.That(error.Str("code"), Is.EqualTo("BROWSER_CRASHED"));
        });
    }

    [Test]
    public async Task Order_progress_timing_refusal_and_times_can_be_said_over_HTTP()
    {
        await AddAsync("""{"nth":1,"never_finishes":true,"queued_seconds":2,"progress":["Open the page","Read the price"],"times":1}""");
        await AddAsync("""{"refused_with":{"category":"BILLING_FAILURE","message":"Insufficient credits","help_url":"https://example.com/billing"},"times":1}""");
        var endless = await Http.QueueAsync();
        using var refused = await Http.PostJsonAsync("/v1/automation/run-async", TestHelpers.MinimalRun);
        var refusal = await refused.ReadJsonAsync();
        var normal = await Http.QueueAsync();
        await Fake.AdvanceAsync(TimeSpan.FromMinutes(5));

        var run = await Http.GetRunAsync(endless);
        Assert.Multiple(async () =>
        {
            Assert.That(run.Str("status"), Is.EqualTo("RUNNING"));
            Assert.That(run.Str("started_at"), Is.EqualTo("2025-01-01T00:00:02Z"));
            Assert.That(run.GetProperty("steps").EnumerateArray().Select(static step => step.Str("purpose")), Is.EqualTo(new[] { "Open the page", "Read the price" }));
            Assert.That(refusal.GetProperty("run_id").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(refusal.GetProperty("error").Str("category"), Is.EqualTo("BILLING_FAILURE"));
            Assert.That((await Http.GetRunAsync(normal)).Str("status"), Is.EqualTo("COMPLETED"), "both rules were used up");
        });
    }

    [TestCase("""{"goal_contains":"a","nth":2}""", "body")]
    [TestCase("""{"fails_goal":"x","never_finishes":true}""", "body")]
    [TestCase("""{"fails_goal":""}""", "fails_goal")]
    [TestCase("""{"never_finishes":true,"after_seconds":3}""", "after_seconds")]
    [TestCase("""{"fails_with":{"message":"m"}}""", "fails_with.category")]
    [TestCase("""{"fails_with":{"category":"OOPS","message":"m"}}""", "fails_with.category")]
    [TestCase("""{"fails_with":{"category":"AGENT_FAILURE"}}""", "fails_with.message")]
    [TestCase("""{"refused_with":{"category":"UNKNOWN","message":"m","help_url":"not a url"}}""", "refused_with.help_url")]
    [TestCase("""{"result":[1]}""", "result")]
    [TestCase("""{"progress":[""]}""", "progress")]
    [TestCase("""{"progress":-1}""", "progress")]
    [TestCase("""{"nth":0}""", "nth")]
    [TestCase("""{"times":0}""", "times")]
    [TestCase("""{"queued_seconds":"soon"}""", "queued_seconds")]
    [TestCase("""{"goal":"x"}""", "goal")]
    [TestCase("""[]""", "body")]
    public async Task A_bad_rule_is_400_INVALID_INPUT_and_adds_nothing(string json, string field)
    {
        using var refused = await Http.PostJsonAsync("/_fake/scenarios", json);
        await refused.AssertErrorAsync(400, "INVALID_INPUT", field);

        var id = await Http.QueueAsync();
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        Assert.That((await Http.GetRunAsync(id)).Str("status"), Is.EqualTo("COMPLETED"), "the run followed the defaults");
    }

    [Test]
    public async Task Delete_removes_every_rule()
    {
        await AddAsync("""{"never_finishes":true}""");
        using (var cleared = await Http.DeleteAsync("/_fake/scenarios")) Assert.That(cleared.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var id = await Http.QueueAsync();
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        Assert.That((await Http.GetRunAsync(id)).Str("status"), Is.EqualTo("COMPLETED"));
    }

    [Test]
    public async Task The_scenario_routes_take_the_API_key()
    {
        using var anonymous = Fake.CreateHttpClient();
        using var missing = await anonymous.PostAsync("/_fake/scenarios", TestHelpers.Json("""{"never_finishes":true}"""));
        await missing.AssertErrorAsync(401, "MISSING_API_KEY");

        var id = await Http.QueueAsync();
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        Assert.That((await Http.GetRunAsync(id)).Str("status"), Is.EqualTo("COMPLETED"), "the refused rule was not added");
    }
}
