using System.Text.Json;
using TinyFish.FakeServer;

using FakeServer.Tests.Support;

namespace FakeServer.Tests;

public sealed class RunScenariosTests : FakeHttpTest
{
    private Task<string> QueueAsync(string goal, string url = "https://example.com") =>
        Http.QueueAsync($"{{\"url\":\"{url}\",\"goal\":\"{goal}\"}}");

    [Test]
    public async Task A_matched_run_completes_after_the_given_time_with_the_given_result()
    {
        Fake.Runs.WhenGoalContains("linkedin").CompletesAfter(TimeSpan.FromSeconds(30)).WithResult("""{"profiles":3}""");
        var matched = await QueueAsync("Find people on LinkedIn");
        var other = await QueueAsync("Find the weather");

        await Fake.AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.That((await Http.GetRunAsync(matched)).Str("status"), Is.EqualTo("RUNNING"));
        Assert.That((await Http.GetRunAsync(other)).Str("status"), Is.EqualTo("COMPLETED"), "unmatched runs follow the 1 s + 10 s default");

        await Fake.AdvanceAsync(TimeSpan.FromSeconds(1));
        var run = await Http.GetRunAsync(matched);
        Assert.Multiple(() =>
        {
            Assert.That(run.Str("status"), Is.EqualTo("COMPLETED"));
            Assert.That(run.Str("finished_at"), Is.EqualTo("2025-01-01T00:00:30Z"));
            Assert.That(run.GetProperty("result").GetRawText(), Is.EqualTo("""{"profiles":3}"""));
        });
    }

