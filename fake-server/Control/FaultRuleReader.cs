using System.Text.Json;
using TinyFish.FakeServer.Faults;
using TinyFish.FakeServer.Json;

namespace TinyFish.FakeServer.Control;

/// <summary>
/// Reads the body of <c>POST /_fake/faults</c>: one fault of <see cref="FakeTinyFish.Faults"/>, over HTTP
/// (see <see cref="ControlRoutes"/>).
/// <code>
/// POST /_fake/faults   {"kind":"rate_limited","retry_after_seconds":7,"count":2,"method":"GET","path":"/v1/runs/*"}
/// DELETE /_fake/faults disarms every fault
/// </code>
/// </summary>
internal static class FaultRuleReader
{
    public const string Path = ControlRoutes.Prefix + "/faults";

    private static readonly string[] Kinds = ["rate_limited", "internal_error", "dropped_connection", "latency", "answer"];

    /// <summary>Reads the whole description first, so a bad one arms nothing; returns what arms it.</summary>
    public static Action? Read(JsonElement body, FaultInjector faults, ValidationErrors errors)
    {
        if (JsonObjectReader.For(body, "", errors) is not { } reader) return null;
        var kind = reader.Enum("kind", Kinds);
        if (kind is null && !errors.Any) reader.Error("kind", $"kind is required: one of {string.Join(", ", Kinds)}");
        var count = reader.Integer("count", 1, 1_000_000) ?? 1;
        var method = reader.String("method");
        var path = reader.String("path");
        if (path is not null && !path.StartsWith('/')) reader.Error("path", "must start with /");
        var retryAfter = kind == "rate_limited" ? reader.Integer("retry_after_seconds", 0, 86_400) ?? 1 : 0;
        var delay = kind == "latency" ? reader.Integer("delay_ms", 0, 86_400_000) : null;
        if (kind == "latency" && delay is null && !errors.Any) reader.Error("delay_ms", "delay_ms is required for latency");
        var status = kind == "answer" ? reader.Integer("status", 200, 599) : null;
        var answer = kind == "answer" ? reader.String("body", required: true) : null;
        if (kind == "answer" && status is null && !errors.Any) reader.Error("status", "status is required for answer");
        reader.RejectUnknown();
        if (errors.Any) return null;

        return () =>
        {
            var rule = faults.NextRequests(count);
            // Routed before armed: an armed rule is live at once.
            if (path is not null) rule.To(method, path);
            else if (method is not null) rule.To(method, "/**");
            _ = kind switch
            {
                "rate_limited" => rule.AreRateLimited(TimeSpan.FromSeconds(retryAfter)),
                "internal_error" => rule.FailWithInternalError(),
                "dropped_connection" => rule.DropTheConnection(),
                "latency" => rule.AreDelayed(TimeSpan.FromMilliseconds(delay!.Value)),
                _ => rule.AnswerWith(status!.Value, answer!),
            };
        };
    }
}
