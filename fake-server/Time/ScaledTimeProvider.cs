namespace TinyFish.FakeServer.Time;

/// <summary>
/// A clock that runs <see cref="Scale"/> times faster than another one, counted from the instant it
/// was created: the standalone server uses it so a run that "takes" ten seconds is over in one
/// real second with <c>--time-scale 10</c>. Timers fire after the scaled-down real delay.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly DateTimeOffset _origin;
    private readonly DateTimeOffset _innerOrigin;
    private readonly long _innerOriginTimestamp;

    /// <summary>Creates a clock that starts at <paramref name="start"/> and runs <paramref name="scale"/> times faster than <paramref name="inner"/>.</summary>
    /// <param name="scale">Speed-up factor; 1 is the speed of <paramref name="inner"/>. Must be positive and finite.</param>
    /// <param name="start">The instant the scaled clock shows now; null for the inner clock's now.</param>
    /// <param name="inner">The clock to scale; null for <see cref="TimeProvider.System"/>.</param>
    public ScaledTimeProvider(double scale, DateTimeOffset? start = null, TimeProvider? inner = null)
    {
        if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The time scale must be a positive, finite number.");
        _inner = inner ?? System;
        Scale = scale;
        _innerOrigin = _inner.GetUtcNow();
        _innerOriginTimestamp = _inner.GetTimestamp();
        _origin = start ?? _innerOrigin;
    }

    /// <summary>How many times faster than the inner clock this clock runs.</summary>
    public double Scale { get; }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _origin + Multiply(_inner.GetUtcNow() - _innerOrigin, Scale);

    /// <inheritdoc />
    public override long TimestampFrequency => _inner.TimestampFrequency;

    /// <inheritdoc />
    public override long GetTimestamp() =>
        _innerOriginTimestamp + (long)((_inner.GetTimestamp() - _innerOriginTimestamp) * Scale);

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_inner.CreateTimer(callback, state, Divide(dueTime), Divide(period)), this);

    private TimeSpan Divide(TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan ? span : Multiply(span, 1 / Scale);

    private static TimeSpan Multiply(TimeSpan span, double factor) => TimeSpan.FromTicks((long)Math.Round(span.Ticks * factor));

    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Divide(dueTime), owner.Divide(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
