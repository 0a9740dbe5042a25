namespace Integration.Tests.Support;

/// <summary>
/// The fake's clock as the client sees it, reporting every timer the client creates, so a test
/// moves time only once the client is really waiting (moving earlier would start the wait after
/// the jump and the test would prove nothing).
/// </summary>
public sealed class ObservedClock(TimeProvider inner) : TimeProvider
{
    private readonly List<TimeSpan> _created = [];
    private readonly List<(TimeSpan Due, int Occurrence, TaskCompletionSource Created)> _waiters = [];
    private readonly Lock _gate = new();

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = inner.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            _created.Add(dueTime);
            var count = _created.Count(d => d == dueTime);
            foreach (var waiter in _waiters.Where(w => w.Due == dueTime && w.Occurrence <= count).ToList())
            {
                waiter.Created.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
        return timer;
    }

    /// <summary>Completes once the client has created its <paramref name="occurrence"/>-th timer due after exactly <paramref name="due"/>.</summary>
    public Task WaitForTimerAsync(TimeSpan due, int occurrence = 1)
    {
        lock (_gate)
        {
            if (_created.Count(d => d == due) >= occurrence) return Task.CompletedTask;
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((due, occurrence, waiter));
            // A guard against a hang, not a wait on time: the timer appears within microseconds or never.
            return waiter.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }
}
