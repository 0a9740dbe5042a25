namespace TinyFish.FakeServer;

// Moving the clock: a move step by step (AdvanceAsync), a task driven to its end (RunAsync), and the self-moving clock (AutoAdvance).
public sealed partial class VirtualClock
{
    /// <summary>Wakes the auto-advancer: a timer was made or changed, or a move ended.</summary>
    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    private async Task AdvanceCoreAsync(TimeSpan by, CancellationToken cancellationToken)
    {
        Flow.Value = null;
        await _moving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var target = Now + by;
            await WhenIdleCoreAsync(cancellationToken).ConfigureAwait(false);
            while (TryStep(target))
            {
                await WhenIdleCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            lock (_gate)
            {
                if (target > _now) _now = target;
                _autoOrigin = _now;
                _halted = false;
                _stall = null;
            }
            await WhenIdleCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _moving.Release();
            Signal();
        }
    }

    /// <summary>Fires the earliest timer due at or before <paramref name="limit"/>, moving the clock to its instant; false when none is.</summary>
    private bool TryStep(DateTimeOffset limit)
    {
        VirtualTimer timer;
        lock (_gate)
        {
            if (_timers.Count == 0) return false;
            timer = _timers.Min!;
            if (timer.Due > limit) return false;
            _timers.Remove(timer);
            if (timer.Due > _now) _now = timer.Due;
            timer.Fired(_now);
        }
        RunOnItsOwnThread(timer);
        return true;
    }

    /// <summary>
    /// Fires a timer on a thread of its own, outside the thread pool. What the callback wakes runs
    /// inline there; what a library queues instead (a completion source that runs its continuations
    /// asynchronously, as some delays do when cancelled) goes to the pool's global, first-in-first-out
    /// queue — not to a pool thread's local one — so the drain that follows every step sees it start.
    /// </summary>
    private void RunOnItsOwnThread(VirtualTimer timer)
    {
        var thread = new Thread(static t => ((VirtualTimer)t!).Run()) { IsBackground = true, Name = "VirtualClock timer" };
        _firingThread = thread;
        thread.UnsafeStart(timer);
        thread.Join();
        _firingThread = null;
    }

    private async Task<T> RunCoreAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        await _moving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                _stall = null;
                _halted = false;
                _autoOrigin = _now;
            }
            while (!task.IsCompleted)
            {
                await QuietOrDoneAsync(task, cancellationToken).ConfigureAwait(false);
                if (task.IsCompleted) break;
                switch (Decide())
                {
                    case Decision.Stepped or Decision.NotQuiet:
                        continue;
                    case Decision.Stalled:
                        // What the fake held has been failed: the task ends with that, unless it waits elsewhere.
                        await QuietOrDoneAsync(task, cancellationToken).ConfigureAwait(false);
                        if (!task.IsCompleted) throw Stall!;
                        break;
                    default:
                        throw _stall = new VirtualTimeStallException(
                            $"Nothing can move at {Format(Now)}: no timer is due and nothing is running, yet the task has not finished.", Describe());
                }
            }
        }
        finally
        {
            _moving.Release();
            Signal();
        }
        return await task.ConfigureAwait(false);
    }

    private async Task QuietOrDoneAsync(Task done, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAny(QuietAsync(), done).WaitAsync(StallTimeout, cancellationToken).ConfigureAwait(false);
            await DrainThreadPoolAsync().ConfigureAwait(false);
            await OutsidersLeftAsync().ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw NotIdle();
        }
    }

    private VirtualTimeStallException NotIdle() => new(
        $"The work caused at {Format(Now)} did not finish within {StallTimeout.TotalSeconds:0.#} s of wall time "
        + "(VirtualClock.StallTimeout): some code keeps a thread busy or blocks it synchronously.", Describe());

    private enum Decision
    {
        NotQuiet,
        Stepped,
        Rest,
        Stalled,
    }

    /// <summary>
    /// The self-moving step: with everything quiet, fires the next timer if it is due within the
    /// auto-advance limit. When none is due and the fake still holds a request, or the limit is
    /// reached, records a stall and lets the fake fail what it holds.
    /// </summary>
    private Decision Decide()
    {
        DateTimeOffset limit;
        bool noTimers;
        lock (_gate)
        {
            if (_running > 0 || _busy > 0) return Decision.NotQuiet;
            if (_halted) return Decision.Rest;
            noTimers = _timers.Count == 0;
            if (noTimers) _autoOrigin = _now;
            limit = _autoOrigin + AutoAdvanceLimit;
        }
        if (!noTimers && TryStep(limit)) return Decision.Stepped;

        var reason = noTimers
            ? $"Nothing can move at {Format(Now)}: no timer is due and nothing is running, yet a request is still held."
            : $"Time moved {AutoAdvanceLimit} by itself (VirtualClock.AutoAdvanceLimit) without coming to rest; it stopped at {Format(Now)}.";
        VirtualTimeStallException? stall = null;
        // Described only once something is found held, so the message shows what was.
        VirtualTimeStallException Described() => stall ??= new VirtualTimeStallException(reason, Describe());
        var failed = KeepingFlow(() => FailHeld?.Invoke(Described) ?? false);
        if (!failed && noTimers) return Decision.Rest;
        Described();
        lock (_gate)
        {
            _stall = stall;
            // Past the limit nothing moves by itself any more, until the next explicit move.
            if (!noTimers) _halted = true;
        }
        return Decision.Stalled;
    }

    private async Task AutoAdvanceLoopAsync(CancellationToken stop)
    {
        Flow.Value = null;
        try
        {
            while (true)
            {
                Task changed;
                lock (_gate) changed = _changed.Task;
                await QuietAsync().WaitAsync(stop).ConfigureAwait(false);
                await DrainThreadPoolAsync().ConfigureAwait(false);
                await OutsidersLeftAsync().ConfigureAwait(false);
                await _moving.WaitAsync(stop).ConfigureAwait(false);
                Decision decision;
                try
                {
                    decision = Decide();
                }
                finally
                {
                    _moving.Release();
                }
                if (decision is Decision.Stepped or Decision.NotQuiet) continue;
                // At rest or stalled: wait until a timer is made or changed, a move ends, or work
                // starts (which may end in a request held with no timer: a stall to report).
                Task active;
                lock (_gate)
                {
                    _restWaiter ??= NewSignal();
                    active = _restWaiter.Task;
                }
                await Task.WhenAny(changed, active).WaitAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
