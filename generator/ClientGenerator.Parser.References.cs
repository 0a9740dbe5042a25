using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using TinyFish.Toolkit.Generator.Helpers;
using TinyFish.Toolkit.Generator.Model;

namespace TinyFish.Toolkit.Generator;

public sealed partial class ClientGenerator
{
    private sealed partial class ModelBuilder
    {
        /// <summary>
        /// What each <c>$ref</c> that points inside a schema or an operation resolved to
        /// (<c>#/components/schemas/Transfer/properties/currency</c>, <c>#/paths/~1a/get/responses/200/…/schema</c>), by the
        /// reference's text; null while it is being resolved (a reference that reaches itself).
        /// </summary>
        private readonly Dictionary<string, TypeRef?> _pointedTypes = new(StringComparer.Ordinal);

        private JsonNode? _documentJson;
        private bool _documentJsonRead;

        /// <summary>
        /// Whether <paramref name="reference"/> points inside a component or an operation (<c>#/components/schemas/A/properties/b</c>,
        /// <c>#/definitions/A/items</c>, <c>#/paths/…</c>), not at a component itself.
        /// </summary>
        private static bool PointsInside(string reference)
        {
            var depth = reference.Split('/').Length - 1;
            return reference.StartsWith("#/paths/", StringComparison.Ordinal)
                || reference.StartsWith("#/components/", StringComparison.Ordinal) && depth >= 4
                || reference.StartsWith("#/definitions/", StringComparison.Ordinal) && depth >= 3;
        }

        /// <summary>
        /// The type of a <c>$ref</c> that is a JSON pointer into the document but not to a component schema. OpenAPI.NET
        /// reads such a reference as one to a component named after the pointer's last segment, which the document
        /// rarely has (and then it is the wrong schema): the JSON the pointer reaches is read as a schema of its own,
        /// once per reference, and typed where it is first used. Null when the pointer reaches no object.
        /// </summary>
        private TypeRef? PointedType(string reference, string contextName)
        {
            if (_pointedTypes.TryGetValue(reference, out var known))
            {
                if (known is { } type) return type;
                Unsupported(reference.Substring(1), "The reference '" + reference + "'", "it reaches itself", "System.Text.Json.JsonElement");
                return TypeRef.Json.WithNullable(true);
            }
            if (PointedJson(reference) is not { } json) return null;
            _pointedTypes[reference] = null;
            // A reference to a reference (which the reader would read as an empty schema) is followed in turn.
            var resolved = json.TryGetPropertyValue("$ref", out var next) && next is JsonValue nextValue && nextValue.TryGetValue<string>(out var nextReference)
                ? FollowedReference(nextReference, contextName)
                : SchemaType(json, reference, contextName);
            if (resolved is null) _pointedTypes.Remove(reference);
            else _pointedTypes[reference] = resolved;
            return resolved;
        }

        /// <summary>The type of pointed-to JSON read as a schema; <c>JsonElement</c>, reported, when it cannot be read as one.</summary>
        private TypeRef SchemaType(JsonObject json, string reference, string contextName)
        {
            if (Read<OpenApiSchema>(json) is { } schema) return Resolve(schema, contextName, reference.Substring(1));
            Unsupported(reference.Substring(1), "The reference '" + reference + "'", "what it points to cannot be read as a schema", "System.Text.Json.JsonElement");
            return TypeRef.Json.WithNullable(true);
        }

        /// <summary>
        /// The <c>$ref</c> of the schema at <paramref name="pointer"/> as the document writes it, when the document has any
        /// reference that points inside a component or an operation: OpenAPI.NET keeps such a reference's text in 3.1
        /// documents but not in 2.0 and 3.0 ones (<c>#/components/schemas/b</c> for <c>…/A/properties/b</c>). Null otherwise.
        /// </summary>
        private string? WrittenReference(string pointer)
        {
            _hasInsideReferences ??= InsideReference.IsMatch(_spec.Text ?? "");
            return _hasInsideReferences == true && Reached(pointer) is JsonObject schema && schema.TryGetPropertyValue("$ref", out var value) && value is JsonValue text && text.TryGetValue<string>(out var reference)
                ? reference
                : null;
        }

        private bool? _hasInsideReferences;

