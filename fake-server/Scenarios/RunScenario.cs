using System.Collections.Immutable;
using System.Text.Json;
using TinyFish.FakeServer.Json;
using TinyFish.FakeServer.Runs;

namespace TinyFish.FakeServer.Scenarios;

/// <summary>
/// What happens to the runs one rule matches, written as a sentence:
/// <c>fake.Runs.WhenGoalContains("linkedin").CompletesAfter(TimeSpan.FromSeconds(30)).WithResult(json)</c>.
/// Anything a rule does not say follows the fake's defaults (<see cref="FakeTinyFishOptions"/>).
/// Each method changes this rule and returns it; rules apply to runs created afterwards.
/// </summary>
public sealed class RunScenario
{
    private readonly Lock _gate;
    private readonly Func<RunRequestData, long, bool> _matches;
    private TimeSpan? _queuedFor;
    private TimeSpan? _endsAfter;
    private bool _endless;
    private RunEnding? _ending;
    private JsonElement? _result;
    private ImmutableArray<string>? _purposes;
    private int? _progressCount;
    private int? _remaining;
    private RunFailure? _refusal;

    internal RunScenario(Lock gate, string description, Func<RunRequestData, long, bool> matches)
    {
        _gate = gate;
        Description = description;
        _matches = matches;
    }

    /// <summary>What the rule matches, e.g. <c>goal contains "linkedin"</c> (for messages and debugging).</summary>
    public string Description { get; }

    /// <summary>The run waits in PENDING this long before it starts (default <see cref="FakeTinyFishOptions.DefaultQueuedFor"/>).</summary>
    public RunScenario QueuedFor(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        lock (_gate) _queuedFor = duration;
        return this;
    }

    /// <summary>The run reaches its ending (COMPLETED, FAILED) this long after it was created.</summary>
    public RunScenario After(TimeSpan sinceCreation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sinceCreation, TimeSpan.Zero);
        lock (_gate)
        {
            _endsAfter = sinceCreation;
            _endless = false;
        }
        return this;
    }

    /// <summary>The run is COMPLETED <paramref name="sinceCreation"/> after it was created (with the default result unless <see cref="WithResult(string)"/>).</summary>
    public RunScenario CompletesAfter(TimeSpan sinceCreation)
    {
        After(sinceCreation);
        lock (_gate) _ending = null;
        return this;
    }

    /// <summary>The run is COMPLETED with this result, a JSON object.</summary>
    /// <exception cref="ArgumentException">When <paramref name="json"/> is not a JSON object.</exception>
    public RunScenario WithResult(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonElement element;
        try
        {
            element = JsonSerializer.Deserialize(json, FakeJsonContext.Wire.JsonElement);
        }
        catch (JsonException exception)
        {
            throw new ArgumentException("The result must be valid JSON.", nameof(json), exception);
        }
        return WithResult(element);
    }

    /// <summary>The run is COMPLETED with this result, a JSON object.</summary>
    /// <exception cref="ArgumentException">When <paramref name="result"/> is not a JSON object (the API's result never is anything else).</exception>
    public RunScenario WithResult(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Object) throw new ArgumentException("A run's result is always a JSON object.", nameof(result));
        lock (_gate)
        {
            _result = result.Clone();
            _ending = null;
        }
        return this;
    }

    /// <summary>The run is COMPLETED but its goal failed: <c>result</c> is <c>{"status":"failure","reason":...}</c>.</summary>
    public RunScenario FailsGoal(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        lock (_gate) _ending = RunEnding.Completed(FakeData.GoalFailure(reason));
        return this;
    }

    /// <summary>The run is FAILED with a run error of this category (infrastructure, agent or billing failure).</summary>
    /// <param name="category">Tells the client what to do.</param>
    /// <param name="message">The error's <c>message</c>.</param>
    /// <param name="retryAfter">The error's <c>retry_after</c> (whole seconds), or null.</param>
    /// <param name="code">The error's optional machine-readable <c>code</c>.</param>
    public RunScenario FailsWith(FailureCategory category, string message, TimeSpan? retryAfter = null, string? code = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        var seconds = retryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : (int?)null;
        lock (_gate) _ending = RunEnding.Failed(new RunFailure(category, message, seconds, code));
        return this;
    }

    /// <summary>The run starts and then stays RUNNING until it is cancelled.</summary>
    public RunScenario NeverFinishes()
    {
        lock (_gate)
        {
            _endless = true;
            _endsAfter = null;
        }
        return this;
    }

    /// <summary>The run reports <paramref name="count"/> PROGRESS events (= steps), spread evenly over its running time.</summary>
    public RunScenario EmitsProgress(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _progressCount = count;
            _purposes = null;
        }
        return this;
    }

    /// <summary>The run reports one PROGRESS event per purpose, in this order.</summary>
    public RunScenario EmitsProgress(params string[] purposes)
    {
        ArgumentNullException.ThrowIfNull(purposes);
        lock (_gate)
        {
            _purposes = [.. purposes];
            _progressCount = null;
        }
        return this;
    }

    /// <summary>
    /// The API refuses to queue the run (e.g. out of credits): <c>run-async</c> answers 200 with
    /// <c>run_id: null</c> and this error, <c>run-batch</c> refuses the whole batch, the blocking
    /// <c>/run</c> answers FAILED with <c>run_id: null</c>. Nothing is stored. <c>run-sse</c>, whose
    /// stream has begun, creates the run already FAILED and ends it with <c>COMPLETE</c> FAILED.
    /// </summary>
    public RunScenario RefusedWith(FailureCategory category, string message, TimeSpan? retryAfter = null, string? helpUrl = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        var seconds = retryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : (int?)null;
        lock (_gate) _refusal = new RunFailure(category, message, seconds, HelpUrl: helpUrl);
        return this;
    }

    /// <summary>The rule applies to the next <paramref name="count"/> matching runs only, then stops matching.</summary>
    public RunScenario Times(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate) _remaining = count;
        return this;
    }

    /// <summary>The rule applies to the next matching run only.</summary>
    public RunScenario Once() => Times(1);

    /// <summary>Called under the scenarios' lock: does the rule take this run (and use up one of its times)?</summary>
    internal bool TryTake(RunRequestData request, long ordinal)
    {
        if (_remaining == 0 || !_matches(request, ordinal)) return false;
        if (_remaining is { } remaining) _remaining = remaining - 1;
        return true;
    }

    /// <summary>Called under the scenarios' lock: this rule's plan, with <paramref name="defaults"/> for what it does not say.</summary>
    internal RunPlan Apply(RunPlan defaults, Func<int, ImmutableArray<string>> purposesFor)
    {
        var queued = _queuedFor ?? defaults.QueuedFor;
        TimeSpan? running = defaults.RunningFor;
        if (_endless) running = null;
        else if (_endsAfter is { } total)
        {
            if (queued > total) queued = total;
            running = total - queued;
        }
        var ending = _ending ?? (_result is { } result ? RunEnding.Completed(result) : defaults.Ending);
        var purposes = _purposes ?? (_progressCount is { } count ? purposesFor(count) : defaults.ProgressPurposes);
        return defaults with { QueuedFor = queued, RunningFor = running, Ending = ending, ProgressPurposes = purposes, Refusal = _refusal };
    }
}
