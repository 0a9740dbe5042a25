using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Json;

namespace TinyFish.FakeServer.SelfChecking;

/// <summary>
/// The request rules of the spec: each operation's query parameters and JSON body, checked against
/// their schemas with the same JsonSchema.Net evaluation the self-check gives answers
/// (<see cref="SpecSchemas"/>). A rule changed in <c>openapi/</c> changes what the fake accepts, with
/// no second edit. Unknown query parameters and body properties (the fake is strict, see
/// <see cref="FakeTinyFishOptions.RejectUnknownFields"/>) are the ones the spec does not name.
/// What a schema cannot say stays in code: UTF-8 and text validity, depth and duplicate keys
/// (<see cref="RequestBodies.Parse"/>), run ids (a pattern's <c>$</c> would let "abc\n" through),
/// cursors and representable instants.
/// </summary>
internal sealed partial class SpecRequestRules
{
    private static readonly Lazy<SpecRequestRules> EmbeddedRules = new(() => new SpecRequestRules(SpecSchemas.Embedded), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly SpecSchemas _schemas;
    private readonly ConcurrentDictionary<SpecOperation, OperationRules> _operations = new();

    public SpecRequestRules(SpecSchemas schemas) => _schemas = schemas;

    /// <summary>The rules of the embedded spec.</summary>
    public static SpecRequestRules Embedded => EmbeddedRules.Value;

    /// <summary>The rules of the operation a request reaches, or null when it reaches none.</summary>
    public OperationRules? For(string method, string path) =>
        _schemas.Spec.Find(method, path) is { } operation ? _operations.GetOrAdd(operation, Read) : null;

    private OperationRules Read(SpecOperation operation)
    {
        var spec = _schemas.Spec;
        var parameters = new List<ParameterRule>();
        // Path-item parameters first, then the operation's (which override by name and place).
        var pathItem = operation.Pointer[..operation.Pointer.LastIndexOf('/')];
        foreach (var owner in new[] { pathItem, operation.Pointer })
        {
            if (spec.Resolve(Pointer.Append(owner, "parameters")) is not { Element.ValueKind: JsonValueKind.Array } list) continue;
            for (var i = 0; i < list.Element.GetArrayLength(); i++)
            {
                var (parameter, at) = spec.Resolve(Pointer.Append(list.Pointer, i.ToString(CultureInfo.InvariantCulture)))!.Value;
                var name = parameter.GetProperty("name").GetString()!;
                var place = parameter.GetProperty("in").GetString()!;
                var required = parameter.TryGetProperty("required", out var flag) && flag.ValueKind == JsonValueKind.True;
                var schema = parameter.TryGetProperty("schema", out _) ? Pointer.Append(at, "schema") : null;
                parameters.RemoveAll(existing => existing.Name == name && existing.In == place);
                parameters.Add(new ParameterRule(name, place, required, schema, schema is null ? null : TypeOf(schema)));
            }
        }
        string? body = null;
        var bodyRequired = false;
        if (spec.Resolve(Pointer.Append(operation.Pointer, "requestBody")) is { } requestBody)
        {
            bodyRequired = requestBody.Element.TryGetProperty("required", out var flag) && flag.ValueKind == JsonValueKind.True;
            if (requestBody.Element.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json) && json.TryGetProperty("schema", out _))
            {
                body = Pointer.Append(requestBody.Pointer, "content", "application/json", "schema");
            }
        }
        return new OperationRules(this, operation, [.. parameters.Where(static parameter => parameter.In == "query")], body, bodyRequired);
    }

    /// <summary>The <c>type</c> a schema (through <c>$ref</c>s) declares, to read a query string as that JSON type.</summary>
    private string? TypeOf(string schemaPointer) =>
        Schema(schemaPointer) is var (schema, _) && schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    /// <summary>Turns the schema's problems into the envelope's details: the field as the client wrote it, the rule and where the spec says it.</summary>
    private void Report(IReadOnlyList<SelfCheckError> problems, string prefix, ValidationErrors errors)
    {
        foreach (var problem in problems)
        {
            var field = Field(problem.Path, prefix);
            if (problem.Rule == "required" && MissingNames(problem.Message) is { Count: > 0 } missing)
            {
                foreach (var name in missing) errors.Add(Join(field, name, prefix), $"{name} is required [{problem.SchemaLocation}/required]");
                continue;
            }
            var rule = problem.Rule == "pattern" && Pointer.Find(_schemas.Spec.Root, problem.SchemaLocation.TrimStart('#') + "/pattern") is { ValueKind: JsonValueKind.String } pattern
                ? $"must match {pattern.GetString()}"
                : problem.Message;
            errors.Add(field, $"{rule} [{problem.SchemaLocation}/{problem.Rule}]");
        }
    }

    /// <summary><c>$.runs[1].goal</c> → <c>runs[1].goal</c>; the root is <paramref name="prefix"/> (a parameter's name) or <c>body</c>.</summary>
    private static string Field(string jsonPath, string prefix)
    {
        var rest = jsonPath.StartsWith('$') ? jsonPath[1..] : jsonPath;
        if (rest.StartsWith('.')) rest = rest[1..];
        return rest.Length == 0 ? (prefix.Length == 0 ? "body" : prefix) : prefix.Length == 0 ? rest : $"{prefix}.{rest}";
    }

    private static string Join(string field, string name, string prefix) =>
        field == "body" && prefix.Length == 0 ? name : $"{field}.{name}";

