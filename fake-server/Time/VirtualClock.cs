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
}
