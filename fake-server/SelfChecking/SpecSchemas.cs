using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace TinyFish.FakeServer.SelfChecking;

/// <summary>
/// The JSON Schemas of the spec (OpenAPI 3.1 schemas are JSON Schema 2020-12), evaluated with
/// JsonSchema.Net. The document is registered under <see cref="OpenApiSpec.BaseUri"/>, so a schema is
/// built as a <c>$ref</c> to its place in the document and its own <c>#/components/schemas/...</c>
/// references resolve there. Each schema is built once, on first use; evaluation is thread-safe.
/// </summary>
/// <remarks>
/// What makes it cheap enough to leave on: a JSON text found valid is remembered by its bytes
/// (<see cref="KnownValidJson"/>), and a schema whose array properties hold <c>$ref</c> items (a page
/// of runs) is checked as its shell plus each item, so a page of runs already seen costs lookups.
/// Only a valid answer takes the short way: anything else is evaluated whole, as before, for the
/// same violations in the same words.
/// </remarks>
internal sealed class SpecSchemas
{
    private const int MaxErrors = 20;

    private static readonly Lazy<SpecSchemas> EmbeddedSchemas = new(() => new SpecSchemas(OpenApiSpec.Embedded), LazyThreadSafetyMode.ExecutionAndPublication);

