using System.Globalization;
using System.Text;

namespace TinyFish.FakeServer;

/// <summary>
/// A virtual clock for tests, shared by the fake and the code under test: time stands still until
/// <see cref="AdvanceAsync"/> moves it (or, with <see cref="AutoAdvance"/>, until everything is idle),
/// and every move waits for what it caused — on both sides — before going further.
/// </summary>
/// <remarks>
/// <para>
/// The clock sees three kinds of work, and moves only when none is left ("quiet"):
/// </para>
/// <list type="bullet">
/// <item><b>Running code.</b> Code that has used this clock (read the time, made a timer or delay) is
/// followed through its async flow: while a thread-pool thread runs a continuation of that flow, the
/// clock is busy. That covers the code under test between one wait and the next, wherever its
/// continuations run, with no cooperation from it.</item>
/// <item><b>Hand-offs.</b> Where one side wakes the other through a queue (a request on its way to
/// the fake, an answer or stream bytes on their way to a reader that waits for them, a fake request
/// woken by a timer), the waker holds a unit of work until the woken code runs.</item>
/// <item><b>Timers.</b> Every timer and delay made on this clock, by the fake or by the code under
/// test, is in one queue ordered by due instant and creation. A move fires them one at a time and
/// waits for quiet after each, so the same test always sees the same order and the same timestamps.</item>
/// </list>
/// <para>
/// Code that blocks a thread-pool thread synchronously keeps the clock busy; a move that cannot
/// reach quiet within <see cref="StallTimeout"/> of wall time fails with
/// <see cref="VirtualTimeStallException"/> saying what was busy, instead of hanging.
/// </para>
/// </remarks>
public sealed partial class VirtualClock : TimeProvider
{
    /// <summary>Where a clock starts unless told otherwise: 2025-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // The flow a piece of code belongs to. Changes are reported per thread, so the clock can count the
    // thread-pool threads that run its flows right now (see OnFlowChanged).
    private static readonly AsyncLocal<VirtualClock?> Flow = new(OnFlowChanged);

    private readonly Lock _gate = new();
    private readonly SortedSet<VirtualTimer> _timers = new(VirtualTimer.DueOrder);
    private readonly List<TaskCompletionSource> _quietWaiters = [];
    private readonly Dictionary<string, int> _work = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _moving = new(1, 1);
    private readonly DateTimeOffset _start;
    private readonly List<Func<IEnumerable<string>>> _describers = [];
    private DateTimeOffset _now;
    private long _nextSequence;
    private int _running;
    private int _busy;
    private TaskCompletionSource _changed = NewSignal();
    private VirtualTimeStallException? _stall;
    private bool _autoAdvance;
    private Task? _autoAdvancer;
    private CancellationTokenSource? _autoStop;
    private DateTimeOffset _autoOrigin;
    private bool _halted;
    private TaskCompletionSource? _restWaiter;
    private readonly Dictionary<int, List<TaskCompletionSource>?> _runningThreads = [];
    private readonly HashSet<int> _parked = [];
    private readonly Dictionary<int, (Thread Thread, TaskCompletionSource Left)> _outsiders = [];

    /// <summary>A clock standing at <paramref name="start"/> (default <see cref="DefaultStart"/>).</summary>
    public VirtualClock(DateTimeOffset? start = null)
    {
        _start = _now = start ?? DefaultStart;
        _autoOrigin = _now;
    }

