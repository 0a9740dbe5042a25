using System.Text.Json;
using System.Text.RegularExpressions;
using TinyFish.FakeServer.Runs;

namespace TinyFish.FakeServer.Json;

/// <summary>Reads and validates the request bodies of the API, all problems at once.</summary>
internal static partial class RequestBodies
{
    public const int MaxBatchSize = 100;

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = JsonText.MaxDepth,
    };

    // \z, not $: in .NET, $ also matches before a final newline, so "abc\n" would pass.
    [GeneratedRegex(@"^[A-Za-z0-9_-]+\z", RegexOptions.CultureInvariant)]
    public static partial Regex RunIdPattern();

    /// <summary>Parses <paramref name="body"/> as one JSON document, or records why it is not one.</summary>
    public static JsonDocument? Parse(ReadOnlyMemory<byte> body, ValidationErrors errors)
    {
        if (body.IsEmpty)
        {
            errors.Add("body", "a JSON request body is required");
            return null;
        }
        // JSON is UTF-8 (RFC 8259), but JsonDocument checks a string's encoding only when it is read,
        // which would throw deep inside validation (a 500): refuse the body up front instead.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            errors.Add("body", "is not valid UTF-8");
            return null;
        }
        if (body.Span.StartsWith(Utf8ByteOrderMark))
        {
            errors.Add("body", "must not start with a byte order mark (RFC 8259 §8.1: JSON sent over a network has none)");
            return null;
        }
        // Valid JSON text, but a string no answer could write back: refused here, never stored. Before
        // parsing, because the duplicate-key check decodes every property name and would throw on one.
        if (JsonText.FindLoneSurrogate(body.Span) is { } field)
        {
            errors.Add(field, "holds a lone UTF-16 surrogate escape (e.g. \\ud800 without its pair), which is not text");
            return null;
        }
        try
        {
            return JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException exception)
        {
            errors.Add("body", $"is not valid JSON: {exception.Message}");
            return null;
        }
    }

    public static RunRequestData? ReadRunRequest(JsonElement element, string path, ValidationErrors errors, bool rejectUnknown)
    {
        var body = JsonObjectReader.For(element, path, errors);
        if (body is null) return null;
        var url = body.String("url", required: true);
        if (url is not null && !IsHttpUrl(url)) body.Error("url", "must be an absolute http or https URL");
        var goal = body.String("goal", required: true);
        if (goal is { Length: 0 }) body.Error("goal", "goal must not be empty");
        body.Enum("browser_profile", "lite", "stealth");
        var (proxyEnabled, proxyCountry) = ReadProxy(body.Object("proxy_config"), rejectUnknown);
        var outputSchema = body.RawObject("output_schema");
        if (body.Object("agent_config") is { } agent)
        {
            agent.Enum("mode", "default", "strict");
            agent.Integer("max_steps", 1, 500);
            agent.Integer("max_duration_seconds", 1, int.MaxValue);
            if (rejectUnknown) agent.RejectUnknown();
        }
        if (body.Object("capture_config") is { } capture)
        {
            capture.Boolean("elements");
            capture.Boolean("snapshots");
            capture.Boolean("screenshots");
            capture.Boolean("recording");
            if (rejectUnknown) capture.RejectUnknown();
        }
        if (body.String("webhook_url") is { } webhook && !(Uri.TryCreate(webhook, UriKind.Absolute, out var hook) && hook.Scheme == Uri.UriSchemeHttps))
        {
            body.Error("webhook_url", "must be an absolute https URL");
        }
        var useProfile = body.Boolean("use_profile");
        var profileId = body.String("profile_id");
        body.Boolean("use_vault");
        if (body.Array("credential_item_ids", 0, int.MaxValue, required: false) is { } credentials)
        {
            for (var i = 0; i < credentials.Count; i++)
            {
                if (credentials[i].ValueKind != JsonValueKind.String) errors.Add($"{body.PathOf("credential_item_ids")}[{i}]", "must be a string");
            }
        }
        body.String("api_integration");
        if (body.Object("feature_flags") is { } flags)
        {
            flags.Boolean("enable_agent_memory");
            if (rejectUnknown) flags.RejectUnknown();
        }
        if (rejectUnknown) body.RejectUnknown();
        if (url is null || goal is not { Length: > 0 }) return null;
        return new RunRequestData(url, goal, proxyEnabled, proxyCountry, outputSchema, useProfile == true || profileId is not null, profileId);
    }

    /// <summary>The <c>runs</c> of a run-batch body; null when any item (or the body) is invalid.</summary>
    public static IReadOnlyList<RunRequestData>? ReadBatch(JsonElement element, ValidationErrors errors, bool rejectUnknown)
    {
        var body = JsonObjectReader.For(element, "", errors);
        var items = body?.Array("runs", 1, MaxBatchSize, required: true);
        if (rejectUnknown) body?.RejectUnknown();
        if (items is null) return null;
        var requests = new List<RunRequestData>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (ReadRunRequest(items[i], $"runs[{i}]", errors, rejectUnknown) is { } request) requests.Add(request);
        }
        return errors.Any ? null : requests;
    }

    /// <summary>The <c>run_ids</c> of a batch get/cancel body.</summary>
    public static IReadOnlyList<string>? ReadRunIds(JsonElement element, ValidationErrors errors, bool rejectUnknown)
    {
        var body = JsonObjectReader.For(element, "", errors);
        var items = body?.Array("run_ids", 1, MaxBatchSize, required: true);
        if (rejectUnknown) body?.RejectUnknown();
        if (items is null) return null;
        var ids = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].ValueKind != JsonValueKind.String) errors.Add($"run_ids[{i}]", "must be a string");
            else if (items[i].GetString() is { } id && RunIdPattern().IsMatch(id)) ids.Add(id);
            else errors.Add($"run_ids[{i}]", "must match ^[A-Za-z0-9_-]+$");
        }
        return errors.Any ? null : ids;
    }

    private static (bool Enabled, string? Country) ReadProxy(JsonObjectReader? proxy, bool rejectUnknown)
    {
        if (proxy is null) return (false, null);
        if (!proxy.TryGet("enabled", out _)) proxy.Error("enabled", "enabled is required");
        var enabled = proxy.Boolean("enabled") ?? false;
        proxy.Enum("type", "tetra", "custom");
        var country = proxy.Enum("country_code", "US", "GB", "CA", "DE", "FR", "JP", "AU");
        proxy.String("url");
        proxy.String("username");
        proxy.String("password");
        if (rejectUnknown) proxy.RejectUnknown();
        return (enabled, enabled ? country : null);
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
