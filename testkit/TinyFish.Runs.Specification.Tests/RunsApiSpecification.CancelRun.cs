using TinyFish.Runs;
using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs.Specification;

/// <summary>cancelRun: the documented table, and the spec's choices for FAILED and /run runs.</summary>
public abstract partial class RunsApiSpecification
{
    private async Task<CancelRunResponse> CancelFreshAsync(string id)
    {
        var cancelled = await Client.Runs.CancelRunAsync(id, Patience);
        if (cancelled.Status != RunStatus.Cancelled && Target.Fake is null)
        {
            Assert.Inconclusive($"Run {id} finished ({cancelled.Status.Value}) before the cancel reached {Target.Name}; the row for a fresh cancel was not checked.");
        }
        return cancelled;
    }

    [Test]
    public async Task Cancelling_a_fresh_run_answers_CANCELLED_with_cancelled_at_and_no_message()
    {
        var id = await QueueAsync();

        var cancelled = await CancelFreshAsync(id);
        var run = await Client.Runs.GetRunAsync(id, cancellationToken: Patience);

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.RunId, Is.EqualTo(id));
            Assert.That(cancelled.Status, Is.EqualTo(RunStatus.Cancelled));
            Assert.That(cancelled.CancelledAt, Is.Not.Null);
            Assert.That(cancelled.Message, Is.Null);
            Assert.That(run.Status, Is.EqualTo(RunStatus.Cancelled), "the run reads CANCELLED afterwards");
            Assert.That(cancelled.CancelledAt, Is.GreaterThanOrEqualTo(run.CreatedAt));
        });
        RunShape.AssertConsistent(run);
    }

    [Test]
    public async Task Cancelling_again_answers_the_same_cancelled_at_and_Run_already_cancelled()
    {
        var id = await QueueAsync();
        var first = await CancelFreshAsync(id);
        await Target.NextMomentAsync(Patience);

        var again = await Client.Runs.CancelRunAsync(id, Patience);

        Assert.Multiple(() =>
        {
            Assert.That(again.Status, Is.EqualTo(RunStatus.Cancelled));
            Assert.That(again.CancelledAt, Is.EqualTo(first.CancelledAt), "the first cancel's instant, not now");
            Assert.That(again.Message, Is.EqualTo("Run already cancelled"));
        });
    }

    [Test]
    public async Task Cancelling_a_finished_run_answers_its_status_and_Run_already_finished()
    {
        var finished = await AFinishedRunAsync();
        Assume.That(finished.Status, Is.Not.EqualTo(RunStatus.Cancelled), "the shared run finished on its own");

        var answer = await Client.Runs.CancelRunAsync(finished.RunId, Patience);
        var after = await Client.Runs.GetRunAsync(finished.RunId, cancellationToken: Patience);

        Assert.Multiple(() =>
        {
            Assert.That(answer.RunId, Is.EqualTo(finished.RunId));
            Assert.That(answer.Status, Is.EqualTo(finished.Status), "COMPLETED (or FAILED, spec choice 4) as it was");
            Assert.That(answer.CancelledAt, Is.Null);
            Assert.That(answer.Message, Is.EqualTo("Run already finished"));
            Assert.That(after.Status, Is.EqualTo(finished.Status), "the run is unchanged");
            Assert.That(after.FinishedAt, Is.EqualTo(finished.FinishedAt));
        });
    }

    [Test]
    public async Task Cancelling_a_FAILED_run_answers_FAILED_and_Run_already_finished()
    {
        await RequireScenarioAsync("make a run fail",
            $$$"""{"goal_contains":"{{{Marker}}}","fails_with":{"category":"AGENT_FAILURE","message":"The site could not be reached"}}""");
        var id = await QueueAsync();
        var failed = (await Target.WaitUntilFinishedAsync([id], Patience))[0];
        Assert.That(failed.Status, Is.EqualTo(RunStatus.Failed));

        var answer = await Client.Runs.CancelRunAsync(id, Patience);

        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(RunStatus.Failed));
            Assert.That(answer.CancelledAt, Is.Null);
            Assert.That(answer.Message, Is.EqualTo("Run already finished"));
        });
    }

    [Test]
    public async Task Cancelling_a_run_started_with_the_blocking_run_is_400_INVALID_INPUT()
    {
        var blocking = await ABlockingRunAsync();
        Assert.That(blocking.RunId, Is.Not.Null, "the blocking run answered its run_id");

        var error = Assert.ThrowsAsync<ApiInvalidInputException>(() => Client.Runs.CancelRunAsync(blocking.RunId!, Patience));

        Assert.Multiple(() =>
        {
            Assert.That(error!.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
            Assert.That(error.Code, Is.EqualTo("INVALID_INPUT"));
            Assert.That(error.Error?.Message, Is.EqualTo("Runs created by /v1/automation/run cannot be cancelled"));
        });
    }
}
