namespace TinyFish.FakeServer.Runs;

/// <summary>What a client sees of a run at one instant: every endpoint derives its answer from this.</summary>
internal readonly record struct RunState(
    RunStatus Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? CancelledAt,
    int StepsSoFar)
{
    /// <summary><c>num_of_steps</c>: null while the run is in progress.</summary>
    public int? NumOfSteps => Status.IsTerminal() ? StepsSoFar : null;
}

/// <summary>
/// The pure function from a run's plan, its creation instant, a possible cancel and the clock to its
/// state; also the instants at which that state changes, which the store and the streams wait for.
/// </summary>
internal static class RunSchedule
{
    public static DateTimeOffset StartAt(RunRecord run) => run.CreatedAt + run.Plan.QueuedFor;

    /// <summary>When the run ends by itself, or null when it never does.</summary>
    public static DateTimeOffset? FinishAt(RunRecord run) => run.Plan.RunningFor is { } running ? StartAt(run) + running : null;

    public static RunState At(RunRecord run, DateTimeOffset now)
    {
        var startAt = StartAt(run);
        if (run.CancelledAt is { } cancelledAt && cancelledAt <= now)
        {
            var started = startAt <= cancelledAt;
            return new RunState(RunStatus.Cancelled, started ? startAt : null, cancelledAt, cancelledAt, ProgressCountAt(run, cancelledAt));
        }
        if (now < startAt) return new RunState(RunStatus.Pending, null, null, null, 0);
        if (FinishAt(run) is not { } finishAt || now < finishAt)
        {
            return new RunState(RunStatus.Running, startAt, null, null, ProgressCountAt(run, now));
        }
        return new RunState(run.Plan.Ending.Status, startAt, finishAt, null, run.Plan.ProgressPurposes.Length);
    }

    /// <summary>The next instant after <paramref name="now"/> at which the status changes by itself, if any.</summary>
    public static DateTimeOffset? NextTransitionAfter(RunRecord run, DateTimeOffset now)
    {
        if (run.CancelledAt is { } cancelledAt && cancelledAt <= now) return null;
        var startAt = StartAt(run);
        if (now < startAt) return startAt;
        return FinishAt(run) is { } finishAt && now < finishAt ? finishAt : null;
    }

    /// <summary>The instant of the PROGRESS event with zero-based <paramref name="index"/>.</summary>
    public static DateTimeOffset ProgressAt(RunRecord run, int index) => StartAt(run) + TimeSpan.FromTicks(ProgressStepTicks(run) * (index + 1));

    /// <summary>How many PROGRESS events (= steps) have happened by <paramref name="instant"/>.</summary>
    public static int ProgressCountAt(RunRecord run, DateTimeOffset instant)
    {
        var total = run.Plan.ProgressPurposes.Length;
        var elapsed = (instant - StartAt(run)).Ticks;
        if (total == 0 || elapsed < 0) return 0;
        var step = ProgressStepTicks(run);
        if (step <= 0) return total;
        return (int)Math.Min(total, elapsed / step);
    }

    // Progress is spread evenly over the running time, the last event one step before the end, so
    // no PROGRESS shares an instant with COMPLETE; an endless run reports at a fixed interval.
    private static long ProgressStepTicks(RunRecord run) => run.Plan.RunningFor is { } running
        ? running.Ticks / (run.Plan.ProgressPurposes.Length + 1)
        : run.Plan.ProgressIntervalWhenEndless.Ticks;
}
