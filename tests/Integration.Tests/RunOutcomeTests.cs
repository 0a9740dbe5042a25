using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Runs.Testing;

namespace Integration.Tests;

public class RunOutcomeTests : FakeTinyFishTest
{
    private async Task<Run> FinishedRunAsync(string goal)
    {
        var id = (await Client.Automation.QueueRunAsync(new RunRequest { Url = new Uri("https://example.com"), Goal = goal })).RunId!;
        await Fake.AdvanceAsync(TimeSpan.FromMinutes(1));
        return await Client.Runs.GetRunAsync(id);
    }

    [Test]
    public async Task A_completed_run_with_data_is_Succeeded_with_the_result()
    {
        Fake.Runs.WhenGoalContains("price").WithResult("""{"price":"9.99"}""");

        var outcome = RunOutcome.From(await FinishedRunAsync("Find the price"));

        var succeeded = outcome as RunOutcome.Succeeded;
        Assert.That(succeeded, Is.Not.Null, outcome.ToString());
        Assert.That(succeeded!.Result!.Value.GetProperty("price").GetString(), Is.EqualTo("9.99"));
    }

    [Test]
    public async Task A_completed_run_whose_goal_failed_is_GoalFailed_with_the_reason()
    {
        Fake.Runs.WhenGoalContains("products").FailsGoal("Could not find any products on the page");

        var run = await FinishedRunAsync("List the products");
        var outcome = RunOutcome.From(run);

        Assert.That(run.Status, Is.EqualTo(RunStatus.Completed), "a goal failure hides inside COMPLETED");
        Assert.That(outcome, Is.TypeOf<RunOutcome.GoalFailed>());
        Assert.That(((RunOutcome.GoalFailed)outcome).Reason, Is.EqualTo("Could not find any products on the page"));
    }

    [Test]
    public async Task A_failed_run_is_InfrastructureFailed_with_category_retryability_and_retry_after()
    {
        Fake.Runs.WhenGoalContains("flaky").FailsWith(FailureCategory.SystemFailure, "Browser crashed", TimeSpan.FromSeconds(30));

        var outcome = RunOutcome.From(await FinishedRunAsync("flaky site"));

        var failed = outcome as RunOutcome.InfrastructureFailed;
        Assert.That(failed, Is.Not.Null, outcome.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(failed!.Category, Is.EqualTo(RunErrorCategory.SystemFailure));
            Assert.That(failed.Message, Is.EqualTo("Browser crashed"));
            Assert.That(failed.IsRetryable, Is.True);
            Assert.That(failed.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public async Task An_agent_failure_is_not_retryable()
    {
        Fake.Runs.WhenGoalContains("impossible").FailsWith(FailureCategory.AgentFailure, "Goal is ambiguous");

        var failed = (RunOutcome.InfrastructureFailed)RunOutcome.From(await FinishedRunAsync("impossible goal"));

        Assert.That(failed.IsRetryable, Is.False);
        Assert.That(failed.RetryAfter, Is.Null);
    }

    [Test]
    public async Task A_cancelled_run_is_Cancelled()
    {
        var id = (await Client.Automation.QueueRunAsync(new RunRequest { Url = new Uri("https://example.com"), Goal = "anything" })).RunId!;
        await Client.Runs.CancelRunAsync(id);

        var outcome = RunOutcome.From(await Client.Runs.GetRunAsync(id));

        Assert.That(outcome, Is.EqualTo(new RunOutcome.Cancelled(id)));
    }

    [Test]
    public async Task A_run_still_in_progress_has_no_outcome_yet()
    {
        var id = (await Client.Automation.QueueRunAsync(new RunRequest { Url = new Uri("https://example.com"), Goal = "anything" })).RunId!;
        var run = await Client.Runs.GetRunAsync(id);

        var error = Assert.Throws<InvalidOperationException>(() => RunOutcome.From(run));
        Assert.That(error!.Message, Does.Contain("PENDING"));
    }
}