    // Flag output answers "valid?" cheaply; only a failure is evaluated again for its details.
    private static readonly EvaluationOptions Quick = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };
    private static readonly EvaluationOptions Detailed = new() { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };

    private readonly BuildOptions _build;
    private readonly ConcurrentDictionary<string, Lazy<JsonSchema>> _schemas = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Shortcut>> _shortcuts = new(StringComparer.Ordinal);
    private int _built;

    public SpecSchemas(OpenApiSpec spec)
    {
        Spec = spec;
        var registry = new SchemaRegistry();
        registry.Register(OpenApiSpec.BaseUri, new JsonElementBaseDocument(spec.Root, OpenApiSpec.BaseUri));
        _build = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 };
    }

    /// <summary>The schemas of the embedded spec.</summary>
    public static SpecSchemas Embedded => EmbeddedSchemas.Value;

    public OpenApiSpec Spec { get; }

    /// <summary>The problems of <paramref name="instance"/> against the schema at <paramref name="schemaPointer"/>; empty when it conforms.</summary>
    public IReadOnlyList<SelfCheckError> Validate(string schemaPointer, JsonElement instance)
    {
        if (IsValid(schemaPointer, instance)) return [];
        var schema = SchemaAt(schemaPointer);
        var errors = new List<SelfCheckError>();
        Collect(schema.Evaluate(instance, Detailed), instance, errors);
        if (errors.Count == 0) errors.Add(new SelfCheckError("$", "schema", "does not match", SchemaLocation(schemaPointer)));
        return errors;
    }

    private JsonSchema SchemaAt(string pointer) =>
        _schemas.GetOrAdd(pointer, static (pointer, self) => new Lazy<JsonSchema>(() => self.Build(pointer), LazyThreadSafetyMode.ExecutionAndPublication), this).Value;

    /// <summary>Whether <paramref name="instance"/> conforms, the short way when it can (see the remarks).</summary>
    private bool IsValid(string pointer, JsonElement instance)
    {
        var shortcut = _shortcuts.GetOrAdd(pointer, static (pointer, self) => new Lazy<Shortcut>(() => self.ShortcutFor(pointer), LazyThreadSafetyMode.ExecutionAndPublication), this).Value;
        var json = JsonMarshal.GetRawUtf8Value(instance);
        if (shortcut.Known.Contains(json)) return true;
        var valid = shortcut.Shell is { } shell
            ? shell.Evaluate(instance, Quick).IsValid && shortcut.Arrays.All(array => ItemsAreValid(instance, array))
            : SchemaAt(pointer).Evaluate(instance, Quick).IsValid;
        if (valid) shortcut.Known.Add(json);
        return valid;
    }

    private bool ItemsAreValid(JsonElement instance, (string Property, string ItemPointer) array)
    {
        if (instance.ValueKind != JsonValueKind.Object || !instance.TryGetProperty(array.Property, out var items) || items.ValueKind != JsonValueKind.Array) return true;
        foreach (var item in items.EnumerateArray())
        {
            if (!IsValid(array.ItemPointer, item)) return false;
        }
        return true;
    }

    /// <summary>
    /// For an object schema (behind any <c>$ref</c>s) with array properties of <c>$ref</c> items: the
    /// schema with those items left free (its shell), to be checked with each item against its own
    /// schema. Valid whole ⇔ shell valid and every item valid, as nothing else in the shell looks into the items.
    /// </summary>
    private Shortcut ShortcutFor(string pointer)
    {
        var target = pointer;
        var schema = Pointer.Find(Spec.Root, target);
        for (var hops = 0; hops < 16 && schema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("$ref", out var next) && LocalPointer(next) is { } referenced; hops++)
        {
            target = referenced;
            schema = Pointer.Find(Spec.Root, target);
        }
        if (schema is not { ValueKind: JsonValueKind.Object } resolved || !resolved.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
            return new Shortcut(null, []);
        var arrays = new List<(string, string)>();
        foreach (var property in properties.EnumerateObject())
        {
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "array"
                && value.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object && items.TryGetProperty("$ref", out var itemRef) && LocalPointer(itemRef) is { } itemPointer
                && !value.TryGetProperty("prefixItems", out _) && !value.TryGetProperty("contains", out _) && !value.TryGetProperty("unevaluatedItems", out _))
            {
                arrays.Add((property.Name, itemPointer));
            }
        }
        if (arrays.Count == 0) return new Shortcut(null, []);
        var shell = JsonNode.Parse(resolved.GetRawText())!.AsObject();
        foreach (var (property, _) in arrays) shell["properties"]![property]!["items"] = true;
        AbsoluteReferences(shell);
        using var document = JsonDocument.Parse(shell.ToJsonString());
        var id = new Uri($"https://fake.tinyfish.invalid/self-check/shell/{Interlocked.Increment(ref _built).ToString(CultureInfo.InvariantCulture)}");
        return new Shortcut(JsonSchema.Build(document.RootElement.Clone(), _build, id), arrays);
    }

    private static string? LocalPointer(JsonElement reference) =>
        reference.ValueKind == JsonValueKind.String && reference.GetString() is { } text && text.StartsWith('#') ? Uri.UnescapeDataString(text[1..]) : null;

    /// <summary>The shell is its own document: its <c>#/...</c> references must point into the spec instead.</summary>
    private static void AbsoluteReferences(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (name == "$ref" && child is JsonValue value && value.TryGetValue<string>(out var text) && text.StartsWith('#'))
                        obj[name] = OpenApiSpec.BaseUri + text;
                    else
                        AbsoluteReferences(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array) AbsoluteReferences(child);
                break;
        }
    }

    private sealed record Shortcut(JsonSchema? Shell, IReadOnlyList<(string Property, string ItemPointer)> Arrays)
    {
        public KnownValidJson Known { get; } = new();
    }

    private JsonSchema Build(string pointer)
    {
        var reference = new JsonObject { ["$ref"] = OpenApiSpec.BaseUri + Pointer.ToFragment(pointer) };
        using var document = JsonDocument.Parse(reference.ToJsonString());
        var id = new Uri($"https://fake.tinyfish.invalid/self-check/{Interlocked.Increment(ref _built).ToString(CultureInfo.InvariantCulture)}");
        return JsonSchema.Build(document.RootElement.Clone(), _build, id);
    }

    /// <summary>
    /// The failed leaves of the evaluation tree. Where a <c>oneOf</c>/<c>anyOf</c> failed, the branches
    /// that were never meant for the value (a <c>type</c> mismatch at its root — the <c>null</c> branch of
    /// a nullable object — or another value of the discriminator) are left out, so the message names
    /// the rule the value actually broke; if every branch is like that, all are reported.
    /// </summary>
    private void Collect(EvaluationResults node, JsonElement instance, List<SelfCheckError> errors)
    {
        if (node.IsValid || errors.Count >= MaxErrors) return;
        if (node.Errors is { Count: > 0 } own)
        {
            foreach (var (keyword, message) in own)
            {
                if (errors.Count < MaxErrors) errors.Add(new SelfCheckError(JsonPath(node.InstanceLocation.ToString()), keyword, message, SchemaLocation(node.SchemaLocation)));
            }
        }
        var failing = (node.Details ?? []).Where(static child => !child.IsValid).ToList();
        var branches = failing.Where(IsBranch).ToList();
        var chosen = branches.Where(branch => !IsWrongBranch(node, branch, instance)).ToList();
        foreach (var child in failing)
        {
            if (IsBranch(child) && chosen.Count > 0 && !chosen.Contains(child)) continue;
            Collect(child, instance, errors);
        }
    }

    private static bool IsBranch(EvaluationResults child)
    {
        var path = child.EvaluationPath.ToString();
        var last = path.LastIndexOf('/');
        if (last <= 0) return false;
        var parent = path[..last];
        return parent.EndsWith("/oneOf", StringComparison.Ordinal) || parent.EndsWith("/anyOf", StringComparison.Ordinal);
    }

    private bool IsWrongBranch(EvaluationResults parent, EvaluationResults branch, JsonElement instance)
    {
        var at = branch.InstanceLocation.ToString();
        var leaves = new List<(string At, string Keyword)>();
        Leaves(branch, leaves);
        if (leaves.Count > 0 && leaves.All(leaf => leaf.Keyword == "type" && leaf.At == at)) return true;
        // OpenAPI's discriminator is not JSON Schema, but it says which branch a value is meant for.
        if (Discriminator(parent.SchemaLocation) is { } property
            && Pointer.Find(instance, at + "/" + Pointer.Escape(property)) is { ValueKind: JsonValueKind.String })
        {
            var discriminatorAt = at + "/" + Pointer.Escape(property);
            return leaves.Any(leaf => leaf.At == discriminatorAt && leaf.Keyword is "const" or "enum");
        }
        return false;
    }

    private static void Leaves(EvaluationResults node, List<(string, string)> leaves)
    {
        if (node.IsValid) return;
        if (node.Errors is { } own)
        {
            foreach (var keyword in own.Keys) leaves.Add((node.InstanceLocation.ToString(), keyword));
        }
        foreach (var child in node.Details ?? []) Leaves(child, leaves);
    }

    private string? Discriminator(Uri schemaLocation)
    {
        if (!string.Equals(schemaLocation.GetLeftPart(UriPartial.Query), OpenApiSpec.BaseUri.ToString(), StringComparison.Ordinal)) return null;
        var pointer = Uri.UnescapeDataString(schemaLocation.Fragment.TrimStart('#'));
        return Pointer.Find(Spec.Root, pointer) is { ValueKind: JsonValueKind.Object } schema
            && schema.TryGetProperty("discriminator", out var discriminator)
            && discriminator.TryGetProperty("propertyName", out var name)
            ? name.GetString()
            : null;
    }

    private static string SchemaLocation(Uri location) =>
        string.Equals(location.GetLeftPart(UriPartial.Query), OpenApiSpec.BaseUri.ToString(), StringComparison.Ordinal)
            ? "#" + Uri.UnescapeDataString(location.Fragment.TrimStart('#'))
            : location.ToString();

    private static string SchemaLocation(string pointer) => "#" + pointer;

    /// <summary>A JSON Pointer as a JSONPath (<c>/data/0/result</c> → <c>$.data[0].result</c>).</summary>
    internal static string JsonPath(string pointer)
    {
        var path = new StringBuilder("$");
        foreach (var raw in pointer.Split('/').Skip(1))
        {
            var segment = Pointer.Unescape(raw);
            if (segment.Length > 0 && segment.All(char.IsAsciiDigit)) path.Append('[').Append(segment).Append(']');
            else if (segment.Length > 0 && segment.All(static c => char.IsAsciiLetterOrDigit(c) || c == '_')) path.Append('.').Append(segment);
            else path.Append("['").Append(segment.Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
        }
        return path.ToString();
    }
}
