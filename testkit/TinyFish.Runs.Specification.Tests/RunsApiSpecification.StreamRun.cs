using TinyFish.Runs;

namespace TinyFish.Runs.Specification;

/// <summary>streamRun: the order and shape of the server-sent events.</summary>
public abstract partial class RunsApiSpecification
{
    private static async Task<List<RunEvent>> CollectAsync(IAsyncEnumerable<RunEvent> events)
    {
        var all = new List<RunEvent>();
        await foreach (var e in events) all.Add(e);
        return all;
    }

    private static string? RunIdOf(RunEvent e) => e switch
    {
        StartedEvent s => s.RunId,
        StreamingUrlEvent s => s.RunId,
        ProgressEvent p => p.RunId,
        CompleteEvent c => c.RunId,
        _ => null,
    };

    /// <summary>STARTED, STREAMING_URL?, PROGRESS*, COMPLETE last; HEARTBEAT anywhere; nothing else.</summary>
    private static void AssertOrder(IReadOnlyList<RunEvent> events)
    {
        Assert.That(events, Is.Not.Empty, "the stream sends events");
        var names = string.Join(" ", events.Select(e => e.GetType().Name));
        var phase = 0; // 0 before STARTED, 1 after STARTED, 2 after STREAMING_URL, 3 in PROGRESS, 4 after COMPLETE
        foreach (var e in events)
        {
            Assert.That(phase, Is.LessThan(4), $"nothing follows COMPLETE: {names}");
            switch (e)
            {
                case HeartbeatEvent:
                    break;
                case StartedEvent:
                    Assert.That(phase, Is.EqualTo(0), $"STARTED comes first, once: {names}");
                    phase = 1;
                    break;
                case StreamingUrlEvent url:
                    Assert.That(phase, Is.EqualTo(1), $"STREAMING_URL follows STARTED, before any PROGRESS: {names}");
                    Assert.That(url.StreamingUrl.IsAbsoluteUri, Is.True);
                    phase = 2;
                    break;
                case ProgressEvent progress:
                    Assert.That(phase, Is.InRange(1, 3), $"PROGRESS follows STARTED: {names}");
                    Assert.That(progress.Purpose, Is.Not.Empty);
                    phase = 3;
                    break;
                case CompleteEvent:
                    Assert.That(phase, Is.InRange(1, 3), $"COMPLETE follows STARTED: {names}");
                    phase = 4;
                    break;
                default:
                    Assert.Fail($"{e.GetType().Name} is not an event of the spec: {names}");
                    break;
            }
        }
        Assert.That(events[^1], Is.TypeOf<CompleteEvent>(), $"COMPLETE is last: {names}");
        Assert.That(events.Select(RunIdOf).OfType<string>().Distinct().Count(), Is.EqualTo(1), $"every event is about one run: {names}");
    }

    [Test]
    public async Task A_stream_is_STARTED_then_STREAMING_URL_and_PROGRESS_and_ends_with_COMPLETE()
    {
        var events = await Target.WhileRunsProgressAsync(CollectAsync(Client.Automation.StreamRunAsync(Request(), Patience)), Patience);
        var runId = RunIdOf(events[0]) ?? RunIdOf(events[^1]);
        if (runId is not null) Started(runId);

        AssertOrder(events);
        var complete = (CompleteEvent)events[^1];
        var run = await Client.Runs.GetRunAsync(complete.RunId, cancellationToken: Patience);
        Assert.Multiple(() =>
        {
            Assert.That(TinyFishClient.IsTerminal(complete.Status), Is.True, "COMPLETE carries a terminal status");
            Assert.That(complete.Error is null, Is.EqualTo(complete.Status == RunStatus.Completed), "error is set exactly when not COMPLETED");
            Assert.That(run.Status, Is.EqualTo(complete.Status), "the run reads as the stream ended");
            Assert.That(run.Goal, Is.EqualTo(Request().Goal));
        });
        RunShape.AssertResultIsObjectOrNull(complete.Result, "COMPLETE");
        RunShape.AssertConsistent(run);

        if (Target.Fake is { } fake)
        {
            Assert.Multiple(() =>
            {
                Assert.That(events.OfType<StreamingUrlEvent>().Count(), Is.EqualTo(1), "the fake names its live view");
                Assert.That(events.OfType<ProgressEvent>().Count(), Is.EqualTo(fake.Options.DefaultProgressEvents));
                Assert.That(events.OfType<HeartbeatEvent>(), Is.Not.Empty, "an 11 s run outlasts the 5 s heartbeat");
                Assert.That(complete.Status, Is.EqualTo(RunStatus.Completed));
            });
        }
    }

    [Test]
    public async Task Cancelling_a_streamed_run_ends_the_stream_with_COMPLETE_CANCELLED_and_an_error()
    {
        var reading = CollectAsync(Client.Automation.StreamRunAsync(Request(), Patience));

        // Found through the list, not the stream: a proxy may hold the stream back until it ends.
        var id = await FindRunByGoalAsync(Marker);
        var cancelled = await Client.Runs.CancelRunAsync(id, Patience);
        if (cancelled.Status != RunStatus.Cancelled)
        {
            await reading;
            Assert.Inconclusive($"Run {id} finished ({cancelled.Status.Value}) before the cancel reached {Target.Name}.");
        }
        var events = await Target.WhileRunsProgressAsync(reading, Patience);

        AssertOrder(events);
        var complete = (CompleteEvent)events[^1];
        Assert.Multiple(() =>
        {
            Assert.That(complete.RunId, Is.EqualTo(id));
            Assert.That(complete.Status, Is.EqualTo(RunStatus.Cancelled));
            Assert.That(complete.Error, Is.Not.Null, "COMPLETE carries an error when not COMPLETED");
        });
    }
}
