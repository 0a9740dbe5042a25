using Microsoft.Extensions.Time.Testing;

namespace Runtime.Tests.Support;

/// <summary>
/// A fake clock that also reports each timer created on it, so a test can advance time only once the
/// code under test is really waiting (advancing earlier would start the wait after the jump).
/// </summary>
public sealed class ObservableTimeProvider : FakeTimeProvider
{
    private readonly List<(TimeSpan Due, TaskCompletionSource Created)> _waiters = [];
    private readonly List<TimeSpan> _created = [];
    private readonly object _gate = new();
    private readonly TaskCompletionSource _anyCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ObservableTimeProvider() : base(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)) { }

    public IReadOnlyList<TimeSpan> TimersCreated { get { lock (_gate) return [.. _created]; } }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            _created.Add(dueTime);
            _anyCreated.TrySetResult();
            foreach (var waiter in _waiters.Where(w => w.Due == dueTime).ToList())
            {
                waiter.Created.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
        return timer;
    }

    /// <summary>Completes once any timer exists; returns the due time of the first.</summary>
    public async Task<TimeSpan> WaitForFirstTimerAsync()
    {
        await _anyCreated.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return TimersCreated[0];
    }

    /// <summary>Completes once a timer due after exactly <paramref name="due"/> exists (counting ones made earlier).</summary>
    public Task WaitForTimerAsync(TimeSpan due, int occurrence = 1)
    {
        lock (_gate)
        {
            if (_created.Count(d => d == due) >= occurrence) return Task.CompletedTask;
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (occurrence == 1 || _created.Count(d => d == due) == occurrence - 1) _waiters.Add((due, waiter));
            else throw new NotSupportedException("Wait for timers one occurrence at a time.");
            return waiter.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
