namespace TinyFish.Runs;

/// <summary>How <see cref="TinyFishClient.RunAndStreamAsync"/> reads a run's event stream.</summary>
public sealed record RunStreamOptions
{
    /// <summary>The default settings.</summary>
    public static RunStreamOptions Default { get; } = new();

    /// <summary>Whether to yield the stream's <see cref="HeartbeatEvent"/>s. Default false (they are skipped).</summary>
    public bool IncludeHeartbeats { get; init; }

    /// <summary>
    /// How long the stream may stay silent — no event at all, heartbeats included — before it is
    /// treated as dropped and the run is followed by polling instead. Default 60 s: TinyFish does
    /// not publish its heartbeat interval, so this is a choice, long enough for any sane one.
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How to poll when the stream drops or goes silent. Default <see cref="RunWaitOptions.Default"/>.</summary>
    public RunWaitOptions Wait { get; init; } = RunWaitOptions.Default;

    internal void Validate()
    {
        if (IdleTimeout <= TimeSpan.Zero && IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, "Must be positive, or Timeout.InfiniteTimeSpan.");
        }
        ArgumentNullException.ThrowIfNull(Wait);
        Wait.Validate();
    }
}
