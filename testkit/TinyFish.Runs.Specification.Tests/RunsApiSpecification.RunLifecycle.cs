using TinyFish.Runs;

namespace TinyFish.Runs.Specification;

/// <summary>queueRun and getRun: a run's lifecycle and the keys that follow its status.</summary>
public abstract partial class RunsApiSpecification
{
    [Test]
    public async Task A_queued_run_moves_from_PENDING_through_RUNNING_to_a_terminal_status()
    {
        var request = Request();
        var id = await QueueAsync();

        var seen = new List<Run> { await Client.Runs.GetRunAsync(id, cancellationToken: Patience) };
        while (!TinyFishClient.IsTerminal(seen[^1].Status))
        {
            await Target.NextMomentAsync(Patience);
            seen.Add(await Client.Runs.GetRunAsync(id, cancellationToken: Patience));
        }

        var stages = seen.Select(r => RunShape.Stage(r.Status)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(stages, Is.Ordered, "statuses never go back: PENDING → RUNNING → terminal");
            Assert.That(seen.Select(r => r.RunId), Is.All.EqualTo(id));
            Assert.That(seen.Select(r => r.Goal), Is.All.EqualTo(request.Goal), "goal is kept as given");
            Assert.That(seen.Select(r => r.CreatedAt).Distinct().Count(), Is.EqualTo(1), "created_at never changes");
            Assert.That(seen.Where(r => r.StartedAt is not null).Select(r => r.StartedAt).Distinct().Count(), Is.LessThanOrEqualTo(1), "started_at never changes once set");
        });
        foreach (var run in seen) RunShape.AssertConsistent(run);

        if (Target.Fake is { } fake)
        {
            // The fake's defaults: 1 s PENDING, 10 s RUNNING, then COMPLETED with a result.
            Assert.Multiple(() =>
            {
                Assert.That(stages.Distinct(), Is.EqualTo(new[] { 0, 1, 2 }), "every status was seen");
                Assert.That(seen[^1].Status, Is.EqualTo(RunStatus.Completed));
                Assert.That(seen[^1].Result, Is.Not.Null);
                Assert.That(seen[^1].FinishedAt - seen[^1].CreatedAt, Is.EqualTo(fake.Options.DefaultQueuedFor + fake.Options.DefaultRunningFor));
            });
        }
    }

    [Test]
    public async Task Screenshots_none_and_base64_change_only_the_step_screenshots()
    {
        var finished = await AFinishedRunAsync();

        var plain = await Client.Runs.GetRunAsync(finished.RunId, cancellationToken: Patience);
        var none = await Client.Runs.GetRunAsync(finished.RunId, GetRunScreenshots.None, Patience);
        var inline = await Client.Runs.GetRunAsync(finished.RunId, GetRunScreenshots.Base64, Patience);

        Assert.Multiple(() =>
        {
            Assert.That(new[] { none.Status, inline.Status }, Is.All.EqualTo(plain.Status));
            Assert.That(none.Steps?.Count ?? 0, Is.EqualTo(plain.Steps?.Count ?? 0), "the same steps");
            Assert.That(none.Steps?.Select(s => s.Screenshot) ?? [], Is.All.Null, "screenshots=none leaves them out");
            foreach (var screenshot in inline.Steps?.Select(s => s.Screenshot).OfType<string>() ?? [])
            {
                Assert.That(() => Convert.FromBase64String(screenshot), Throws.Nothing, "screenshots=base64 inlines base64 data");
            }
        });
        RunShape.AssertConsistent(plain);
        if (Target.Fake is not null)
        {
            Assert.That(inline.Steps, Is.Not.Empty.And.All.Property(nameof(RunStep.Screenshot)).Not.Null, "the fake takes a screenshot at every step");
        }
    }
}
