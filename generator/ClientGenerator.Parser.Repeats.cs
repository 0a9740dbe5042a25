using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using TinyFish.Toolkit.Generator.Helpers;
using TinyFish.Toolkit.Generator.Model;

namespace TinyFish.Toolkit.Generator;

public sealed partial class ClientGenerator
{
    private sealed partial class ModelBuilder
    {
        /// <summary>
        /// Inline object schemas with a <c>title</c> that the document repeats (Stripe writes its <c>range_query_specs</c>
        /// into 53 list operations, its <c>capability_param</c> 70 times): each is one type, named by its title, instead of
        /// one type per place named after the place. Only a title that every schema carrying it gives one shape qualifies
        /// (equal as JSON but for descriptions and examples, <see cref="ShapeOf"/>), so the title names the type and says
        /// what the shape is.
        /// </summary>
        private HashSet<IOpenApiSchema> RepeatedInlineObjects => Repeats.Objects;

        /// <summary>The repeated titled objects and enums, found in one walk of the document (<see cref="FindRepeats"/>).</summary>
        private (HashSet<IOpenApiSchema> Objects, Dictionary<IOpenApiSchema, string> Enums) Repeats => _repeats ??= FindRepeats();

        private (HashSet<IOpenApiSchema> Objects, Dictionary<IOpenApiSchema, string> Enums)? _repeats;

        /// <summary>The names of the repeated inline objects' types built so far (see <see cref="RepeatedInlineObjects"/>).</summary>
        private readonly HashSet<string> _repeatedInlineTypes = new(StringComparer.Ordinal);

        /// <summary>
        /// The type name a titled inline object shares with its copies (its title, see <see cref="RepeatedInlineObjects"/>),
        /// and whether a copy already built the type; null for any other schema, and for one whose title another type
        /// took first.
        /// </summary>
        private (string Name, bool Built)? SharedInlineName(IOpenApiSchema schema)
        {
            if (!RepeatedInlineObjects.Contains(schema)) return null;
            var name = Naming.Pascal(schema.Title!);
            if (_repeatedInlineTypes.Contains(name)) return (name, true);
            return _typeNames.Contains(name) ? null : (name, false);
        }

        private (HashSet<IOpenApiSchema> Objects, Dictionary<IOpenApiSchema, string> Enums) FindRepeats()
        {
            var titled = new List<IOpenApiSchema>();
            var named = new List<(string Name, string Values, IOpenApiSchema Schema)>();
            VisitInlineSchemas((schema, name) =>
            {
                if (!string.IsNullOrWhiteSpace(schema.Title) && IsObjectLike(schema)) titled.Add(schema);
                if (name is null || !IsStringEnum(schema) || OnlyValue(schema) is not null) return;
                var pascal = Naming.Pascal(name);
                if (Naming.WordCount(pascal) < 2) return;
                var values = schema.Enum!.Where(v => !IsNullValue(v)).Select(v => v!.GetValue<string>()).Distinct(StringComparer.Ordinal);
                named.Add((pascal, string.Join("\n", values), schema));
            });
            return (RepeatedTitledObjects(titled), RepeatedNamedEnums(named));
        }

        private HashSet<IOpenApiSchema> RepeatedTitledObjects(List<IOpenApiSchema> titled)
        {

            // A title qualifies when it is written more than once and every schema with it has one shape. Property names
            // are compared first, so only titles whose copies could be equal are serialized (a deep object once per level).
            var shared = new HashSet<IOpenApiSchema>(SameInstance.Instance);
            foreach (var copies in titled.GroupBy(schema => Naming.Pascal(schema.Title!), StringComparer.Ordinal))
            {
                if (copies.Count() < 2 || copies.Select(PropertyNames).Distinct(StringComparer.Ordinal).Count() > 1) continue;
                if (copies.Select(ShapeOf).Distinct(StringComparer.Ordinal).Count() > 1) continue;
                shared.UnionWith(copies);
            }
            return shared;
        }

        /// <summary>
        /// Inline string enums of two values or more that the document writes under one property or parameter name in
        /// several places, always with the same values (Stripe's <c>tax_behavior: {enum: [exclusive, inclusive,
        /// unspecified]}</c>, 47 times): each is one type named after that name, instead of one type per place. Only a
        /// name of two words or more qualifies, so the type is not called <c>Type</c> or <c>Status</c> (a name that says
        /// little, or hides one of <c>System</c>'s), and only a name every such enum under it gives the same values.
        /// </summary>
        private Dictionary<IOpenApiSchema, string> RepeatedInlineEnums => Repeats.Enums;

