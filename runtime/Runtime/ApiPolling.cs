using Polly;
using Polly.Retry;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// When to read a long-running resource again: a first gap, growing by a factor up to a longest gap,
/// for at most a total time. Used by <see cref="ApiPolling.PollAsync"/>.
/// </summary>
/// <param name="InitialInterval">The gap after the first read.</param>
/// <param name="BackoffFactor">Each gap is the previous one times this (1 or more).</param>
/// <param name="MaxInterval">The longest gap.</param>
/// <param name="Timeout">How long to keep reading in all.</param>
public sealed record ApiPollSchedule(TimeSpan InitialInterval, double BackoffFactor, TimeSpan MaxInterval, TimeSpan Timeout)
{
    /// <summary>Checks the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the exception names it.</exception>
    public void Validate()
    {
        if (InitialInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(InitialInterval), InitialInterval, "Must be positive.");
        if (BackoffFactor < 1 || double.IsNaN(BackoffFactor)) throw new ArgumentOutOfRangeException(nameof(BackoffFactor), BackoffFactor, "Must be 1 or more.");
        if (MaxInterval < InitialInterval) throw new ArgumentOutOfRangeException(nameof(MaxInterval), MaxInterval, "Must not be below InitialInterval.");
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "Must be positive.");
    }

    /// <summary>The gap after <paramref name="interval"/>.</summary>
    public TimeSpan Next(TimeSpan interval) =>
        TimeSpan.FromTicks((long)Math.Min(MaxInterval.Ticks, interval.Ticks * BackoffFactor));
}

/// <summary>
/// Polling a long-running resource until it is done, on the same machinery as the pipeline's retries: a
/// Polly retry strategy whose "failure" is "not done yet", waiting on the client's
/// <see cref="TimeProvider"/>, with its events in the client's telemetry (pipeline name
/// <c>TinyFish.Toolkit.Runtime.Polling</c>). Each read is an ordinary call, with its own retries.
/// </summary>
public static class ApiPolling
{
    /// <summary>
    /// Calls <paramref name="poll"/> until it returns a value, waiting between calls as
    /// <paramref name="schedule"/> says (never past its timeout); after the timeout, throws what
    /// <paramref name="timedOut"/> makes of the time waited. An exception from <paramref name="poll"/> ends
    /// the polling at once.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<T> PollAsync<T>(
        Func<CancellationToken, ValueTask<T?>> poll,
        ApiPollSchedule schedule,
        TimeProvider clock,
        Func<TimeSpan, Exception> timedOut,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(poll);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(timedOut);
        schedule.Validate();

        var started = clock.GetTimestamp();
        var interval = schedule.InitialInterval;
        TimeSpan Left() => schedule.Timeout - clock.GetElapsedTime(started);

        // object, not T: Polly's AddRetry<TResult> wants every member of TResult kept for trimming, which a
        // caller's T cannot promise; the polled values are reference types anyway.
        var pipeline = new ResiliencePipelineBuilder<object?>
        {
            Name = "TinyFish.Toolkit.Runtime.Polling",
            TimeProvider = clock,
            TelemetryListener = new ApiTelemetry.PollyListener(),
        }
        .AddRetry(new RetryStrategyOptions<object?>
        {
            MaxRetryAttempts = int.MaxValue,
            ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is null && args.Outcome.Result is null && Left() > TimeSpan.Zero),
            DelayGenerator = _ =>
            {
                var left = Left();
                var delay = interval < left ? interval : left;
                interval = schedule.Next(interval);
                return new ValueTask<TimeSpan?>(delay);
            },
        })
        .Build();

        var result = await pipeline.ExecuteAsync(static async (poll, token) => (object?)await poll(token).ConfigureAwait(false), poll, cancellationToken).ConfigureAwait(false);
        return (T?)result ?? throw timedOut(clock.GetElapsedTime(started));
    }
}