    /// <summary>The names in JsonSchema.Net's <c>required</c> message: <c>Required properties ["url"] are not present</c>.</summary>
    private static List<string> MissingNames(string message)
    {
        var list = RequiredList().Match(message);
        if (!list.Success) return [];
        try
        {
            return JsonSerializer.Deserialize(list.Value, FakeJsonContext.Wire.StringArray) is { } names ? [.. names] : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    [GeneratedRegex(@"\[.*\]", RegexOptions.CultureInvariant)]
    private static partial Regex RequiredList();

    /// <summary>One query parameter of an operation.</summary>
    internal sealed record ParameterRule(string Name, string In, bool Required, string? Schema, string? Type);

    /// <summary>The rules of one operation.</summary>
    internal sealed class OperationRules(SpecRequestRules rules, SpecOperation operation, IReadOnlyList<ParameterRule> query, string? body, bool bodyRequired)
    {
        public SpecOperation Operation => operation;

        /// <summary>Whether the spec gives the operation a JSON request body.</summary>
        public bool HasBody => body is not null;

        public bool BodyRequired => bodyRequired;

        /// <summary>Checks the query: names the spec knows (when strict), each at most once, each value against its schema.</summary>
        public void ValidateQuery(IQueryCollection values, ValidationErrors errors, bool rejectUnknown)
        {
            foreach (var (name, given) in values)
            {
                var rule = query.FirstOrDefault(parameter => parameter.Name == name);
                if (rule is null)
                {
                    if (rejectUnknown) errors.Add(name, "is not a known query parameter");
                    continue;
                }
                if (given.Count > 1)
                {
                    errors.Add(name, "must be given at most once");
                    continue;
                }
                if (rule.Schema is null) continue;
                using var value = AsJson(given[0] ?? "", rule.Type);
                rules.Report(rules._schemas.Validate(rule.Schema, value.RootElement), name, errors);
            }
            foreach (var missing in query.Where(parameter => parameter.Required && !values.ContainsKey(parameter.Name)))
            {
                errors.Add(missing.Name, $"{missing.Name} is required");
            }
        }

        /// <summary>
        /// Checks the body against the operation's schema, then (when strict) that it holds only
        /// properties the spec names. A property sent as <c>null</c> counts as absent (the fake's
        /// documented leniency: clients often send unset options as null), so a required one is
        /// still missing and an optional one passes.
        /// </summary>
        public void ValidateBody(JsonElement root, ValidationErrors errors, bool rejectUnknown)
        {
            if (body is null) return;
            using var withoutNulls = WithoutNullProperties(root);
            rules.Report(rules._schemas.Validate(body, withoutNulls.RootElement), "", errors);
            if (rejectUnknown) rules.RejectUnknown(body, root, "", errors);
        }

        private static JsonDocument WithoutNullProperties(JsonElement root)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                Write(writer, root);
            }
            return JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = JsonText.MaxDepth + 1 });
        }

        private static void Write(Utf8JsonWriter writer, JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Value.ValueKind == JsonValueKind.Null) continue;
                        writer.WritePropertyName(property.Name);
                        Write(writer, property.Value);
                    }
                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in element.EnumerateArray()) Write(writer, item);
                    writer.WriteEndArray();
                    break;
                default:
                    element.WriteTo(writer);
                    break;
            }
        }

        public override string ToString() => operation.ToString();

        /// <summary>A query string as the JSON its schema expects: a number for number types when it is one, else a string (which the schema then refuses).</summary>
        private static JsonDocument AsJson(string text, string? type)
        {
            if (type is "integer" or "number" && JsonNumber().IsMatch(text)) return JsonDocument.Parse(text);
            if (type == "boolean" && text is "true" or "false") return JsonDocument.Parse(text);
            return JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(text, FakeJsonContext.Wire.String));
        }
    }

    /// <summary>
    /// Reports every property the schema does not name, walking objects whose schema lists
    /// <c>properties</c> (and arrays by <c>items</c>). Free-form objects (no <c>properties</c>, e.g.
    /// <c>output_schema</c>) and composed schemas (<c>allOf</c>/<c>anyOf</c>/<c>oneOf</c>) are left open.
    /// </summary>
    private void RejectUnknown(string schemaPointer, JsonElement instance, string path, ValidationErrors errors)
    {
        if (Schema(schemaPointer) is not var (schema, at)) return;
        if (schema.TryGetProperty("allOf", out _) || schema.TryGetProperty("anyOf", out _) || schema.TryGetProperty("oneOf", out _)) return;
        if (instance.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in instance.EnumerateObject())
            {
                var field = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                if (properties.TryGetProperty(property.Name, out _)) RejectUnknown(Pointer.Append(at, "properties", property.Name), property.Value, field, errors);
                else errors.Add(field, "is not a known property");
            }
        }
        else if (instance.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out _))
        {
            var index = 0;
            foreach (var item in instance.EnumerateArray())
            {
                RejectUnknown(Pointer.Append(at, "items"), item, $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]", errors);
                index++;
            }
        }
    }

    /// <summary>The schema at a pointer, <c>$ref</c>s followed.</summary>
    private (JsonElement Schema, string Pointer)? Schema(string pointer)
    {
        for (var hops = 0; hops < 16; hops++)
        {
            if (Pointer.Find(_schemas.Spec.Root, pointer) is not { ValueKind: JsonValueKind.Object } schema) return null;
            if (!schema.TryGetProperty("$ref", out var reference) || reference.GetString() is not { } target || !target.StartsWith('#')) return (schema, pointer);
            pointer = Uri.UnescapeDataString(target[1..]);
        }
        return null;
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();
}
