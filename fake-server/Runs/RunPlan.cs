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
internal sealed class RunEnding(RunStatus status, JsonElement? result, RunFailure? failure)
{
    // A made-up result is made the first time it is read, from what it was seeded with: seeding
    // 100,000 runs or creating one then costs no JSON, and the bytes are the same whenever it is read.
    private readonly Lazy<JsonElement>? _later;

    private RunEnding(Func<JsonElement> makeResult)
        : this(RunStatus.Completed, null, null) => _later = new(makeResult, LazyThreadSafetyMode.ExecutionAndPublication);

    public RunStatus Status { get; } = status;

    public JsonElement? Result => _later is { } later ? later.Value : result;

    public RunFailure? Failure { get; } = failure;

    public static RunEnding Completed(JsonElement result) => new(RunStatus.Completed, result, null);

    /// <summary>COMPLETED with a result made by <paramref name="makeResult"/> on first read (once; it must be deterministic).</summary>
    public static RunEnding CompletedWith(Func<JsonElement> makeResult) => new(makeResult);

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