    /// <summary>
    /// The longest a move may wait, in wall time, for the work it caused to finish before it fails
    /// with <see cref="VirtualTimeStallException"/> (default 10 s). Only a bug or blocking code
    /// reaches it: the work of a step takes microseconds to milliseconds.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most virtual time <see cref="AutoAdvance"/> and <see cref="RunAsync{T}(Func{Task{T}}, CancellationToken)"/>
    /// move the clock without the system coming to rest (default 24 h); past it they stop and fail
    /// what is waiting with <see cref="VirtualTimeStallException"/>.
    /// </summary>
    public TimeSpan AutoAdvanceLimit { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// When true, time moves by itself: whenever the fake and the code under test are idle, the clock
    /// jumps to the next due timer — so <c>await client.WaitForCompletionAsync(id)</c> just completes,
    /// with virtual minutes passed and no wall time. When nothing is due and a request is still held
    /// (a run that never finishes), that request fails with <see cref="VirtualTimeStallException"/>.
    /// </summary>
    public bool AutoAdvance
    {
        get
        {
            lock (_gate) return _autoAdvance;
        }
        set
        {
            lock (_gate)
            {
                if (_autoAdvance == value) return;
                _autoAdvance = value;
                if (value)
                {
                    _autoStop = new CancellationTokenSource();
                    _autoOrigin = _now;
                    var stop = _autoStop.Token;
                    using (ExecutionContext.SuppressFlow()) _autoAdvancer = Task.Run(() => AutoAdvanceLoopAsync(stop), CancellationToken.None);
                }
                else
                {
                    _autoStop?.Cancel();
                    _autoStop?.Dispose();
                    _autoStop = null;
                    _autoAdvancer = null;
                }
                Signal();
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        Follow();
        lock (_gate) return _now;
    }

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        Follow();
        lock (_gate) return (_now - _start).Ticks;
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Follow();
        return CreateTimer(callback, state, dueTime, period, "made by the code under test");
    }

    /// <summary>A timer whose <paramref name="owner"/> names it in stall messages (the fake names its own).</summary>
    internal ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period, string owner)
    {
        NoteActivity();
        var timer = new VirtualTimer(this, callback, state, ExecutionContext.Capture(), owner);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>The due instants of the timers waiting on this clock, earliest first (for assertions and messages).</summary>
    public IReadOnlyList<DateTimeOffset> PendingTimers
    {
        get
        {
            lock (_gate) return [.. _timers.Select(static timer => timer.Due)];
        }
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="by"/>, firing every timer due on the way in order,
    /// and returns once everything that caused — the fake's answers and streams, and the code under
    /// test's polls, retries and timeouts — has run up to its next wait.
    /// </summary>
    /// <exception cref="VirtualTimeStallException">The work of a step did not finish within <see cref="StallTimeout"/> of wall time.</exception>
    public Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        // Called from the test's flow: what it does next belongs to this clock too.
        Follow();
        return Parked(OnThreadPool(() => AdvanceCoreAsync(by, cancellationToken)));
    }

    /// <summary>Waits until nothing is running, no hand-off is pending and no request is being worked on.</summary>
    /// <exception cref="VirtualTimeStallException">That did not happen within <see cref="StallTimeout"/> of wall time.</exception>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        Follow();
        return Parked(WhenIdleCoreAsync(cancellationToken));
    }

    /// <summary>
    /// Runs <paramref name="action"/> and moves the clock by itself while it runs (as
    /// <see cref="AutoAdvance"/> does), until its task completes. When the task can no longer finish
    /// — nothing is due, nothing runs — or <see cref="AutoAdvanceLimit"/> passes, it fails with
    /// <see cref="VirtualTimeStallException"/> naming what was pending.
    /// </summary>
    public Task<T> RunAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        Follow();
        var task = action();
        return Parked(OnThreadPool(() => RunCoreAsync(task, cancellationToken)));
    }

    /// <inheritdoc cref="RunAsync{T}(Func{Task{T}}, CancellationToken)"/>
    public Task RunAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return RunAsync(async () =>
        {
            await action().ConfigureAwait(false);
            return true;
        });
    }

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

    /// <summary>The current instant, without following the caller (for the clock's own code and the fake's).</summary>
    internal DateTimeOffset Now
    {
        get
        {
            lock (_gate) return _now;
        }
    }

    /// <summary>Adds a source of lines for the message of a <see cref="VirtualTimeStallException"/> (the fake's runs and held requests).</summary>
    internal void AddDescriber(Func<IEnumerable<string>> describe)
    {
        lock (_gate) _describers.Add(describe);
    }

    /// <summary>
    /// Set by the fake: fails every request it holds with the stall, and says whether there was any.
    /// Called when the clock cannot move by itself any further.
    /// </summary>
    internal Func<Func<VirtualTimeStallException>, bool>? FailHeld { get; set; }

    /// <summary>The stall that stopped the self-moving clock last (for messages).</summary>
    internal VirtualTimeStallException? Stall
    {
        get
        {
            lock (_gate) return _stall;
        }
    }

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
    /// it start first, so the caller's next look at the counts sees it.
    /// </summary>
    private static async Task DrainThreadPoolAsync()
    {
        for (var round = 0; round < 2; round++)
        {
            var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ThreadPool.UnsafeQueueUserWorkItem(static done => done.TrySetResult(), drained, preferLocal: false);
            await drained.Task.ConfigureAwait(false);
        }
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
    private static void RunOnItsOwnThread(VirtualTimer timer)
    {
        var thread = new Thread(static t => ((VirtualTimer)t!).Run()) { IsBackground = true, Name = "VirtualClock timer" };
        thread.UnsafeStart(timer);
        thread.Join();
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

    internal IReadOnlyList<string> Describe()
    {
        var lines = new List<string>();
        List<Func<IEnumerable<string>>> describers;
        lock (_gate)
        {
            lines.Add($"clock: {Format(_now)}; threads running followed code: {_running}");
            foreach (var (what, count) in _work.OrderBy(static pair => pair.Key, StringComparer.Ordinal))
            {
                lines.Add(count == 1 ? $"busy: {what}" : $"busy: {what} (×{count})");
            }
            foreach (var timer in _timers.Take(20))
            {
                lines.Add($"timer due {Format(timer.Due)} ({timer.Owner}, made at {Format(timer.CreatedAt)})");
            }
            if (_timers.Count > 20) lines.Add($"... and {_timers.Count - 20} more timers");
            describers = [.. _describers];
        }
        // The fake reads its clock while describing itself; that must not make the mover's flow a followed one.
        KeepingFlow(() =>
        {
            foreach (var describe in describers) lines.AddRange(describe());
            return true;
        });
        return lines;
    }

    internal static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

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

    /// <summary>One unit of work, given back when disposed.</summary>
    internal readonly struct WorkScope(VirtualClock? clock, string what) : IDisposable
    {
        public void Dispose() => clock?.Release(what);
    }
}
