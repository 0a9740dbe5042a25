namespace TinyFish.FakeServer;

// Following flows: which code belongs to this clock, the threads running it, the test runner's threads (outsiders)
// and the mover's own thread, parked while a test waits for a move.
public sealed partial class VirtualClock
{
    /// <summary>
    /// Runs a move on the thread pool, outside the caller's flow: a timer's callback then runs the
    /// woken code inline (a thread with a synchronization context, like a test runner's, would queue
    /// it instead, out of the clock's sight), and the move itself is not counted as running code.
    /// </summary>
    private static Task<T> OnThreadPool<T>(Func<Task<T>> move)
    {
        using (ExecutionContext.SuppressFlow()) return Task.Run(move, CancellationToken.None);
    }

    private static Task OnThreadPool(Func<Task> move)
    {
        using (ExecutionContext.SuppressFlow()) return Task.Run(move, CancellationToken.None);
    }

    /// <summary>
    /// Stops counting the calling thread as running while <paramref name="move"/> runs: a test that
    /// waits for a move synchronously (NUnit's <c>Assert.ThrowsAsync</c> does) blocks that thread,
    /// and counting it would keep the move from ever seeing quiet.
    /// </summary>
    private Task Parked(Task move)
    {
        var thread = Environment.CurrentManagedThreadId;
        List<TaskCompletionSource>? left;
        List<TaskCompletionSource>? quiet;
        lock (_gate)
        {
            if (move.IsCompleted || !_runningThreads.Remove(thread, out left)) return move;
            _running--;
            _parked.Add(thread);
            quiet = TakeQuietWaitersIfQuiet();
        }
        ReleaseAll(left);
        ReleaseAll(quiet);
        return UnparkWhenDoneAsync(move, thread);
    }

    private async Task UnparkWhenDoneAsync(Task move, int thread)
    {
        try
        {
            await move.ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                // Still inside the test's code (it waited synchronously): it runs again from here.
                if (_parked.Remove(thread))
                {
                    _running++;
                    _runningThreads[thread] = null;
                }
            }
        }
    }

    private Task<T> Parked<T>(Task<T> move)
    {
        var parked = Parked((Task)move);
        return ReferenceEquals(parked, move) ? move : ThenResult(parked, move);
    }

    /// <summary>
    /// Runs <paramref name="work"/> and puts the calling thread's flow back as it was: the clock's own
    /// code calls into the fake, whose clock reads would otherwise make the mover a followed flow.
    /// </summary>
    private static T KeepingFlow<T>(Func<T> work)
    {
        var flow = Flow.Value;
        try
        {
            return work();
        }
        finally
        {
            if (!ReferenceEquals(Flow.Value, flow)) Flow.Value = flow;
        }
    }

    private static async Task<T> ThenResult<T>(Task parked, Task<T> move)
    {
        await parked.ConfigureAwait(false);
        return await move.ConfigureAwait(false);
    }

    /// <summary>Makes the calling flow one this clock follows (see the remarks on the type).</summary>
    internal void Follow()
    {
        if (!ReferenceEquals(Flow.Value, this)) Flow.Value = this;
    }

    private static void OnFlowChanged(AsyncLocalValueChangedArgs<VirtualClock?> change)
    {
        // Only thread-pool threads count: a test runner's own thread blocks on the test's task, and
        // counting it would keep the clock busy for as long as the test runs. Such a thread is
        // watched only from a timer or request it makes to the moment it leaves (see Outsider).
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            if (!ReferenceEquals(change.PreviousValue, change.CurrentValue)) change.PreviousValue?.OutsiderLeft();
            return;
        }
        change.PreviousValue?.LeaveRunning();
        change.CurrentValue?.EnterRunning();
    }

    /// <summary>
    /// Called when followed code makes a timer or sends a request. On a thread outside the pool (a test
    /// runner's, running the test's first lines) the clock does not count it as running, yet it may be
    /// half-way through a call: a per-attempt timeout made, the request not sent yet. A move waits,
    /// briefly, for such a thread to leave the followed code before it fires anything.
    /// </summary>
    internal void NoteActivity()
    {
        if (Thread.CurrentThread.IsThreadPoolThread || !ReferenceEquals(Flow.Value, this)) return;
        lock (_gate) _outsiders.TryAdd(Environment.CurrentManagedThreadId, (Thread.CurrentThread, NewSignal()));
    }

    private void OutsiderLeft()
    {
        (Thread Thread, TaskCompletionSource Left) outsider;
        lock (_gate)
        {
            if (!_outsiders.Remove(Environment.CurrentManagedThreadId, out outsider)) return;
        }
        outsider.Left.TrySetResult();
    }

    /// <summary>
    /// Waits for outsiders that are half-way through a call to leave it, or to block (a test runner's
    /// thread waiting for the test's task, when the test's flow was made followed outside the test
    /// method and so never visibly leaves); at most <see cref="OutsiderGrace"/>.
    /// </summary>
    private async Task OutsidersLeftAsync()
    {
        var deadline = Environment.TickCount64 + (long)OutsiderGrace.TotalMilliseconds;
        while (true)
        {
            lock (_gate)
            {
                foreach (var (id, outsider) in _outsiders.ToList())
                {
                    if ((outsider.Thread.ThreadState & (ThreadState.WaitSleepJoin | ThreadState.Stopped)) != 0) _outsiders.Remove(id);
                }
                if (_outsiders.Count == 0) return;
                if (Environment.TickCount64 > deadline)
                {
                    _outsiders.Clear();
                    return;
                }
            }
            // A guard on another thread's progress, not a wait on time: it usually leaves within microseconds.
            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan OutsiderGrace = TimeSpan.FromSeconds(1);

    private void EnterRunning()
    {
        TaskCompletionSource? active;
        lock (_gate)
        {
            active = TakeRestWaiter();
            _running++;
            _runningThreads[Environment.CurrentManagedThreadId] = null;
        }
        active?.TrySetResult();
    }

    private void LeaveRunning()
    {
        List<TaskCompletionSource>? quiet;
        List<TaskCompletionSource>? left;
        lock (_gate)
        {
            // A parked thread was already taken off the count when its test started waiting for a move.
            if (!_parked.Remove(Environment.CurrentManagedThreadId))
            {
                _running--;
                _runningThreads.Remove(Environment.CurrentManagedThreadId, out left);
            }
            else left = null;
            quiet = TakeQuietWaitersIfQuiet();
        }
        ReleaseAll(left);
        ReleaseAll(quiet);
    }

    /// <summary>
    /// The thread-pool thread the caller runs on, when it runs code this clock follows; else null.
    /// </summary>
    internal int? FollowedThread()
    {
        var id = Environment.CurrentManagedThreadId;
        lock (_gate) return _runningThreads.ContainsKey(id) ? id : null;
    }

    /// <summary>Completes once thread <paramref name="threadId"/> no longer runs code this clock follows.</summary>
    internal Task WhenThreadLeavesAsync(int threadId)
    {
        lock (_gate)
        {
            if (!_runningThreads.TryGetValue(threadId, out var waiters)) return Task.CompletedTask;
            var left = NewSignal();
            (waiters ??= []).Add(left);
            _runningThreads[threadId] = waiters;
            return left.Task;
        }
    }
}
