using System.Text.Json;
using TinyFish.FakeServer.Json;
using TinyFish.FakeServer.Scenarios;

namespace TinyFish.FakeServer.Control;

/// <summary>
/// Reads the body of <c>POST /_fake/scenarios</c>: one rule of <see cref="FakeTinyFish.Runs"/>, over HTTP
/// (see <see cref="ControlRoutes"/>), in the words of the fluent API:
/// <code>
/// POST /_fake/scenarios   {"goal_contains":"products","fails_goal":"Could not find any products"}
///                         {"url_contains":"flaky","fails_with":{"category":"SYSTEM_FAILURE","message":"Browser crashed","retry_after_seconds":30},"after_seconds":4}
///                         {"nth":3,"never_finishes":true,"progress":["Open the page","Read the price"],"times":1}
/// DELETE /_fake/scenarios removes every rule
/// </code>
/// </summary>
internal static class ScenarioRuleReader
{
    public const string Path = ControlRoutes.Prefix + "/scenarios";

    private static readonly string[] Categories = [.. Enum.GetValues<FailureCategory>().Select(static category => category.ToWire())];

    private sealed record Failure(FailureCategory Category, string Message, TimeSpan? RetryAfter, string? Code, string? HelpUrl);

    /// <summary>Reads the whole rule first, so a bad one adds nothing; returns what adds it.</summary>
    public static Action? Read(JsonElement body, RunScenarios scenarios, ValidationErrors errors)
    {
        if (JsonObjectReader.For(body, "", errors) is not { } reader) return null;
        var goal = reader.String("goal_contains");
        var url = reader.String("url_contains");
        var nth = reader.Integer("nth", 1, int.MaxValue);
        if (new[] { goal is not null, url is not null, nth is not null }.Count(static given => given) > 1)
        {
            reader.Error("body", "give at most one of goal_contains, url_contains, nth (none: any run)");
        }

        var queued = Seconds(reader, "queued_seconds");
        var after = Seconds(reader, "after_seconds");
        var result = reader.RawObject("result");
        var failsGoal = reader.String("fails_goal");
        if (failsGoal is "") reader.Error("fails_goal", "must not be empty");
        var failsWith = ReadFailure(reader.Object("fails_with"), refusal: false);
        var neverFinishes = reader.Boolean("never_finishes") == true;
        var refusedWith = ReadFailure(reader.Object("refused_with"), refusal: true);
        if (new[] { result is not null, failsGoal is not null, failsWith is not null, neverFinishes, refusedWith is not null }.Count(static given => given) > 1)
        {
            reader.Error("body", "give at most one ending: result, fails_goal, fails_with, never_finishes or refused_with");
        }
        if (neverFinishes && after is not null) reader.Error("after_seconds", "a run that never finishes has no end");

        var (progressCount, purposes) = ReadProgress(reader);
        var times = reader.Integer("times", 1, int.MaxValue);
        reader.RejectUnknown();
        if (errors.Any) return null;

        return () =>
        {
            var rule = goal is not null ? scenarios.WhenGoalContains(goal)
                : url is not null ? scenarios.WhenUrlContains(url)
                : nth is not null ? scenarios.WhenNth(nth.Value)
                : scenarios.WhenAny();
            if (queued is { } queuedFor) rule.QueuedFor(queuedFor);
            if (after is { } endsAfter) rule.After(endsAfter);
            if (result is { } completesWith) rule.WithResult(completesWith);
            if (failsGoal is not null) rule.FailsGoal(failsGoal);
            if (failsWith is not null) rule.FailsWith(failsWith.Category, failsWith.Message, failsWith.RetryAfter, failsWith.Code);
            if (neverFinishes) rule.NeverFinishes();
            if (refusedWith is not null) rule.RefusedWith(refusedWith.Category, refusedWith.Message, refusedWith.RetryAfter, refusedWith.HelpUrl);
            if (progressCount is { } count) rule.EmitsProgress(count);
            if (purposes is not null) rule.EmitsProgress(purposes);
            if (times is { } limit) rule.Times(limit);
        };
    }

    private static TimeSpan? Seconds(JsonObjectReader reader, string name) =>
        reader.Integer(name, 0, 30 * 86_400) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    private static Failure? ReadFailure(JsonObjectReader? reader, bool refusal)
    {
        if (reader is null) return null;
        var category = reader.Enum("category", Categories);
        if (!reader.TryGet("category", out _)) reader.Error("category", $"category is required: one of {string.Join(", ", Categories)}");
        var message = reader.String("message", required: true);
        if (message is "") reader.Error("message", "must not be empty");
        var retryAfter = Seconds(reader, "retry_after_seconds");
        var code = refusal ? null : reader.String("code");
        var helpUrl = refusal ? reader.String("help_url") : null;
        if (helpUrl is not null && !Uri.IsWellFormedUriString(helpUrl, UriKind.Absolute)) reader.Error("help_url", "must be an absolute URL");
        reader.RejectUnknown();
        if (category is null || string.IsNullOrEmpty(message)) return null;
        return new Failure(Enum.GetValues<FailureCategory>().Single(value => value.ToWire() == category), message, retryAfter, code, helpUrl);
    }

    private static (int? Count, string[]? Purposes) ReadProgress(JsonObjectReader reader)
    {
        if (!reader.TryGet("progress", out var progress)) return (null, null);
        if (progress.ValueKind == JsonValueKind.Number) return (reader.Integer("progress", 0, 1000), null);
        if (reader.Array("progress", 0, 1000, required: false) is not { } items) return (null, null);
        if (items.Any(static item => item.ValueKind != JsonValueKind.String || item.GetString()!.Length == 0))
        {
            reader.Error("progress", "must be a count or an array of non-empty strings (the steps' purposes)");
            return (null, null);
        }
        return (null, [.. items.Select(static item => item.GetString()!)]);
    }
}
