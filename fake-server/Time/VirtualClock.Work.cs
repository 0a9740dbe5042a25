namespace TinyFish.FakeServer;

// Units of work and quiet: hand-offs held until the woken code runs, and the waits for nothing to be running or held.
public sealed partial class VirtualClock
{
    /// <summary>Holds one unit of work until the returned scope is disposed; <paramref name="what"/> names it in stall messages.</summary>
    internal WorkScope Work(string what)
    {
        Take(what);
        return new WorkScope(this, what);
    }

    /// <summary>Takes one unit of work (for hand-offs whose release happens elsewhere); give it back with <see cref="Release"/>.</summary>
    internal void Take(string what)
    {
        TaskCompletionSource? active;
        lock (_gate)
        {
            active = TakeRestWaiter();
            _busy++;
            _work[what] = _work.GetValueOrDefault(what) + 1;
        }
        active?.TrySetResult();
    }

    /// <summary>Under the lock: the self-moving clock's wait at rest, ended by any new work.</summary>
    private TaskCompletionSource? TakeRestWaiter()
    {
        var waiter = _restWaiter;
        _restWaiter = null;
        return waiter;
    }

    /// <summary>Gives back a unit taken with <see cref="Take"/> or <see cref="Work"/>.</summary>
    internal void Release(string what)
    {
        List<TaskCompletionSource>? quiet;
        lock (_gate)
        {
            if (_busy == 0) throw new InvalidOperationException($"Released '{what}' more often than it was taken.");
            _busy--;
            if (_work.GetValueOrDefault(what) <= 1) _work.Remove(what);
            else _work[what]--;
            quiet = TakeQuietWaitersIfQuiet();
        }
        ReleaseAll(quiet);
    }

    private List<TaskCompletionSource>? TakeQuietWaitersIfQuiet()
    {
        if (_running > 0 || _busy > 0 || _quietWaiters.Count == 0) return null;
        List<TaskCompletionSource> quiet = [.. _quietWaiters];
        _quietWaiters.Clear();
        return quiet;
    }

    private static void ReleaseAll(List<TaskCompletionSource>? waiters)
    {
        if (waiters is null) return;
        foreach (var waiter in waiters) waiter.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task QuietAsync()
    {
        lock (_gate)
        {
            if (_running == 0 && _busy == 0) return Task.CompletedTask;
            var waiter = NewSignal();
            _quietWaiters.Add(waiter);
            return waiter.Task;
        }
    }

    private async Task WhenIdleCoreAsync(CancellationToken cancellationToken)
    {
        // The waiting itself is not work of the test's flow.
        Flow.Value = null;
        while (true)
        {
            var quiet = QuietAsync();
            if (!quiet.IsCompleted)
            {
                try
                {
                    await quiet.WaitAsync(StallTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    throw NotIdle();
                }
            }
            await DrainThreadPoolAsync().ConfigureAwait(false);
            await OutsidersLeftAsync().ConfigureAwait(false);
            if (IsQuiet) return;
        }
    }

    private bool IsQuiet
    {
        get
        {
            lock (_gate) return _running == 0 && _busy == 0;
        }
    }

    /// <summary>
    /// A safety net for hand-offs the clock cannot see: a continuation that some library queues to the
    /// thread pool (a cancelled delay of a completion source that runs its continuations
    /// asynchronously) is counted only once it starts. Waiting for work queued after it to run lets
    /// it start first, so the caller's next look at the counts sees it. A pool thread may also have
    /// taken such a continuation and not started it yet — descheduled between the two on a loaded
    /// machine, where the queue is empty and the clock does not see it either: the pool counts it as
    /// working, so the drain also waits, for at most <see cref="UnseenWorkGrace"/>, until the pool has
    /// no more working threads than the clock can account for.
    /// </summary>
    private async Task DrainThreadPoolAsync()
    {
        for (var round = 0; round < 2; round++)
        {
            var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ThreadPool.UnsafeQueueUserWorkItem(static done => done.TrySetResult(), drained, preferLocal: false);
            await drained.Task.ConfigureAwait(false);
        }
        // Only after a step that cancelled a timer (a delay woken early, whose continuation such a
        // library queues): elsewhere pool threads at other work would slow every step for nothing.
        if (!Interlocked.Exchange(ref _timerCancelledByStep, false)) return;
        var deadline = Environment.TickCount64 + (long)UnseenWorkGrace.TotalMilliseconds;
        while (UnseenPoolThreads() > 0 && Environment.TickCount64 < deadline)
        {
            // A guard on another thread's progress, not a wait on time: it gets the processor back within milliseconds.
            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan UnseenWorkGrace = TimeSpan.FromMilliseconds(25);

    /// <summary>Set when a timer is disposed while a step fires another: see <see cref="DrainThreadPoolAsync"/>.</summary>
    private bool _timerCancelledByStep;

    /// <summary>The thread a step fires its timer on, while it does.</summary>
    private Thread? _firingThread;

    /// <summary>Pool threads at work that run no followed code the clock knows of, this drain's own thread excepted.</summary>
    private int UnseenPoolThreads()
    {
        ThreadPool.GetMaxThreads(out var max, out _);
        ThreadPool.GetAvailableThreads(out var available, out _);
        lock (_gate) return max - available - 1 - _running - _parked.Count;
    }

    /// <summary>One unit of work, given back when disposed.</summary>
    internal readonly struct WorkScope(VirtualClock? clock, string what) : IDisposable
    {
        public void Dispose() => clock?.Release(what);
    }
}
