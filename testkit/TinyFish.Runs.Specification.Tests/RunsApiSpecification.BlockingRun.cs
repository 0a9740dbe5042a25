using TinyFish.Runs;

namespace TinyFish.Runs.Specification;

/// <summary>runAutomation: the blocking run answers the finished run with every key.</summary>
public abstract partial class RunsApiSpecification
{
    [Test]
    public async Task A_blocking_run_answers_the_finished_run_and_reads_the_same_afterwards()
    {
        var answer = await ABlockingRunAsync();

        Assert.That(answer.RunId, Is.Not.Null.And.Not.Empty, "the run was created");
        var run = await Client.Runs.GetRunAsync(answer.RunId!, cancellationToken: Patience);
        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(RunStatus.Completed).Or.EqualTo(RunStatus.Failed), "COMPLETED or FAILED");
            Assert.That(answer.StartedAt, Is.Not.Null);
            Assert.That(answer.FinishedAt, Is.Not.Null.And.GreaterThanOrEqualTo(answer.StartedAt ?? DateTimeOffset.MinValue));
            Assert.That(answer.Error is null, Is.EqualTo(answer.Status == RunStatus.Completed), "error is set exactly when FAILED");
            Assert.That(() => RunOutcome.From(answer), Throws.Nothing, "a finished run has an outcome");
            Assert.That(run.Status, Is.EqualTo(answer.Status));
            Assert.That(run.FinishedAt, Is.EqualTo(answer.FinishedAt));
            Assert.That(run.NumOfSteps, Is.EqualTo(answer.NumOfSteps));
        });
        RunShape.AssertResultIsObjectOrNull(answer.Result, "the /run answer");
        RunShape.AssertConsistent(run);
    }
}