        /// <summary>The names of the repeated inline enums' types built so far (see <see cref="RepeatedInlineEnums"/>).</summary>
        private readonly HashSet<string> _repeatedInlineEnumTypes = new(StringComparer.Ordinal);

        /// <summary>
        /// The type name an inline enum shares with its copies (see <see cref="RepeatedInlineEnums"/>), and whether a copy
        /// already built the type; null for any other schema, and for one whose name another type took first.
        /// </summary>
        private (string Name, bool Built)? SharedEnumName(IOpenApiSchema schema)
        {
            if (!RepeatedInlineEnums.TryGetValue(schema, out var name)) return null;
            if (_repeatedInlineEnumTypes.Contains(name)) return (name, true);
            return _typeNames.Contains(name) ? null : (name, false);
        }

        private static Dictionary<IOpenApiSchema, string> RepeatedNamedEnums(List<(string Name, string Values, IOpenApiSchema Schema)> named)
        {
            var shared = new Dictionary<IOpenApiSchema, string>(SameInstance.Instance);
            foreach (var copies in named.GroupBy(e => e.Name, StringComparer.Ordinal))
            {
                if (copies.Count() < 2 || copies.Select(e => e.Values).Distinct(StringComparer.Ordinal).Count() > 1) continue;
                foreach (var copy in copies) shared[copy.Schema] = copy.Name;
            }
            return shared;
        }

        /// <summary>
        /// Calls <paramref name="visit"/> once for each inline schema the document writes (components' own schemas aside,
        /// and $refs, which are components), with the property or parameter name it is written under, or null.
        /// </summary>
        private void VisitInlineSchemas(Action<IOpenApiSchema, string?> visit)
        {
            var visited = new HashSet<IOpenApiSchema>(SameInstance.Instance);
            void Visit(IOpenApiSchema? schema, string? name, bool inline)
            {
                // A $ref is a component, visited from the components; an inline schema is visited once.
                if (schema is null || schema is OpenApiSchemaReference || !visited.Add(schema)) return;
                if (inline) visit(schema, name);
                foreach (var property in schema.Properties ?? new Dictionary<string, IOpenApiSchema>()) Visit(property.Value, property.Key, true);
                Visit(schema.Items, null, true);
                Visit(schema.AdditionalProperties, null, true);
                foreach (var part in (schema.AllOf ?? new List<IOpenApiSchema>()).Concat(schema.OneOf ?? new List<IOpenApiSchema>()).Concat(schema.AnyOf ?? new List<IOpenApiSchema>())) Visit(part, null, true);
            }
            void VisitContent(IDictionary<string, IOpenApiMediaType>? content)
            {
                foreach (var media in content?.Values ?? Enumerable.Empty<IOpenApiMediaType>()) Visit(media?.Schema, null, true);
            }
            void VisitParameters(IEnumerable<IOpenApiParameter>? parameters)
            {
                foreach (var parameter in parameters ?? Enumerable.Empty<IOpenApiParameter>())
                {
                    Visit(parameter?.Schema, parameter?.Name, true);
                    VisitContent(parameter?.Content);
                }
            }

            foreach (var schema in ComponentSchemas.Values) Visit(schema, null, false);
            foreach (var (_, item, _, operation) in AllOperations())
            {
                VisitParameters(item.Parameters);
                VisitParameters(operation?.Parameters);
                VisitContent(operation?.RequestBody?.Content);
                foreach (var response in operation?.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>()) VisitContent(response?.Content);
            }
            foreach (var parameter in _document.Components?.Parameters?.Values ?? Enumerable.Empty<IOpenApiParameter>()) VisitParameters(new[] { parameter });
            foreach (var body in _document.Components?.RequestBodies?.Values ?? Enumerable.Empty<IOpenApiRequestBody>()) VisitContent(body?.Content);
            foreach (var response in _document.Components?.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>()) VisitContent(response?.Content);
        }

        /// <summary>
        /// The component an inline object is written exactly as (equal as JSON but for descriptions and examples, see
        /// <see cref="ShapeOf"/>), or null. Specs made from code often write a component out again where it is used:
        /// Zoom's does so 743 times. Such an object is that component's type, not a copy named after its place. Only
        /// objects with properties of their own take part, and a shape two components have is neither's.
        /// </summary>
        private string? ComponentWithShape(IOpenApiSchema schema)
        {
            if (schema.Properties is not { Count: > 0 }) return null;
            _componentsByPropertyNames ??= ComponentsByPropertyNames();
            var names = PropertyNames(schema);
            if (!_componentsByPropertyNames.TryGetValue(names, out var ids)) return null;
            // Components are serialized only when an inline object has their property names, once each.
            if (!_componentShapes.TryGetValue(names, out var shapes))
            {
                shapes = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var id in ids)
                {
                    var shape = ShapeOf(ComponentSchemas[id]);
                    shapes[shape] = shapes.ContainsKey(shape) ? null : id;
                }
                _componentShapes[names] = shapes;
            }
            return shapes.TryGetValue(ShapeOf(schema), out var found) && found is not null && !ReferenceEquals(ComponentSchemas[found], schema) ? found : null;
        }

