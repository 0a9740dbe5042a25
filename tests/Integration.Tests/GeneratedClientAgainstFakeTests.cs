using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Runs.Testing;
using TinyFish.Toolkit.Runtime;

namespace Integration.Tests;

/// <summary>The foundation's end-to-end path: the client generated from the spec, against the fake.</summary>
public class GeneratedClientAgainstFakeTests : FakeTinyFishTest
{
    private static RunRequest Request(string goal = "Find the price of the first product") =>
        new() { Url = new Uri("https://shop.example/products"), Goal = goal };

    [Test]
    public async Task A_queued_run_moves_PENDING_RUNNING_COMPLETED_as_the_fake_clock_advances()
    {
        var queued = await Client.Automation.QueueRunAsync(Request());
        Assert.That(queued.Error, Is.Null);
        var id = queued.RunId!;

        var pending = await Client.Runs.GetRunAsync(id);
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(1));
        var running = await Client.Runs.GetRunAsync(id);
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(10));
        var completed = await Client.Runs.GetRunAsync(id);

        Assert.Multiple(() =>
        {
            Assert.That(pending.Status, Is.EqualTo(RunStatus.Pending));
            Assert.That(pending.StartedAt, Is.Null);
            Assert.That(running.Status, Is.EqualTo(RunStatus.Running));
            Assert.That(running.StartedAt, Is.EqualTo(FakeTinyFishOptions.DefaultStartTime.AddSeconds(1)));
            Assert.That(completed.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(completed.FinishedAt, Is.EqualTo(FakeTinyFishOptions.DefaultStartTime.AddSeconds(11)));
            Assert.That(completed.Result, Is.Not.Null);
            Assert.That(completed.Goal, Is.EqualTo(Request().Goal));
        });
    }

    [Test]
    public async Task The_list_shows_created_runs_newest_first_and_filters_by_status()
    {
        var first = (await Client.Automation.QueueRunAsync(Request("first"))).RunId!;
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(20));
        var second = (await Client.Automation.QueueRunAsync(Request("second"))).RunId!;

        var all = await Client.Runs.ListRunsAsync();
        var completed = await Client.Runs.ListRunsAsync(status: RunStatus.Completed);

        Assert.Multiple(() =>
        {
            Assert.That(all.Data.Select(r => r.RunId), Is.EqualTo(new[] { second, first }));
            Assert.That(all.Pagination.Total, Is.EqualTo(2));
            Assert.That(all.Pagination.HasMore, Is.False);
            Assert.That(completed.Data.Select(r => r.RunId), Is.EqualTo(new[] { first }));
        });
    }

    [Test]
    public async Task Cancel_follows_the_documented_table()
    {
        var id = (await Client.Automation.QueueRunAsync(Request())).RunId!;
        var fresh = await Client.Runs.CancelRunAsync(id);
        await Fake.AdvanceAsync(TimeSpan.FromMinutes(1));
        var again = await Client.Runs.CancelRunAsync(id);

        var finishedId = (await Client.Automation.QueueRunAsync(Request())).RunId!;
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        var finished = await Client.Runs.CancelRunAsync(finishedId);

        Assert.Multiple(() =>
        {
            Assert.That(fresh.Status, Is.EqualTo(RunStatus.Cancelled));
            Assert.That(fresh.CancelledAt, Is.Not.Null);
            Assert.That(fresh.Message, Is.Null);
            Assert.That(again.Status, Is.EqualTo(RunStatus.Cancelled));
            Assert.That(again.CancelledAt, Is.EqualTo(fresh.CancelledAt));
            Assert.That(again.Message, Is.EqualTo("Run already cancelled"));
            Assert.That(finished.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(finished.CancelledAt, Is.Null);
            Assert.That(finished.Message, Is.EqualTo("Run already finished"));
        });
    }

    [Test]
    public void An_unknown_run_is_a_typed_not_found_with_the_envelope()
    {
        var error = Assert.ThrowsAsync<ApiNotFoundException>(() => Client.Runs.GetRunAsync("run_does_not_exist"));
        Assert.That(error!.Code, Is.EqualTo("NOT_FOUND"));
    }

    [Test]
    public void A_missing_key_is_MISSING_API_KEY()
    {
        using var keyless = Fake.CreateClient(o => o.ApiKey = null);
        var error = Assert.ThrowsAsync<ApiAuthenticationException>(() => keyless.Runs.ListRunsAsync());
        Assert.Multiple(() =>
        {
            Assert.That(error!.Code, Is.EqualTo("MISSING_API_KEY"));
            Assert.That(error.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task A_blocking_run_answers_when_the_run_finishes_on_the_fake_clock()
    {
        var call = Client.Automation.RunAutomationAsync(Request());
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        var response = await call.Within();

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(RunOutcome.From(response), Is.TypeOf<RunOutcome.Succeeded>());
        });
    }

    [Test]
    public async Task Batch_get_and_cancel_report_unknown_ids_in_not_found()
    {
        var ids = await Client.QueueRunsAsync([Request("a"), Request("b")]);
        var read = await Client.Runs.GetRunsBatchAsync(new RunIdsRequest { RunIds = [.. ids, "run_missing"] });
        var cancelled = await Client.Runs.CancelRunsBatchAsync(new RunIdsRequest { RunIds = [.. ids, "run_missing"] });

        Assert.Multiple(() =>
        {
            Assert.That(read.Data.Select(r => r.RunId), Is.EqualTo(ids));
            Assert.That(read.NotFound, Is.EqualTo(new[] { "run_missing" }));
            Assert.That(cancelled.Results.Select(r => r.Status), Is.All.EqualTo(RunStatus.Cancelled));
            Assert.That(cancelled.NotFound, Is.EqualTo(new[] { "run_missing" }));
        });
    }
}
