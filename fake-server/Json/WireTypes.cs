using System.Text.Json;
using System.Text.Json.Serialization;

namespace TinyFish.FakeServer.Json;

// The fake's own wire shapes, written from the reference and the spec — deliberately not the
// generated client's types, so a generator bug cannot hide behind a matching fake bug. Keys that
// the API always sends are plain properties (written even when null); keys it may leave out carry
// JsonIgnore(WhenWritingNull). Instants are UTC DateTimes so they serialize as "...Z".

internal sealed record ErrorEnvelope(ErrorBody Error);

internal sealed record ErrorBody(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ErrorDetail>? Details);

internal sealed record ErrorDetail(string Field, string Message);

internal sealed record RunErrorDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code,
    string Message,
    string Category,
    int? RetryAfter,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HelpUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HelpMessage);

internal sealed record BrowserConfigDto(bool ProxyEnabled, string? ProxyCountryCode);

internal sealed record RunStepDto(string Id, DateTime Timestamp, string? Purpose, string? Action, string? Url, string? Screenshot);

internal sealed class RunDto
{
    public required string RunId { get; init; }
    public required string Status { get; init; }
    public required string Goal { get; init; }
    public required DateTime CreatedAt { get; init; }
    public required DateTime? StartedAt { get; init; }
    public required DateTime? FinishedAt { get; init; }
    public required int? NumOfSteps { get; init; }
    public required JsonElement? Result { get; init; }
    public required RunErrorDto? Error { get; init; }
    public required string? StreamingUrl { get; init; }
    public required BrowserConfigDto? BrowserConfig { get; init; }
    public required string? VideoUrl { get; init; }
    public required IReadOnlyList<RunStepDto> Steps { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? OutputSchema { get; init; }

    public required bool ProfileAttached { get; init; }
    public required string? ProfileId { get; init; }

    /// <summary>Carries the deprecated <c>streamingUrl</c> alias when the fake is set to send it.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class SyncRunResponseDto
{
    public required string? RunId { get; init; }
    public required string Status { get; init; }
    public required DateTime? StartedAt { get; init; }
    public required DateTime? FinishedAt { get; init; }
    public required int? NumOfSteps { get; init; }
    public required JsonElement? Result { get; init; }
    public required RunErrorDto? Error { get; init; }
}

internal sealed record QueueRunResponseDto(string? RunId, RunErrorDto? Error);

internal sealed record BatchRunResponseDto(IReadOnlyList<string>? RunIds, RunErrorDto? Error);

internal sealed record PaginationDto(int Total, string? NextCursor, bool HasMore);

internal sealed record ListRunsResponseDto(IReadOnlyList<RunDto> Data, PaginationDto Pagination);

internal sealed record CancelRunResponseDto(string RunId, string Status, DateTime? CancelledAt, string? Message);

internal sealed record BatchGetRunsResponseDto(IReadOnlyList<RunDto> Data, IReadOnlyList<string>? NotFound);

internal sealed record BatchCancelRunsResponseDto(IReadOnlyList<CancelRunResponseDto> Results, IReadOnlyList<string>? NotFound);

/// <summary>The JSON inside a list cursor, before it is signed (keys as in the reference's example).</summary>
internal sealed record CursorPayload(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("createdAt")] DateTime CreatedAt,
    [property: JsonPropertyName("dir")] string Direction);

/// <summary>The answer of <c>GET /_fake/journal</c> (the fake's own route, not the API's).</summary>
internal sealed record JournalDto(IReadOnlyList<JournalEntryDto> Entries);

/// <summary>One <see cref="Journal.JournalEntry"/> on the wire.</summary>
internal sealed record JournalEntryDto(
    long Sequence,
    DateTime ReceivedAt,
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    long BodyBytes,
    bool BodyTruncated,
    int? StatusCode);
