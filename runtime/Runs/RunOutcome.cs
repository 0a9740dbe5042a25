using System.Text.Json;

namespace TinyFish.Runs;

/// <summary>
/// What a finished run amounts to. <c>COMPLETED</c> only says the infrastructure worked, so a
/// run's status alone cannot tell success from a failed goal; this type can:
/// <list type="bullet">
/// <item><see cref="Succeeded"/> — COMPLETED and the result is not a goal failure;</item>
/// <item><see cref="GoalFailed"/> — COMPLETED with <c>{"status":"failure","reason":...}</c>: change the goal or the page;</item>
/// <item><see cref="InfrastructureFailed"/> — FAILED, with the error's category, whether a retry can help, and when;</item>
/// <item><see cref="Cancelled"/> — CANCELLED.</item>
/// </list>
/// </summary>
/// <example>
/// <code>
/// var outcome = RunOutcome.From(await client.WaitForCompletionAsync(runId));
/// var text = outcome switch
/// {
///     RunOutcome.Succeeded s => $"data: {s.Result}",
///     RunOutcome.GoalFailed g => $"goal failed: {g.Reason}",
///     RunOutcome.InfrastructureFailed f when f.IsRetryable => $"retry in {f.RetryAfter}",
///     RunOutcome.InfrastructureFailed f => $"failed: {f.Message}",
///     RunOutcome.Cancelled => "cancelled",
///     _ => "unknown",
/// };
/// </code>
/// </example>
public abstract record RunOutcome
{
    private RunOutcome(string? runId) => RunId = runId;

    /// <summary>The run's id (null only for a blocking <c>/run</c> answer that carried none).</summary>
    public string? RunId { get; }

    /// <summary>The run finished and reached its goal.</summary>
    /// <param name="RunId">The run's id.</param>
    /// <param name="Result">The data the run extracted (null when it returned none).</param>
    public sealed record Succeeded(string? RunId, JsonElement? Result) : RunOutcome(RunId);

    /// <summary>The infrastructure worked but the agent could not reach the goal.</summary>
    /// <param name="RunId">The run's id.</param>
    /// <param name="Reason">Why, as the agent reported it.</param>
    /// <param name="Result">The whole result object.</param>
    public sealed record GoalFailed(string? RunId, string Reason, JsonElement Result) : RunOutcome(RunId);

    /// <summary>The run failed for a reason outside the goal.</summary>
    /// <param name="RunId">The run's id.</param>
    /// <param name="Category">SYSTEM_FAILURE, AGENT_FAILURE, BILLING_FAILURE or UNKNOWN (or a newer value).</param>
    /// <param name="Message">The error's message.</param>
    /// <param name="IsRetryable">Whether running it again as it is may succeed (SYSTEM_FAILURE and UNKNOWN).</param>
    /// <param name="RetryAfter">How long to wait before retrying, when the API said.</param>
    /// <param name="HelpUrl">Where the API points for help, when it did.</param>
    public sealed record InfrastructureFailed(
        string? RunId, RunErrorCategory Category, string Message, bool IsRetryable, TimeSpan? RetryAfter, Uri? HelpUrl)
        : RunOutcome(RunId);

    /// <summary>The run was cancelled.</summary>
    /// <param name="RunId">The run's id.</param>
    public sealed record Cancelled(string? RunId) : RunOutcome(RunId);

    /// <summary>The outcome of a finished run.</summary>
    /// <exception cref="InvalidOperationException">The run is still PENDING or RUNNING.</exception>
    public static RunOutcome From(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Classify(run.RunId, run.Status, run.Result, run.Error);
    }

    /// <summary>The outcome of a blocking <c>/v1/automation/run</c> call.</summary>
    public static RunOutcome From(SyncRunResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Classify(response.RunId, response.Status, response.Result, response.Error);
    }

    /// <summary>The outcome carried by a stream's final <c>COMPLETE</c> event.</summary>
    public static RunOutcome From(CompleteEvent complete)
    {
        ArgumentNullException.ThrowIfNull(complete);
        return Classify(complete.RunId, complete.Status, complete.Result ?? LegacyResult(complete), complete.Error);
    }

    // Older streams sent the result as "resultJson" (an object, or the object as a JSON string).
    private static JsonElement? LegacyResult(CompleteEvent complete)
    {
        if (complete.AdditionalProperties?.TryGetValue("resultJson", out var legacy) != true) return null;
        if (legacy.ValueKind == JsonValueKind.Object) return legacy;
        if (legacy.ValueKind != JsonValueKind.String) return null;
        try
        {
            using var document = JsonDocument.Parse(legacy.GetString()!);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static RunOutcome Classify(string? runId, RunStatus status, JsonElement? result, RunError? error)
    {
        if (status == RunStatus.Completed)
        {
            return TryReadGoalFailure(result, out var reason)
                ? new GoalFailed(runId, reason, result!.Value)
                : new Succeeded(runId, result);
        }
        if (status == RunStatus.Cancelled) return new Cancelled(runId);
        if (status == RunStatus.Failed) return FromError(runId, error);
        throw new InvalidOperationException(
            $"Run {runId} is {status.Value}, not finished; wait for a terminal status (e.g. WaitForCompletionAsync) first.");
    }

    private static InfrastructureFailed FromError(string? runId, RunError? error)
    {
        if (error is null)
        {
            return new InfrastructureFailed(runId, RunErrorCategory.Unknown, "The run failed without an error object.", true, null, null);
        }
        var retryable = error.Category == RunErrorCategory.SystemFailure || error.Category == RunErrorCategory.Unknown;
        TimeSpan? retryAfter = error.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        return new InfrastructureFailed(runId, error.Category, error.Message, retryable, retryAfter, error.HelpUrl);
    }

    // The documented goal-failure shape is {"status":"failure","reason":"..."} inside a COMPLETED run.
    private static bool TryReadGoalFailure(JsonElement? result, out string reason)
    {
        reason = "";
        if (result is not { ValueKind: JsonValueKind.Object } value) return false;
        if (!value.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String) return false;
        if (!string.Equals(status.GetString(), "failure", StringComparison.OrdinalIgnoreCase)) return false;
        reason = value.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String
            ? r.GetString() ?? ""
            : "The goal failed without a reason.";
        return true;
    }
}
