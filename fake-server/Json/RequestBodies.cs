using System.Text.Json;
using System.Text.RegularExpressions;
using TinyFish.FakeServer.Runs;

namespace TinyFish.FakeServer.Json;

/// <summary>
/// Parses request bodies (what no schema can say: text, depth, duplicates) and reads what the fake keeps
/// from bodies the spec's rules accepted.
/// </summary>
internal static partial class RequestBodies
{
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

    /// <summary>
    /// What the fake keeps of a run request the spec's rules accepted (<see cref="SelfChecking.SpecRequestRules"/>);
    /// null, with a problem recorded, only when the spec was changed to let through a request without
    /// the <c>url</c> or <c>goal</c> a run needs.
    /// </summary>
    public static RunRequestData? RunRequestOf(JsonElement body, string path, ValidationErrors errors)
    {
        var url = String(body, "url");
        var goal = String(body, "goal");
        if (url is null) errors.Add(Field(path, "url"), "url is required to make a run");
        if (goal is null) errors.Add(Field(path, "goal"), "goal is required to make a run");
        if (url is null || goal is null) return null;
        var proxy = Property(body, "proxy_config", JsonValueKind.Object);
        var proxyEnabled = proxy is { } config && Property(config, "enabled", JsonValueKind.True) is not null;
        var country = proxyEnabled ? String(proxy!.Value, "country_code") : null;
        var outputSchema = Property(body, "output_schema", JsonValueKind.Object)?.Clone();
        var profileId = String(body, "profile_id");
        var useProfile = Property(body, "use_profile", JsonValueKind.True) is not null;
        return new RunRequestData(url, goal, proxyEnabled, country, outputSchema, useProfile || profileId is not null, profileId);
    }

    /// <summary>The run requests of a run-batch body the spec's rules accepted; null when one cannot make a run.</summary>
    public static IReadOnlyList<RunRequestData>? BatchOf(JsonElement body, ValidationErrors errors)
    {
        var items = Property(body, "runs", JsonValueKind.Array) is { } runs ? runs.EnumerateArray().ToList() : [];
        var requests = new List<RunRequestData>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (RunRequestOf(items[i], $"runs[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}]", errors) is { } request) requests.Add(request);
        }
        return errors.Any ? null : requests;
    }

    /// <summary>
    /// The <c>run_ids</c> of a batch get/cancel body the spec's rules accepted, each also checked by
    /// hand against the id pattern (the spec's <c>$</c> lets a final newline through); null when one fails.
    /// </summary>
    public static IReadOnlyList<string>? RunIdsOf(JsonElement body, ValidationErrors errors)
    {
        var items = Property(body, "run_ids", JsonValueKind.Array) is { } list ? list.EnumerateArray().ToList() : [];
        var ids = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"run_ids[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
            if (items[i].ValueKind == JsonValueKind.String && items[i].GetString() is { } id && RunIdPattern().IsMatch(id)) ids.Add(id);
            else if (!errors.Has(field)) errors.Add(field, RunIdRule);
        }
        return errors.Any ? null : ids;
    }

    /// <summary>What a run id must be, as errors say it.</summary>
    public const string RunIdRule = "must match ^[A-Za-z0-9_-]+$ (letters, digits, '_' and '-' only, nothing after)";

    private static string Field(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static JsonElement? Property(JsonElement element, string name, JsonValueKind kind) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == kind ? value : null;

    private static string? String(JsonElement element, string name) => Property(element, name, JsonValueKind.String)?.GetString();
}
