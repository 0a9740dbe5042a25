using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TinyFish.Toolkit.Runtime;

namespace Runtime.Tests.Support;

/// <summary>A tiny model with a hand-written reader, as generated code would have.</summary>
public sealed record Item(string Id)
{
    public static readonly JsonReadFunc<Item> Read = (ref Utf8JsonReader reader) =>
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Expected an object.");
        string? id = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "id") id = reader.GetString();
            else reader.Skip();
        }
        return new Item(id ?? throw new JsonException("Missing id."));
    };
}

public static class Pipelines
{
    public const string Key = "sk-test-SECRET-9f8e7d6c5b4a";

    public static ApiPipeline Create(ScriptedHandler handler, TimeProvider time, Action<ApiClientOptions>? configure = null, ILoggerFactory? logs = null, ApiErrorConventions? errors = null)
    {
        var options = new ApiClientOptions
        {
            BaseAddress = new Uri("https://api.example.test"),
            ApiKey = Key,
            TimeProvider = time,
            LoggerFactory = logs,
        };
        configure?.Invoke(options);
        return new ApiPipeline(options, ApiCredentialScheme.Header("X-API-Key"), new HttpClient(handler), errors ?? ApiErrorConventions.Default);
    }

    public static ApiRequest GetRun(string id = "run_123") =>
        new ApiRequest(HttpMethod.Get, "/v1/runs/{id}", "getRun", idempotent: true).WithPath("id", id);

    public static ApiRequest CreateRun() =>
        new ApiRequest(HttpMethod.Post, "/v1/automation/run-async", "queueRun", idempotent: false)
            .WithJsonBody("https://example.com", static (w, url) => { w.WriteStartObject(); w.WriteString("url", url); w.WriteEndObject(); });

    public static string Envelope(string code, string message) =>
        JsonSerializer.Serialize(new { error = new { code, message } });

    public static void RetryAfter(HttpResponseMessage response, int seconds) =>
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));

    public static readonly HttpStatusCode TooMany = HttpStatusCode.TooManyRequests;

    /// <summary>Conventions of a made-up API whose failed jobs say <c>"retry_after": seconds</c> in their error object.</summary>
    public static readonly ApiErrorConventions RetryAfterInBody = new()
    {
        ReadRetryAfter = body => body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("retry_after", out var seconds) && seconds.ValueKind == JsonValueKind.Number
                ? TimeSpan.FromSeconds(seconds.GetDouble())
                : null,
    };
}
