using System.Text.Json;

namespace HandWritten;

// The same shapes the generated client reads (required keys, nullable where the spec says), so the
// limit does the same work: every property the spec declares decoded (the steps' action, url and
// screenshot and the deprecated streamingUrl alias included), results kept as JsonElement, URLs as Uri.
public sealed class Run
{
    public required string RunId { get; init; }
    public required string Status { get; init; }
    public required string Goal { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int? NumOfSteps { get; init; }
    public JsonElement? Result { get; init; }
    public RunError? Error { get; init; }
    public Uri? StreamingUrl { get; init; }
    public Uri? StreamingUrlAlias { get; init; }
    public BrowserConfig? BrowserConfig { get; init; }
    public Uri? VideoUrl { get; init; }
    public List<RunStep>? Steps { get; init; }
    public bool? ProfileAttached { get; init; }
    public string? ProfileId { get; init; }
}

public sealed class RunStep
{
    public required string Id { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public string? Purpose { get; init; }
    public string? Action { get; init; }
    public string? Url { get; init; }
    public string? Screenshot { get; init; }
}

public sealed class RunError
{
    public string? Code { get; init; }
    public required string Message { get; init; }
    public required string Category { get; init; }
    public int? RetryAfter { get; init; }
    public Uri? HelpUrl { get; init; }
    public string? HelpMessage { get; init; }
}

public sealed class BrowserConfig
{
    public bool ProxyEnabled { get; init; }
    public string? ProxyCountryCode { get; init; }
}

public sealed class ListRunsResponse
{
    public required List<Run> Data { get; init; }
    public required int Total { get; init; }
    public string? NextCursor { get; init; }
    public bool HasMore { get; init; }
}

public sealed class QueueRunResponse
{
    public string? RunId { get; init; }
    public RunError? Error { get; init; }
}

/// <summary>One event of the stream: its type and the fields any of the five kinds carries.</summary>
public sealed class RunEvent
{
    public required string Type { get; init; }
    public string? RunId { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    public string? Purpose { get; init; }
    public Uri? StreamingUrl { get; init; }
    public string? Status { get; init; }
    public JsonElement? Result { get; init; }
    public RunError? Error { get; init; }
}
