namespace TinyFish.FakeServer;

// The timer queue: every timer and delay made on this clock, ordered by due instant and creation.
public sealed partial class VirtualClock
{
    /// <summary>(Re)arms <paramref name="timer"/> to fire <paramref name="dueIn"/> from now; null disarms it.</summary>
    private void Schedule(VirtualTimer timer, TimeSpan? dueIn)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueIn is { } span)
            {
                timer.Arm(_now + span, ++_nextSequence);
                _timers.Add(timer);
            }
        }
        Signal();
    }

    /// <summary>Removes <paramref name="timer"/> from the queue (disposed).</summary>
    private void Unschedule(VirtualTimer timer)
    {
        lock (_gate) _timers.Remove(timer);
        if (ReferenceEquals(Thread.CurrentThread, _firingThread)) _timerCancelledByStep = true;
    }

    /// <summary>A timer of this clock: fired by a move, on the execution context it was made in, like a system timer.</summary>
    private sealed class VirtualTimer(VirtualClock clock, TimerCallback callback, object? state, ExecutionContext? context, string owner) : ITimer
    {
        public static readonly IComparer<VirtualTimer> DueOrder = Comparer<VirtualTimer>.Create(static (a, b) =>
        {
            var byDue = a.Due.CompareTo(b.Due);
            return byDue != 0 ? byDue : a._sequence.CompareTo(b._sequence);
        });

        private readonly Lock _gate = new();
        private long _sequence;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public DateTimeOffset Due { get; private set; }

        public DateTimeOffset CreatedAt { get; private set; }

        public string Owner { get; } = owner;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan) ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
            if (period != Timeout.InfiniteTimeSpan) ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.Zero);
            lock (_gate)
            {
                if (_disposed) return false;
                _period = period == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : period;
            }
            clock.Schedule(this, dueTime == Timeout.InfiniteTimeSpan ? null : dueTime);
            return true;
        }

        /// <summary>Called under the clock's lock when (re)armed.</summary>
        public void Arm(DateTimeOffset due, long sequence)
        {
            if (_sequence == 0) CreatedAt = clock._now;
            Due = due;
            _sequence = sequence;
        }

        /// <summary>Called under the clock's lock when taken from the queue to fire: a periodic timer goes back in.</summary>
        public void Fired(DateTimeOffset now)
        {
            if (_period == Timeout.InfiniteTimeSpan) return;
            Arm(now + _period, ++clock._nextSequence);
            clock._timers.Add(this);
        }

        public void Run()
        {
            lock (_gate)
            {
                if (_disposed) return;
            }
            if (context is null)
            {
                // Made where flow was suppressed: run it here, but leave this thread's flow as it was.
                KeepingFlow(() =>
                {
                    Invoke();
                    return true;
                });
            }
            else ExecutionContext.Run(context, static self => ((VirtualTimer)self!).Invoke(), this);
        }

        private void Invoke() => callback(state);

        public void Dispose()
        {
            lock (_gate) _disposed = true;
            clock.Unschedule(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
