namespace TinyFish.FakeServer.Time;

/// <summary>
/// Knows when the fake is quiet: counts the requests that are doing work (as opposed to waiting on
/// the clock) and keeps every clock wait in one ordered set, so that <see cref="FakeTinyFish.AdvanceAsync"/>
/// can step the clock from one due time to the next and wait, at each step, until everything the
/// step woke up has written its output.
/// </summary>
/// <remarks>
/// The unit of accounting is a "busy unit". A request holds one while it runs; it gives it back while
/// it waits on the clock (<see cref="WaitAsync"/>) and gets one back from whoever wakes it (a timer, a
/// clock step, a run change, a cancellation), before its continuation runs. Counts, not flags, so the
/// order in which a wake-up and the going-idle happen does not matter.
/// </remarks>
internal sealed class ClockCoordinator
{
    private readonly Lock _gate = new();
    private readonly SortedSet<ClockWaiter> _waiters = new(ClockWaiter.DueOrder);
    private readonly List<TaskCompletionSource> _quietWaiters = [];
    private long _nextSequence;
    private int _busy;

    public ClockCoordinator(TimeProvider time) => Time = time;

    public TimeProvider Time { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Number of busy units held right now (for tests and diagnostics).</summary>
    public int Busy
    {
        get
        {
            lock (_gate) return _busy;
        }
    }

    public void Enter()
    {
        lock (_gate) _busy++;
    }

    public void Exit()
    {
        List<TaskCompletionSource>? toRelease = null;
        lock (_gate)
        {
            _busy--;
            if (_busy < 0) throw new InvalidOperationException("Busy count went below zero.");
            if (_busy == 0 && _quietWaiters.Count > 0)
            {
                toRelease = [.. _quietWaiters];
                _quietWaiters.Clear();
            }
        }
        if (toRelease is null) return;
        foreach (var waiter in toRelease) waiter.TrySetResult();
    }

    /// <summary>Completes when no request is doing work (every one is waiting or finished).</summary>
    public Task WhenQuietAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource source;
        lock (_gate)
        {
            if (_busy == 0) return Task.CompletedTask;
            source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _quietWaiters.Add(source);
        }
        return source.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The earliest instant some waiter is due, or null when nobody waits on the clock.</summary>
    public DateTimeOffset? NextDue()
    {
        lock (_gate)
        {
            foreach (var waiter in _waiters)
            {
                if (waiter.Due is { } due) return due;
            }
            return null;
        }
    }

    /// <summary>Wakes every waiter whose due instant is at or before <paramref name="now"/>.</summary>
    public void FireDue(DateTimeOffset now)
    {
        List<ClockWaiter> due = [];
        lock (_gate)
        {
            foreach (var waiter in _waiters)
            {
                if (waiter.Due is not { } at || at > now) break;
                due.Add(waiter);
            }
        }
        foreach (var waiter in due) waiter.Fire();
    }

    /// <summary>
    /// Gives back the caller's busy unit and waits until the clock reaches <paramref name="due"/>
    /// (null: no deadline), <paramref name="wake"/> is signalled, or <paramref name="cancellationToken"/>
    /// is cancelled; the caller holds a busy unit again when this returns or throws.
    /// </summary>
    public async Task WaitAsync(DateTimeOffset? due, CancellationToken wake, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (due is { } at && at <= Now) return;
        if (wake.IsCancellationRequested) return;

        var waiter = new ClockWaiter(this, due, Interlocked.Increment(ref _nextSequence));
        lock (_gate) _waiters.Add(waiter);
        // Registered before going idle, so a clock step that sees us idle also sees our due time.
        Exit();
        using (wake.Register(static w => ((ClockWaiter)w!).Fire(), waiter))
        using (cancellationToken.Register(static w => ((ClockWaiter)w!).Fire(), waiter))
        using (var timer = due is { } when ? Time.CreateTimer(static w => ((ClockWaiter)w!).Fire(), waiter, Max(when - Now, TimeSpan.Zero), Timeout.InfiniteTimeSpan) : null)
        {
            if (due is { } now && now <= Now) waiter.Fire();
            await waiter.Task.ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void Remove(ClockWaiter waiter)
    {
        lock (_gate) _waiters.Remove(waiter);
    }

    private sealed class ClockWaiter(ClockCoordinator owner, DateTimeOffset? due, long sequence)
    {
        public static readonly IComparer<ClockWaiter> DueOrder = Comparer<ClockWaiter>.Create(static (a, b) =>
        {
            // Waiters without a deadline sort last, so NextDue and FireDue can stop at the first one.
            var byDue = (a.Due, b.Due) switch
            {
                (null, null) => 0,
                (null, _) => 1,
                (_, null) => -1,
                ({ } x, { } y) => x.CompareTo(y),
            };
            return byDue != 0 ? byDue : a._sequence.CompareTo(b._sequence);
        });

        private readonly long _sequence = sequence;
        private readonly TaskCompletionSource _fired = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _state;

        public DateTimeOffset? Due { get; } = due;

        public Task Task => _fired.Task;

        public void Fire()
        {
            if (Interlocked.Exchange(ref _state, 1) != 0) return;
            owner.Remove(this);
            // The busy unit is taken before the continuation is released, so a clock step that waits
            // for quiet cannot slip between the wake-up and the work it causes.
            owner.Enter();
            _fired.TrySetResult();
        }
    }
}
