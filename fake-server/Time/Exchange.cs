namespace TinyFish.FakeServer.Time;

/// <summary>
/// One request from an in-process client to the fake, seen from both ends, so the
/// <see cref="VirtualClock"/> never moves while the fake has woken the client and the client's code
/// has not run yet (its continuation is queued on the thread pool).
/// </summary>
/// <remarks>
/// The exchange holds one unit of work exactly while the client waits (for the response or for
/// body bytes) and the fake has already delivered something it has not seen: the response's start,
/// bytes it has not read, the end of the body. The fake records a delivery before making it visible;
/// the client records what it saw when its code resumes. A client that is not waiting never holds
/// the clock, so a test may leave a stream unread while it moves time. The request itself holds a
/// unit from the moment it is sent until the fake's pipeline takes it over.
/// </remarks>
internal sealed class Exchange
{
    // Carries the exchange from the client's handler into the fake's pipeline (TestHost runs the
    // pipeline on the client's execution context).
    private static readonly AsyncLocal<Exchange?> InFlight = new();

    private readonly VirtualClock _clock;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _failure = new();
    private bool _onItsWay = true;
    private bool _clientWaiting = true;
    private bool _started;
    private bool _startSeen;
    private long _delivered;
    private long _seen;
    private bool _ended;
    private bool _endSeen;
    private bool _done;
    private bool _cancelled;
    private bool _holding;

    public Exchange(VirtualClock clock, string label)
    {
        _clock = clock;
        Label = label;
        SentAt = clock.Now;
        SenderThread = clock.FollowedThread();
        clock.NoteActivity();
        clock.Take(OnItsWayLabel);
    }

    private static readonly TimeSpan SenderGrace = TimeSpan.FromMilliseconds(100);

    /// <summary>The thread-pool thread that sent the request, when it runs followed code (see <see cref="SenderLeftAsync"/>).</summary>
    private int? SenderThread { get; }

    /// <summary>
    /// Completes once the thread that sent the request has left the client's code. Until then the
    /// client's frames above the transport are still registering their continuations; an answer that
    /// completes their tasks first makes the runtime queue those continuations to the thread pool,
    /// where the clock cannot see them. A sender unwinds in microseconds; one that has not left after
    /// <see cref="SenderGrace"/> is blocked on its own call (NUnit's async asserts wait synchronously), and is
    /// answered anyway.
    /// </summary>
    public async Task SenderLeftAsync()
    {
        if (SenderThread is not { } thread) return;
        try
        {
            await _clock.WhenThreadLeavesAsync(thread).WaitAsync(SenderGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A sender blocked on its own request keeps the clock busy anyway; answering unblocks it.
        }
    }

    public string Label { get; }


    public DateTimeOffset SentAt { get; }

    /// <summary>Cancelled when the clock stalls while this exchange is held; the client then fails with <see cref="FailedWith"/>.</summary>
    public CancellationToken Failure => _failure.Token;

    public VirtualTimeStallException? FailedWith { get; private set; }

    /// <summary>The exchange the fake's pipeline is answering (set by the client's handler).</summary>
    public static Exchange? Current
    {
        get => InFlight.Value;
        set => InFlight.Value = value;
    }

    public bool IsWaiting
    {
        get
        {
            lock (_gate) return _clientWaiting && !_done;
        }
    }

    /// <summary>The fake has the request and the client waits for it: what a stall leaves stuck.</summary>
    public bool IsHeld
    {
        get
        {
            lock (_gate) return !_onItsWay && _clientWaiting && !_done;
        }
    }

    private string OnItsWayLabel => $"request on its way to the fake: {Label}";

    private string DeliveryLabel => $"answer on its way to the client: {Label}";

    // Fake side.

    /// <summary>The fake's pipeline has the request (and holds its own unit for it).</summary>
    public void Arrived() => Update(() => ReleaseOnItsWay());

    /// <summary>The response is about to start (headers on their way).</summary>
    public void Starting() => Update(() => _started = true);

    /// <summary><paramref name="count"/> body bytes are about to be written.</summary>
    public void Delivering(int count) => Update(() => _delivered += count);

    /// <summary>The body is about to end (completed or aborted).</summary>
    public void Ending() => Update(() => _ended = true);

    // Client side.

    /// <summary>
    /// The client's own token cancelled its wait (a timeout on the clock, usually): the transport
    /// wakes it through the thread pool, so this is a delivery too. Called inside the cancellation.
    /// </summary>
    public void Cancelling() => Update(() => _cancelled = true);

    /// <summary>
    /// Moves the client's code off the thread that woke it, holding a unit meanwhile. The fake often
    /// completes the client's wait on its own deep stack, and code that goes on inline there soon
    /// meets the runtime's stack guard, which queues the next continuation to the thread pool — out
    /// of the clock's sight. From a fresh thread the client's continuations run inline again.
    /// </summary>
    public async Task LeaveTheFakesThreadAsync()
    {
        _clock.Take(ResumingLabel);
        try
        {
            await Task.Yield();
        }
        finally
        {
            _clock.Release(ResumingLabel);
        }
    }

    private string ResumingLabel => $"client resuming after an answer: {Label}";

    // Called by the client's own code once it runs again.

    public void ResponseSeen() => Update(() =>
    {
        _startSeen = true;
        _clientWaiting = false;
        _cancelled = false;
    });

    public void ReadStarting() => Update(() => _clientWaiting = true);

    public void ReadSeen(int count) => Update(() =>
    {
        _clientWaiting = false;
        _cancelled = false;
        if (count == 0) _endSeen = true;
        else _seen += count;
    });

    /// <summary>The client is done with the exchange (response disposed, request failed or cancelled).</summary>
    public void Done() => Update(() =>
    {
        _done = true;
        ReleaseOnItsWay();
    });

    /// <summary>Fails the client's wait with <paramref name="stall"/> (the clock cannot wake it any more).</summary>
    public void Fail(VirtualTimeStallException stall)
    {
        FailedWith ??= stall;
        _failure.Cancel();
    }

    private void ReleaseOnItsWay()
    {
        if (!_onItsWay) return;
        _onItsWay = false;
        _clock.Release(OnItsWayLabel);
    }

    private void Update(Action change)
    {
        bool take, release;
        lock (_gate)
        {
            change();
            var unseen = (_started && !_startSeen) || _delivered > _seen || (_ended && !_endSeen) || _cancelled;
            var hold = unseen && _clientWaiting && !_done;
            take = hold && !_holding;
            release = !hold && _holding;
            _holding = hold;
            if (take) _clock.Take(DeliveryLabel);
            if (release) _clock.Release(DeliveryLabel);
        }
    }
}