        /// <summary>The object components with properties of their own, by their property names.</summary>
        private Dictionary<string, List<string>>? _componentsByPropertyNames;

        /// <summary>For the property names an inline object has had: the components' shapes, a shape two components have mapping to null.</summary>
        private readonly Dictionary<string, Dictionary<string, string?>> _componentShapes = new(StringComparer.Ordinal);

        private Dictionary<string, List<string>> ComponentsByPropertyNames()
        {
            var byNames = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var entry in ComponentSchemas.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (entry.Value is OpenApiSchemaReference || entry.Value.Properties is not { Count: > 0 } || _unions.ContainsKey(entry.Key)) continue;
                var names = PropertyNames(entry.Value);
                if (!byNames.TryGetValue(names, out var ids)) byNames[names] = ids = new List<string>();
                ids.Add(entry.Key);
            }
            return byNames;
        }

        private static string PropertyNames(IOpenApiSchema schema) => string.Join("\n", schema.Properties?.Keys ?? Enumerable.Empty<string>());

        /// <summary>
        /// A schema as OpenAPI 3.1 JSON without its descriptions and examples: equal for schemas that describe the same
        /// type, however each copy words its documentation ($refs included as written). Stripe's copies of one titled
        /// object often differ only in a property's description; the shared type keeps the first copy's.
        /// </summary>
        private string ShapeOf(IOpenApiSchema schema)
        {
            // A titled copy is compared with its copies and with the components: serialized once.
            if (_shapes.TryGetValue(schema, out var known)) return known;
            return _shapes[schema] = ShapeWithoutDocumentation(schema);
        }

        private readonly Dictionary<IOpenApiSchema, string> _shapes = new(SameInstance.Instance);

        private static string ShapeWithoutDocumentation(IOpenApiSchema schema)
        {
            using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            schema.SerializeAsV31(new OpenApiJsonWriter(text, new OpenApiJsonWriterSettings { Terse = true }));
            var json = text.ToString();
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(WithControlsEscaped(json));
            }
            catch (System.Text.Json.JsonException)
            {
                // Text the parser still refuses: compared as written, documentation included (shared less, never lost).
                return json;
            }
            WithoutDocumentation(node);
            return node?.ToJsonString() ?? "";
        }

        /// <summary>
        /// The writer's JSON with control characters escaped: OpenAPI.NET's writer leaves some raw inside strings (0x1A in
        /// a description, in APIs.guru's clearblade.com), which JSON does not allow. Terse output has no whitespace
        /// between tokens, so every control character is inside a string.
        /// </summary>
        private static string WithControlsEscaped(string json)
        {
            var first = 0;
            while (first < json.Length && json[first] >= ' ') first++;
            if (first == json.Length) return json;
            var escaped = new System.Text.StringBuilder(json, 0, first, json.Length + 16);
            for (var i = first; i < json.Length; i++)
            {
                if (json[i] >= ' ') escaped.Append(json[i]);
                else escaped.Append("\\u").Append(((int)json[i]).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            return escaped.ToString();
        }

        private static readonly string[] DocumentationKeywords = { "description", "example", "examples" };

        /// <summary>Keywords whose value is a map from names to schemas: a property may be named "description".</summary>
        private static readonly string[] SchemaMapKeywords = { "properties", "patternProperties", "$defs", "definitions", "dependentSchemas" };

        private static void WithoutDocumentation(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject schema:
                    foreach (var keyword in DocumentationKeywords) schema.Remove(keyword);
                    foreach (var entry in schema)
                    {
                        if (Array.IndexOf(SchemaMapKeywords, entry.Key) >= 0 && entry.Value is JsonObject map)
                        {
                            foreach (var named in map) WithoutDocumentation(named.Value);
                        }
                        else
                        {
                            WithoutDocumentation(entry.Value);
                        }
                    }
                    break;
                case JsonArray items:
                    foreach (var item in items) WithoutDocumentation(item);
                    break;
            }
        }
    }
}
