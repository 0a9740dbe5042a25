using Microsoft.Extensions.Time.Testing;

namespace Tests.Shared;

/// <summary>
/// A fake clock as the code under test sees it, reporting every timer that code creates, so a test
/// moves time only once the code is really waiting (moving earlier would start the wait after the
/// jump and the test would prove nothing).
/// </summary>
public sealed class ObservedClock(FakeTimeProvider inner) : TimeProvider
{
    private readonly List<TimeSpan> _created = [];
    private readonly List<(TimeSpan? Due, int Occurrence, TaskCompletionSource Created)> _waiters = [];
    private readonly Lock _gate = new();

    /// <summary>A clock of its own, starting at 2025-01-01T00:00:00Z.</summary>
    public ObservedClock() : this(new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))) { }

    /// <summary>The due times of every timer created so far, in order.</summary>
    public IReadOnlyList<TimeSpan> TimersCreated { get { lock (_gate) return [.. _created]; } }

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    /// <summary>Moves the underlying fake clock (a fake that drives its own clock moves it itself).</summary>
    public void Advance(TimeSpan by) => inner.Advance(by);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = inner.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            _created.Add(dueTime);
            var count = _created.Count(d => d == dueTime);
            foreach (var waiter in _waiters.Where(w => w.Due is null || (w.Due == dueTime && w.Occurrence <= count)).ToList())
            {
                waiter.Created.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
        return timer;
    }

    /// <summary>Completes once the <paramref name="occurrence"/>-th timer due after exactly <paramref name="due"/> exists (counting ones made earlier).</summary>
    public Task WaitForTimerAsync(TimeSpan due, int occurrence = 1)
    {
        lock (_gate)
        {
            if (_created.Count(d => d == due) >= occurrence) return Task.CompletedTask;
            return AddWaiter(due, occurrence);
        }
    }

    /// <summary>Completes once any timer exists; returns the due time of the first.</summary>
    public async Task<TimeSpan> WaitForFirstTimerAsync()
    {
        Task created;
        lock (_gate) created = _created.Count > 0 ? Task.CompletedTask : AddWaiter(null, 1);
        await created;
        return TimersCreated[0];
    }

    private Task AddWaiter(TimeSpan? due, int occurrence)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((due, occurrence, waiter));
        // A guard against a hang, not a wait on time: the timer appears within microseconds or never.
        return waiter.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
