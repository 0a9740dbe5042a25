using System.Text.Json;
using TinyFish.FakeServer;

using FakeServer.Tests.Support;

namespace FakeServer.Tests;

public sealed class RunsEndpointsTests : FakeHttpTest
{
    private async Task<JsonElement> CancelAsync(string id)
    {
        using var response = await Http.PostAsync($"/v1/runs/{id}/cancel", null);
        var body = await response.ReadJsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToString());
        return body;
    }

    [Test]
    public async Task Cancel_of_a_running_run_returns_CANCELLED_with_the_instant_and_no_message()
    {
        var id = await Http.QueueAsync();
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(5));
        var cancel = await CancelAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(cancel.Str("run_id"), Is.EqualTo(id));
            Assert.That(cancel.Str("status"), Is.EqualTo("CANCELLED"));
            Assert.That(cancel.Str("cancelled_at"), Is.EqualTo("2025-01-01T00:00:05Z"));
            Assert.That(cancel.GetProperty("message").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
        await Fake.AdvanceAsync(TimeSpan.FromMinutes(1));
        var run = await Http.GetRunAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(run.Str("status"), Is.EqualTo("CANCELLED"), "a cancelled run stays cancelled");
            Assert.That(run.Str("finished_at"), Is.EqualTo("2025-01-01T00:00:05Z"));
            Assert.That(run.GetProperty("num_of_steps").GetInt32(), Is.EqualTo(1), "steps taken before the cancel");
        });
    }

    [Test]
    public async Task Cancel_of_a_pending_run_leaves_started_at_null()
    {
        var id = await Http.QueueAsync();
        await CancelAsync(id);
        var run = await Http.GetRunAsync(id);
        Assert.That(run.GetProperty("started_at").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(run.Str("status"), Is.EqualTo("CANCELLED"));
    }

    [Test]
    public async Task Cancel_of_a_cancelled_run_returns_the_same_cancelled_at_and_Run_already_cancelled()
    {
        var id = await Http.QueueAsync();
        var first = await CancelAsync(id);
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(30));
        var second = await CancelAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(second.Str("status"), Is.EqualTo("CANCELLED"));
            Assert.That(second.Str("cancelled_at"), Is.EqualTo(first.Str("cancelled_at")));
            Assert.That(second.Str("message"), Is.EqualTo("Run already cancelled"));
        });
    }

    [Test]
    public async Task Cancel_of_a_finished_run_returns_COMPLETED_with_null_cancelled_at_and_Run_already_finished()
    {
        var id = await Http.QueueAsync();
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        var cancel = await CancelAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(cancel.Str("status"), Is.EqualTo("COMPLETED"));
            Assert.That(cancel.GetProperty("cancelled_at").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(cancel.Str("message"), Is.EqualTo("Run already finished"));
        });
    }

    [Test]
    public async Task Cancel_of_a_failed_run_returns_FAILED_and_Run_already_finished()
    {
        Fake.Runs.WhenAny().FailsWith(FailureCategory.AgentFailure, "Site unreachable");
        var id = await Http.QueueAsync();
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        var cancel = await CancelAsync(id);
        Assert.That(cancel.Str("status"), Is.EqualTo("FAILED"));
        Assert.That(cancel.Str("message"), Is.EqualTo("Run already finished"));
    }

    [Test]
    public async Task Cancel_of_a_blocking_run_is_400_INVALID_INPUT_in_any_state_and_changes_nothing()
    {
        var call = Http.PostJsonAsync("/v1/automation/run", TestHelpers.MinimalRun);
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(2));
        using var list = await Http.GetAsync("/v1/runs");
        var id = (await list.ReadJsonAsync()).GetProperty("data")[0].Str("run_id");

        using (var response = await Http.PostAsync($"/v1/runs/{id}/cancel", null))
        {
            var body = await response.AssertErrorAsync(400, "INVALID_INPUT");
            Assert.That(body.GetProperty("error").Str("message"), Is.EqualTo("Runs created by /v1/automation/run cannot be cancelled"));
        }
        using (var batch = await Http.PostJsonAsync("/v1/runs/batch/cancel", $"{{\"run_ids\":[\"{id}\"]}}"))
        {
            await batch.AssertErrorAsync(400, "INVALID_INPUT", "run_ids[0]");
        }
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(9));
        using var answer = await call;
        Assert.That((await answer.ReadJsonAsync()).Str("status"), Is.EqualTo("COMPLETED"));
        using var afterwards = await Http.PostAsync($"/v1/runs/{id}/cancel", null);
        await afterwards.AssertErrorAsync(400, "INVALID_INPUT");
    }

    [Test]
    public async Task An_unknown_run_is_404_NOT_FOUND_on_get_and_cancel()
    {
        using var get = await Http.GetAsync("/v1/runs/run_nope");
        await get.AssertErrorAsync(404, "NOT_FOUND");
        using var cancel = await Http.PostAsync("/v1/runs/run_nope/cancel", null);
        await cancel.AssertErrorAsync(404, "NOT_FOUND");
    }

    [Test]
    public async Task An_id_outside_the_pattern_is_400()
    {
        using var response = await Http.GetAsync("/v1/runs/run%21bad");
        await response.AssertErrorAsync(400, "INVALID_INPUT", "id");
    }

    [Test]
    public async Task Screenshots_query_chooses_url_base64_or_none()
    {
        var id = await Http.QueueAsync();
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        async Task<JsonElement> FirstStepAsync(string query)
        {
            using var response = await Http.GetAsync($"/v1/runs/{id}{query}");
            return (await response.ReadJsonAsync()).GetProperty("steps")[0];
        }
        Assert.That((await FirstStepAsync("")).Str("screenshot"), Does.StartWith($"http://localhost/live/{id}/steps/1/screenshot.png?token="));
        Assert.That((await FirstStepAsync("?screenshots=base64")).Str("screenshot"), Does.StartWith("iVBORw0KGgo"));
        Assert.That((await FirstStepAsync("?screenshots=none")).GetProperty("screenshot").ValueKind, Is.EqualTo(JsonValueKind.Null));
        using var bad = await Http.GetAsync($"/v1/runs/{id}?screenshots=png");
        await bad.AssertErrorAsync(400, "INVALID_INPUT", "screenshots");
    }

    [Test]
    public async Task Batch_get_answers_found_runs_in_request_order_once_each_and_lists_unknown_ids()
    {
        var first = await Http.QueueAsync();
        var second = await Http.QueueAsync();
        using var response = await Http.PostJsonAsync("/v1/runs/batch", $"{{\"run_ids\":[\"{second}\",\"run_missing\",\"{first}\",\"{second}\"]}}");
        var body = await response.ReadJsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("data").EnumerateArray().Select(run => run.Str("run_id")), Is.EqualTo(new[] { second, first }));
            Assert.That(body.GetProperty("not_found").EnumerateArray().Select(id => id.GetString()), Is.EqualTo(new[] { "run_missing" }));
        });
        using var allFound = await Http.PostJsonAsync("/v1/runs/batch", $"{{\"run_ids\":[\"{first}\"]}}");
        Assert.That((await allFound.ReadJsonAsync()).GetProperty("not_found").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Batch_cancel_applies_the_cancel_table_to_each_run()
    {
        var live = await Http.QueueAsync();
        Fake.Runs.WhenNth(2).CompletesAfter(TimeSpan.FromSeconds(2));
        var quick = await Http.QueueAsync();
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(3));
        using var response = await Http.PostJsonAsync("/v1/runs/batch/cancel", $"{{\"run_ids\":[\"{live}\",\"{quick}\",\"run_missing\"]}}");
        var body = await response.ReadJsonAsync();
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(result => result.Str("status")), Is.EqualTo(new[] { "CANCELLED", "COMPLETED" }));
            Assert.That(results[0].Str("cancelled_at"), Is.EqualTo("2025-01-01T00:00:03Z"));
            Assert.That(results[1].Str("message"), Is.EqualTo("Run already finished"));
            Assert.That(body.GetProperty("not_found")[0].GetString(), Is.EqualTo("run_missing"));
        });
    }

    [TestCase("{\"run_ids\":[]}", "run_ids")]
    [TestCase("{\"run_ids\":[\"ok\",\"not ok\"]}", "run_ids[1]")]
    [TestCase("{\"run_ids\":[7]}", "run_ids[0]")]
    [TestCase("{}", "run_ids")]
    public async Task Batch_bodies_are_validated(string body, string field)
    {
        foreach (var path in new[] { "/v1/runs/batch", "/v1/runs/batch/cancel" })
        {
            using var response = await Http.PostJsonAsync(path, body);
            await response.AssertErrorAsync(400, "INVALID_INPUT", field);
        }
    }
}
