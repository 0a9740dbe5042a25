using System.Text.Json;
using Microsoft.OpenApi.YamlReader;
using SharpYaml.Serialization;

namespace TinyFish.FakeServer.SelfChecking;

/// <summary>
/// The spec the fake implements — <c>openapi/tinyfish-runs.openapi.yaml</c>, embedded in this assembly
/// from the repository's one copy — as a JSON document, with its operations and their responses.
/// </summary>
internal sealed class OpenApiSpec
{
    /// <summary>The manifest name of the embedded spec.</summary>
    public const string ResourceName = "TinyFish.FakeServer.tinyfish-runs.openapi.yaml";

    /// <summary>The base URI the document is registered under, so <c>#/components/...</c> references resolve in it.</summary>
    public static readonly Uri BaseUri = new("https://fake.tinyfish.invalid/openapi/tinyfish-runs.openapi.json");

    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private static readonly Lazy<OpenApiSpec> EmbeddedSpec = new(() => Parse(ReadEmbedded()), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly JsonDocument _document;

    private OpenApiSpec(JsonDocument document, IReadOnlyList<SpecOperation> operations)
    {
        _document = document;
        Operations = operations;
    }

    /// <summary>The embedded spec, read and converted once per process.</summary>
    public static OpenApiSpec Embedded => EmbeddedSpec.Value;

    /// <summary>The whole document as JSON.</summary>
    public JsonElement Root => _document.RootElement;

    /// <summary>Every (method, path template) of the spec, in document order.</summary>
    public IReadOnlyList<SpecOperation> Operations { get; }

    /// <summary>Converts YAML (or JSON, which is YAML) text to the document and reads its operations.</summary>
    public static OpenApiSpec Parse(string yamlText)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(yamlText));
        if (yaml.Documents.Count != 1) throw new InvalidDataException($"The spec must be one YAML document, not {yaml.Documents.Count}.");
        var document = JsonDocument.Parse(yaml.Documents[0].ToJsonNode().ToJsonString());
        var operations = new List<SpecOperation>();
        if (document.RootElement.TryGetProperty("paths", out var paths))
        {
            foreach (var path in paths.EnumerateObject())
            {
                foreach (var method in Methods)
                {
                    if (!path.Value.TryGetProperty(method, out var operation)) continue;
                    var id = operation.TryGetProperty("operationId", out var operationId) ? operationId.GetString() : null;
                    var tags = operation.TryGetProperty("tags", out var tagList) ? tagList.EnumerateArray().Select(static tag => tag.GetString() ?? "").ToArray() : [];
                    operations.Add(new SpecOperation(method.ToUpperInvariant(), path.Name, id ?? $"{method} {path.Name}", tags, Pointer.Of("paths", path.Name, method)));
                }
            }
        }
        return new OpenApiSpec(document, operations);
    }

    /// <summary>
    /// The operation a request reaches, matched like the router does: literal segments ignore case,
    /// a <c>{parameter}</c> takes one non-empty segment, a trailing slash is ignored, and the template
    /// with more literal segments wins (<c>/v1/runs/batch/cancel</c> over <c>/v1/runs/{id}/cancel</c>).
    /// </summary>
    public SpecOperation? Find(string method, string path)
    {
        var segments = Segments(path);
        SpecOperation? best = null;
        var bestLiterals = -1;
        foreach (var operation in Operations)
        {
            if (!string.Equals(operation.Method, method, StringComparison.OrdinalIgnoreCase)) continue;
            var template = operation.Segments;
            if (template.Length != segments.Length) continue;
            var literals = 0;
            var matches = true;
            for (var i = 0; i < template.Length && matches; i++)
            {
                if (template[i].StartsWith('{') && template[i].EndsWith('}')) matches = segments[i].Length > 0;
                else if (string.Equals(template[i], segments[i], StringComparison.OrdinalIgnoreCase)) literals++;
                else matches = false;
            }
            if (matches && literals > bestLiterals)
            {
                best = operation;
                bestLiterals = literals;
            }
        }
        return best;
    }

    /// <summary>The documented response of <paramref name="operation"/> for <paramref name="status"/> (exact code, then <c>4XX</c>, then <c>default</c>), references followed.</summary>
    public SpecResponse? Response(SpecOperation operation, int status)
    {
        var responses = Resolve(Pointer.Append(operation.Pointer, "responses"));
        if (responses is not { } found) return null;
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var key in new[] { code, $"{code[0]}XX", $"{code[0]}xx", "default" })
        {
            if (!found.Element.TryGetProperty(key, out _)) continue;
            var response = Resolve(Pointer.Append(found.Pointer, key))!.Value;
            var content = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (response.Element.TryGetProperty("content", out var media))
            {
                foreach (var type in media.EnumerateObject())
                {
                    content[type.Name] = type.Value.TryGetProperty("schema", out _) ? Pointer.Append(response.Pointer, "content", type.Name, "schema") : null;
                }
            }
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (response.Element.TryGetProperty("headers", out var headerMap))
            {
                foreach (var header in headerMap.EnumerateObject())
                {
                    var resolved = Resolve(Pointer.Append(response.Pointer, "headers", header.Name))!.Value;
                    if (resolved.Element.TryGetProperty("schema", out _)) headers[header.Name] = Pointer.Append(resolved.Pointer, "schema");
                }
            }
            return new SpecResponse(key, content, headers);
        }
        return null;
    }

    /// <summary>The codes documented for <paramref name="operation"/>, for messages.</summary>
    public IReadOnlyList<string> DocumentedStatuses(SpecOperation operation) =>
        Resolve(Pointer.Append(operation.Pointer, "responses")) is { } responses ? [.. responses.Element.EnumerateObject().Select(static property => property.Name)] : [];

    /// <summary>The value at a JSON Pointer of the document, following local <c>$ref</c>s of non-schema objects.</summary>
    public (JsonElement Element, string Pointer)? Resolve(string pointer)
    {
        for (var hops = 0; hops < 16; hops++)
        {
            if (Pointer.Find(Root, pointer) is not { } element) return null;
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("$ref", out var reference)
                || reference.GetString() is not { } target
                || !target.StartsWith('#'))
            {
                return (element, pointer);
            }
            pointer = Uri.UnescapeDataString(target[1..]);
        }
        throw new InvalidDataException($"Too many $ref hops from {pointer}.");
    }

    internal static string[] Segments(string path)
    {
        var trimmed = path.Length > 1 && path.EndsWith('/') ? path[..^1] : path;
        return trimmed.TrimStart('/').Split('/');
    }

    private static string ReadEmbedded()
    {
        using var stream = typeof(OpenApiSpec).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The spec is not embedded as {ResourceName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>One operation of the spec.</summary>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="PathTemplate">The path as the spec writes it, e.g. <c>/v1/runs/{id}</c>.</param>
/// <param name="OperationId">The <c>operationId</c>.</param>
/// <param name="Tags">The operation's tags.</param>
/// <param name="Pointer">Where the operation object sits in the document (a JSON Pointer).</param>
internal sealed record SpecOperation(string Method, string PathTemplate, string OperationId, IReadOnlyList<string> Tags, string Pointer)
{
    public string[] Segments { get; } = OpenApiSpec.Segments(PathTemplate);

    public override string ToString() => $"{Method} {PathTemplate} ({OperationId})";
}

/// <summary>A documented response: the key it was found under, its media types (→ schema pointer, or null), its headers (→ schema pointer).</summary>
internal sealed record SpecResponse(string Key, IReadOnlyDictionary<string, string?> Content, IReadOnlyDictionary<string, string> HeaderSchemas);

/// <summary>JSON Pointer (RFC 6901) helpers over the document.</summary>
internal static class Pointer
{
    public static string Of(params string[] segments) => string.Concat(segments.Select(static segment => "/" + Escape(segment)));

    public static string Append(string pointer, params string[] segments) => pointer + Of(segments);

    public static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Unescape(string segment) => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    /// <summary>The pointer as a URI fragment (percent-encoded), for <c>$ref</c>.</summary>
    public static string ToFragment(string pointer) =>
        "#" + string.Concat(pointer.Split('/').Skip(1).Select(static segment => "/" + Uri.EscapeDataString(segment)));

    public static JsonElement? Find(JsonElement root, string pointer)
    {
        if (pointer.Length == 0) return root;
        var current = root;
        foreach (var raw in pointer.Split('/').Skip(1))
        {
            var segment = Unescape(raw);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child)) current = child;
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength()) current = current[index];
            else return null;
        }
        return current;
    }
}
