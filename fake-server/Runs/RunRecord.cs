namespace TinyFish.FakeServer.Runs;

/// <summary>
/// One run in the store. Everything but <see cref="CancelledAt"/> is fixed at creation; the state a
/// client sees is computed from it by <see cref="RunSchedule"/>. Mutable fields are guarded by the
/// store's lock.
/// </summary>
internal sealed class RunRecord(string id, DateTimeOffset createdAt, RunOrigin origin, RunRequestData request, RunPlan plan)
{
    private CancellationTokenSource? _changed;

    public string Id { get; } = id;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public RunOrigin Origin { get; } = origin;

    public RunRequestData Request { get; } = request;

    public RunPlan Plan { get; } = plan;

    public RunKey Key => new(CreatedAt.UtcTicks, Id);

    /// <summary>The instant a client cancelled the run; the only thing that changes after creation.</summary>
    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>The status index the run currently sits in (kept in step with the clock by the store).</summary>
    public RunStatus IndexedStatus { get; set; }

    /// <summary>A token cancelled when the run is cancelled, so streams waiting on the clock wake up at once.</summary>
    public CancellationToken ChangedToken => (_changed ??= new CancellationTokenSource()).Token;

    /// <summary>Returns the source to signal, to be cancelled outside the store's lock.</summary>
    public CancellationTokenSource? TakeChangeSignal() => _changed;
}