        /// <summary>A <c>$ref</c> whose pointer goes past a component's name or into <c>paths</c>, in JSON or YAML.</summary>
        private static readonly System.Text.RegularExpressions.Regex InsideReference = new(
            @"\$ref[""']?\s*:\s*[""']?#/(components/[^/""'\s]+/[^/""'\s]+/|definitions/[^/""'\s]+/|paths/)",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>Whether the <c>$ref</c> at <paramref name="referencePointer"/> (<c>…/$ref</c>) is a JSON pointer inside the document that reaches an object.</summary>
        private bool ReachesSomething(string referencePointer) =>
            referencePointer.EndsWith("/$ref", StringComparison.Ordinal)
            && WrittenReference(referencePointer.Substring(0, referencePointer.Length - "/$ref".Length)) is { } reference
            && PointsInside(reference) && PointedJson(reference) is not null;

        /// <summary>
        /// The parameter at <paramref name="pointer"/> and where it is written: read from the JSON its <c>$ref</c> points to
        /// when that is a JSON pointer into the document the reader could not follow
        /// (<c>#/paths/~1meta~1companies/get/parameters/0</c>), so what is inside it is found where it is written; else as read.
        /// </summary>
        private (IOpenApiParameter Parameter, string Pointer) PointedParameter(IOpenApiParameter parameter, string pointer)
        {
            if (parameter.In is not null || WrittenReference(pointer) is not { } reference || !PointsInside(reference) || PointedJson(reference) is not { } json) return (parameter, pointer);
            return Read<OpenApiParameter>(json) is { } read ? (read, reference) : (parameter, pointer);
        }

        /// <summary>
        /// A response read from the JSON its <c>$ref</c> points to when that is a JSON pointer into another operation
        /// (<c>#/paths/~1a/get/responses/200</c>), which the reader does not follow, located there so what is inside it is
        /// found where it is written; else as read.
        /// </summary>
        private ResponseAt PointedResponse(ResponseAt written)
        {
            if (written.Response is OpenApiResponse || WrittenReference(written.Pointer) is not { } reference || !PointsInside(reference)) return written;
            if (PointedJson(reference) is { } json && Read<OpenApiResponse>(json) is { } read) return written with { Response = read, Pointer = reference };
            // Never silent: without this, the status would simply have no body.
            Unsupported(written.Pointer, "The response reference '" + reference + "'", "it points to no response in this document", "a response without a body");
            return written;
        }

        /// <summary>Pointed-to JSON read as an OpenAPI element of this document's version, its references resolved against the document; null when the reader fails.</summary>
        private T? Read<T>(JsonObject json) where T : class, IOpenApiElement
        {
            try
            {
                return OpenApiModelFactory.Parse<T>(json.ToJsonString(), _version ?? OpenApiSpecVersion.OpenApi3_0, _document, out _, "json", new OpenApiReaderSettings { LoadExternalRefs = false });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return null;
            }
        }

        /// <summary>The type of a <c>$ref</c> found in pointed-to JSON: a component, or another pointer inside the document; null when it reaches nothing.</summary>
        private TypeRef? FollowedReference(string reference, string contextName)
        {
            if (PointsInside(reference)) return PointedType(reference, contextName);
            var prefix = reference.StartsWith("#/components/schemas/", StringComparison.Ordinal) ? "#/components/schemas/"
                : reference.StartsWith("#/definitions/", StringComparison.Ordinal) ? "#/definitions/"
                : null;
            if (prefix is null) return null;
            var id = SpecPositionMap.Unescape(reference.Substring(prefix.Length));
            return ComponentSchemas.ContainsKey(id) ? ResolveComponent(id) : null;
        }

        /// <summary>The JSON object that <paramref name="reference"/> (<c>#/…</c>, a JSON pointer) reaches in the document, or null.</summary>
        private JsonObject? PointedJson(string reference) => Reached(reference.Substring(1)) as JsonObject;

        /// <summary>The node at a JSON pointer (<c>/a/b</c>) of the document as written, or null.</summary>
        private JsonNode? Reached(string pointer)
        {
            if (!_documentJsonRead)
            {
                _documentJsonRead = true;
                try
                {
                    var text = _spec.Text ?? "";
                    _documentJson = text.TrimStart().StartsWith("{", StringComparison.Ordinal) ? JsonNode.Parse(text) : SpecNulls.ReadYaml(text);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _documentJson = null;
                }
            }
            var node = _documentJson;
            var segments = (pointer.StartsWith("#", StringComparison.Ordinal) ? pointer.Substring(1) : pointer).Split('/');
            // The pointer starts with '/': its first segment is empty.
            for (var i = 1; i < segments.Length && node is not null; i++)
            {
                var key = SpecPositionMap.Unescape(segments[i]);
                node = node switch
                {
                    JsonObject obj => obj.TryGetPropertyValue(key, out var child) ? child : null,
                    JsonArray array => int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < array.Count ? array[index] : null,
                    _ => null,
                };
            }
            return node;
        }
    }
}
