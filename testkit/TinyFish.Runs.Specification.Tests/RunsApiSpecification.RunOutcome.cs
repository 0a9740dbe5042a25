using System.Text.Json;
using TinyFish.Runs;

namespace TinyFish.Runs.Specification;

/// <summary>The shapes of a failed goal (inside COMPLETED) and of a failed run, on every way to start a run.</summary>
public abstract partial class RunsApiSpecification
{
    private const string Reason = "Could not find any products on the page";

    [Test]
    public async Task A_failed_goal_is_COMPLETED_with_result_status_failure_and_a_reason()
    {
        await RequireScenarioAsync("fail a run's goal", $$"""{"goal_contains":"{{Marker}}","fails_goal":"{{Reason}}"}""");

        var id = await QueueAsync();
        var blocking = Client.Automation.RunAutomationAsync(Request(), Patience);
        var streamed = LastEventAsync(Client.Automation.StreamRunAsync(Request(), Patience));
        // One clock: waiting for the queued run lets the other two (started at the same instant) finish too.
        var run = (await Target.WaitUntilFinishedAsync([id], Patience))[0];
        var sync = await Target.WhileRunsProgressAsync(blocking, Patience);
        var complete = (CompleteEvent)await Target.WhileRunsProgressAsync(streamed, Patience);

        Assert.Multiple(() =>
        {
            foreach (var (status, result, error, where) in new[]
                     {
                         (run.Status, run.Result, run.Error, "getRun"),
                         (sync.Status, sync.Result, sync.Error, "/run"),
                         (complete.Status, complete.Result, complete.Error, "COMPLETE event"),
                     })
            {
                Assert.That(status, Is.EqualTo(RunStatus.Completed), $"{where}: the infrastructure worked");
                Assert.That(error, Is.Null, $"{where}: no run error");
                Assert.That(result?.GetProperty("status").GetString(), Is.EqualTo("failure"), $"{where}: result.status");
                Assert.That(result?.GetProperty("reason").GetString(), Is.EqualTo(Reason), $"{where}: result.reason");
            }
            Assert.That(RunOutcome.From(run), Is.EqualTo(new RunOutcome.GoalFailed(id, Reason, run.Result!.Value)).Using<RunOutcome>(SameKindAndReason));
        });
        RunShape.AssertConsistent(run);
    }

    [Test]
    public async Task A_failed_run_is_FAILED_with_a_categorised_run_error()
    {
        await RequireScenarioAsync("make a run fail", $$$"""
            {"goal_contains":"{{{Marker}}}",
             "fails_with":{"category":"SYSTEM_FAILURE","message":"The browser session ended unexpectedly","retry_after_seconds":30,"code":"BROWSER_CRASHED"}}
            """);

        var id = await QueueAsync();
        var blocking = Client.Automation.RunAutomationAsync(Request(), Patience);
        var run = (await Target.WaitUntilFinishedAsync([id], Patience))[0];
        var sync = await Target.WhileRunsProgressAsync(blocking, Patience);

        Assert.Multiple(() =>
        {
            foreach (var (status, error, result, where) in new[] { (run.Status, run.Error, run.Result, "getRun"), (sync.Status, sync.Error, sync.Result, "/run") })
            {
                Assert.That(status, Is.EqualTo(RunStatus.Failed), where);
                Assert.That(result, Is.Null, $"{where}: no result");
                Assert.That(error?.Category, Is.EqualTo(RunErrorCategory.SystemFailure), $"{where}: category");
                Assert.That(error?.Message, Is.EqualTo("The browser session ended unexpectedly"), $"{where}: message");
                Assert.That(error?.RetryAfter, Is.EqualTo(30), $"{where}: retry_after in seconds");
                Assert.That(error?.Code, Is.EqualTo("BROWSER_CRASHED"), $"{where}: code");
            }
            var outcome = RunOutcome.From(run) as RunOutcome.InfrastructureFailed;
            Assert.That(outcome?.IsRetryable, Is.True, "SYSTEM_FAILURE is retryable");
            Assert.That(outcome?.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
        RunShape.AssertConsistent(run);
    }

    private static async Task<RunEvent> LastEventAsync(IAsyncEnumerable<RunEvent> events)
    {
        RunEvent? last = null;
        await foreach (var e in events) last = e;
        return last ?? throw new AssertionException("the stream sent no event");
    }

    private static bool SameKindAndReason(RunOutcome actual, RunOutcome expected) =>
        actual is RunOutcome.GoalFailed a && expected is RunOutcome.GoalFailed e && a.RunId == e.RunId && a.Reason == e.Reason;
}
