using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stj;

// What most people write without a generator: DTOs, a source-generated JsonSerializerContext and
// System.Net.Http.Json's GetFromJsonAsync/PostAsJsonAsync.
public sealed record Run(
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("goal")] string Goal,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("num_of_steps")] int? NumOfSteps,
    [property: JsonPropertyName("result")] JsonElement? Result,
    [property: JsonPropertyName("error")] RunError? Error,
    [property: JsonPropertyName("streaming_url")] Uri? StreamingUrl,
    [property: JsonPropertyName("streamingUrl")] Uri? StreamingUrlAlias,
    [property: JsonPropertyName("browser_config")] BrowserConfig? BrowserConfig,
    [property: JsonPropertyName("video_url")] Uri? VideoUrl,
    [property: JsonPropertyName("steps")] List<RunStep>? Steps,
    [property: JsonPropertyName("profile_attached")] bool? ProfileAttached,
    [property: JsonPropertyName("profile_id")] string? ProfileId);

public sealed record RunStep(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("purpose")] string? Purpose,
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("screenshot")] string? Screenshot);

public sealed record RunError(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("retry_after")] int? RetryAfter,
    [property: JsonPropertyName("help_url")] Uri? HelpUrl,
    [property: JsonPropertyName("help_message")] string? HelpMessage);

public sealed record BrowserConfig(
    [property: JsonPropertyName("proxy_enabled")] bool ProxyEnabled,
    [property: JsonPropertyName("proxy_country_code")] string? ProxyCountryCode);

public sealed record Pagination(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("next_cursor")] string? NextCursor,
    [property: JsonPropertyName("has_more")] bool HasMore);

public sealed record ListRunsResponse(
    [property: JsonPropertyName("data")] List<Run> Data,
    [property: JsonPropertyName("pagination")] Pagination Pagination);

public sealed record QueueRunResponse(
    [property: JsonPropertyName("run_id")] string? RunId,
    [property: JsonPropertyName("error")] RunError? Error);

public sealed record RunRequest(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("goal")] string Goal);

/// <summary>Every field any of the five event kinds carries; <c>type</c> says which.</summary>
public sealed record RunEvent(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("run_id")] string? RunId,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("purpose")] string? Purpose,
    [property: JsonPropertyName("streaming_url")] Uri? StreamingUrl,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("result")] JsonElement? Result,
    [property: JsonPropertyName("error")] RunError? Error);

[JsonSerializable(typeof(ListRunsResponse))]
[JsonSerializable(typeof(Run))]
[JsonSerializable(typeof(QueueRunResponse))]
[JsonSerializable(typeof(RunRequest))]
[JsonSerializable(typeof(RunEvent))]
public sealed partial class StjContext : JsonSerializerContext;

public sealed class StjClient(HttpClient http)
{
    public Task<ListRunsResponse?> ListRunsAsync(int limit, CancellationToken cancellationToken = default) =>
        http.GetFromJsonAsync($"/v1/runs?limit={limit}", StjContext.Default.ListRunsResponse, cancellationToken);

    public Task<Run?> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        http.GetFromJsonAsync("/v1/runs/" + Uri.EscapeDataString(runId), StjContext.Default.Run, cancellationToken);

    public async Task<QueueRunResponse?> QueueRunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("/v1/automation/run-async", request, StjContext.Default.RunRequest, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(StjContext.Default.QueueRunResponse, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<RunEvent> StreamRunAsync(RunRequest body, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/automation/run-sse") { Content = JsonContent.Create(body, StjContext.Default.RunRequest) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in SseParser.Create(stream, static (_, data) => JsonSerializer.Deserialize(data, StjContext.Default.RunEvent)!).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            yield return item.Data;
    }
}
