using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs;

/// <summary>
/// How <see cref="TinyFishClient.WaitForCompletionAsync"/> polls. The defaults follow TinyFish's
/// documented pattern: a first poll after 2 s, then gently longer gaps, for up to 5 minutes.
/// </summary>
public sealed record RunWaitOptions
{
    /// <summary>The default settings.</summary>
    public static RunWaitOptions Default { get; } = new();

    /// <summary>The gap before the first poll after the first read. Default 2 s.</summary>
    public TimeSpan InitialInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Each gap is the previous one times this factor, up to <see cref="MaxInterval"/>. Default 1.5.</summary>
    public double BackoffFactor { get; init; } = 1.5;

    /// <summary>The longest gap between two polls. Default 10 s.</summary>
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait in all before giving up. Default 5 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    internal void Validate() => Schedule.Validate();

    /// <summary>The schedule the runtime's polling follows.</summary>
    internal ApiPollSchedule Schedule => new(InitialInterval, BackoffFactor, MaxInterval, Timeout);
}

/// <summary>A run did not reach a terminal status within <see cref="RunWaitOptions.Timeout"/>.</summary>
public sealed class RunWaitTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for the run and the last state seen.</summary>
    public RunWaitTimeoutException(string runId, RunStatus lastStatus, TimeSpan waited)
        : base($"Run {runId} was still {lastStatus.Value} after waiting {waited}.")
    {
        RunId = runId;
        LastStatus = lastStatus;
        Waited = waited;
    }

    /// <summary>The run waited for.</summary>
    public string RunId { get; }

    /// <summary>The status the last poll read.</summary>
    public RunStatus LastStatus { get; }

    /// <summary>How long the wait lasted.</summary>
    public TimeSpan Waited { get; }
}