    [Test]
    public async Task A_goal_failure_is_COMPLETED_with_a_failure_result()
    {
        Fake.Runs.WhenGoalContains("products").FailsGoal("Could not find any products on the page");
        var id = await QueueAsync("List the products");
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        var run = await Http.GetRunAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(run.Str("status"), Is.EqualTo("COMPLETED"));
            Assert.That(run.GetProperty("result").Str("status"), Is.EqualTo("failure"));
            Assert.That(run.GetProperty("result").Str("reason"), Is.EqualTo("Could not find any products on the page"));
            Assert.That(run.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task An_infrastructure_failure_is_FAILED_with_category_and_retry_after()
    {
        Fake.Runs.WhenUrlContains("flaky.example").FailsWith(FailureCategory.SystemFailure, "Browser crashed", TimeSpan.FromSeconds(30), "BROWSER_CRASHED").After(TimeSpan.FromSeconds(4));
        var id = await QueueAsync("anything", "https://flaky.example/page");
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(4));
        var run = await Http.GetRunAsync(id);
        var error = run.GetProperty("error");
        Assert.Multiple(() =>
        {
            Assert.That(run.Str("status"), Is.EqualTo("FAILED"));
            Assert.That(run.GetProperty("result").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(error.Str("category"), Is.EqualTo("SYSTEM_FAILURE"));
            Assert.That(error.Str("message"), Is.EqualTo("Browser crashed"));
            Assert.That(error.Str("code"), Is.EqualTo("BROWSER_CRASHED"));
            Assert.That(error.GetProperty("retry_after").GetInt32(), Is.EqualTo(30));
        });
    }

    [Test]
    public async Task A_run_that_never_finishes_stays_RUNNING_and_keeps_taking_steps()
    {
        Fake.Runs.WhenGoalContains("forever").NeverFinishes();
        var id = await QueueAsync("run forever");
        await Fake.AdvanceAsync(TimeSpan.FromDays(1));
        var run = await Http.GetRunAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(run.Str("status"), Is.EqualTo("RUNNING"));
            Assert.That(run.GetProperty("finished_at").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(run.GetProperty("steps").GetArrayLength(), Is.EqualTo(3), "three progress events, then it keeps running");
        });
    }

    [Test]
    public async Task EmitsProgress_sets_the_number_of_steps_and_their_purposes()
    {
        Fake.Runs.WhenNth(1).EmitsProgress(5);
        Fake.Runs.WhenNth(2).EmitsProgress("Open the page", "Read the price");
        var five = await QueueAsync("a");
        var two = await QueueAsync("b");
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        var first = await Http.GetRunAsync(five);
        var second = await Http.GetRunAsync(two);
        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("num_of_steps").GetInt32(), Is.EqualTo(5));
            Assert.That(second.GetProperty("steps").EnumerateArray().Select(step => step.Str("purpose")), Is.EqualTo(new[] { "Open the page", "Read the price" }));
        });
    }

    [Test]
    public async Task WhenNth_matches_by_order_of_creation_only()
    {
        Fake.Runs.WhenNth(3).FailsGoal("third");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++) ids.Add(await QueueAsync("same goal"));
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        var reasons = new List<string?>();
        foreach (var id in ids)
        {
            var result = (await Http.GetRunAsync(id)).GetProperty("result");
            reasons.Add(result.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
        }
        Assert.That(reasons, Is.EqualTo(new[] { null, null, "third", null }));
    }

    [Test]
    public async Task The_first_matching_rule_wins_and_Once_applies_once()
    {
        Fake.Runs.WhenGoalContains("x").Once().FailsGoal("first rule");
        Fake.Runs.WhenAny().FailsGoal("catch-all");
        var first = await QueueAsync("x");
        var second = await QueueAsync("x");
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        Assert.That((await Http.GetRunAsync(first)).GetProperty("result").Str("reason"), Is.EqualTo("first rule"));
        Assert.That((await Http.GetRunAsync(second)).GetProperty("result").Str("reason"), Is.EqualTo("catch-all"));
    }

    [Test]
    public async Task QueuedFor_keeps_a_run_PENDING_longer()
    {
        Fake.Runs.WhenAny().QueuedFor(TimeSpan.FromMinutes(2));
        var id = await QueueAsync("wait");
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(119));
        Assert.That((await Http.GetRunAsync(id)).Str("status"), Is.EqualTo("PENDING"));
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.That((await Http.GetRunAsync(id)).Str("status"), Is.EqualTo("RUNNING"));
    }

    [Test]
    public void A_result_must_be_a_JSON_object()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Fake.Runs.WhenAny().WithResult("[1,2]"), Throws.ArgumentException);
            Assert.That(() => Fake.Runs.WhenAny().WithResult("not json"), Throws.ArgumentException);
        });
    }

    [Test]
    public async Task Clear_restores_the_defaults()
    {
        Fake.Runs.WhenAny().NeverFinishes();
        Fake.Runs.Clear();
        var id = await QueueAsync("a");
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        Assert.That((await Http.GetRunAsync(id)).Str("status"), Is.EqualTo("COMPLETED"));
    }

    [Test]
    public async Task A_refused_queue_answers_200_with_a_null_run_id_and_stores_nothing()
    {
        Fake.Runs.WhenAny().Once().RefusedWith(FailureCategory.BillingFailure, "Insufficient credits", helpUrl: "https://agent.tinyfish.ai/billing");
        using var response = await Http.PostJsonAsync("/v1/automation/run-async", TestHelpers.MinimalRun);
        var body = await response.ReadJsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(body.GetProperty("run_id").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(body.GetProperty("error").Str("category"), Is.EqualTo("BILLING_FAILURE"));
            Assert.That(body.GetProperty("error").Str("help_url"), Is.EqualTo("https://agent.tinyfish.ai/billing"));
            Assert.That(Fake.RunCount, Is.Zero);
        });
        Assert.That(await Http.QueueAsync(), Does.StartWith("run_"), "Once: the next one is queued");
    }

    [Test]
    public async Task A_refusal_refuses_the_whole_batch_and_the_blocking_run()
    {
        Fake.Runs.WhenGoalContains("expensive").RefusedWith(FailureCategory.BillingFailure, "Insufficient credits");
        using var batch = await Http.PostJsonAsync("/v1/automation/run-batch", """{"runs":[{"url":"https://a.example","goal":"cheap"},{"url":"https://b.example","goal":"expensive"}]}""");
        var body = await batch.ReadJsonAsync();
        Assert.That(body.GetProperty("run_ids").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(body.GetProperty("error").Str("message"), Is.EqualTo("Insufficient credits"));
        Assert.That(Fake.RunCount, Is.Zero, "all or nothing");

        using var sync = await Http.PostJsonAsync("/v1/automation/run", """{"url":"https://b.example","goal":"expensive"}""");
        var refused = await sync.ReadJsonAsync();
        Assert.That(refused.GetProperty("run_id").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(refused.Str("status"), Is.EqualTo("FAILED"));
    }
}
