using System.Collections.Immutable;
using System.Text.Json;

namespace TinyFish.FakeServer.Runs;

/// <summary>
/// Everything about a run's future, fixed when the run is created: how long it is queued, how long
/// it runs (null: it never finishes), what it ends with, and the progress it reports on the way.
/// Together with the creation instant and a possible cancel, this decides the run's state at every instant.
/// </summary>
internal sealed record RunPlan(
    TimeSpan QueuedFor,
    TimeSpan? RunningFor,
    RunEnding Ending,
    ImmutableArray<string> ProgressPurposes,
    TimeSpan ProgressIntervalWhenEndless)
{
    /// <summary>When set, the API refuses to queue the run (a 200 with <c>run_id: null</c> and this error).</summary>
    public RunFailure? Refusal { get; init; }
}

/// <summary>How a run that is not cancelled ends: COMPLETED with a result, or FAILED with an error.</summary>
internal sealed record RunEnding(RunStatus Status, JsonElement? Result, RunFailure? Failure)
{
    public static RunEnding Completed(JsonElement result) => new(RunStatus.Completed, result, null);

    public static RunEnding Failed(RunFailure failure) => new(RunStatus.Failed, null, failure);
}

/// <summary>The run error object of a FAILED run.</summary>
internal sealed record RunFailure(
    FailureCategory Category,
    string Message,
    int? RetryAfterSeconds,
    string? Code = null,
    string? HelpUrl = null,
    string? HelpMessage = null);
