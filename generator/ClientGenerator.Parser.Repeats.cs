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
        private HashSet<IOpenApiSchema> RepeatedInlineObjects => _repeatedInlineObjects ??= FindRepeatedInlineObjects();

        private HashSet<IOpenApiSchema>? _repeatedInlineObjects;

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

        private HashSet<IOpenApiSchema> FindRepeatedInlineObjects()
        {
            var titled = new List<IOpenApiSchema>();
            var visited = new HashSet<IOpenApiSchema>(SameInstance.Instance);
            void Visit(IOpenApiSchema? schema, bool inline)
            {
                // A $ref is a component, visited from the components; an inline schema is visited once.
                if (schema is null || schema is OpenApiSchemaReference || !visited.Add(schema)) return;
                if (inline && !string.IsNullOrWhiteSpace(schema.Title) && IsObjectLike(schema)) titled.Add(schema);
                foreach (var property in schema.Properties?.Values ?? Enumerable.Empty<IOpenApiSchema>()) Visit(property, true);
                Visit(schema.Items, true);
                Visit(schema.AdditionalProperties, true);
                foreach (var part in (schema.AllOf ?? new List<IOpenApiSchema>()).Concat(schema.OneOf ?? new List<IOpenApiSchema>()).Concat(schema.AnyOf ?? new List<IOpenApiSchema>())) Visit(part, true);
            }
            void VisitContent(IDictionary<string, IOpenApiMediaType>? content)
            {
                foreach (var media in content?.Values ?? Enumerable.Empty<IOpenApiMediaType>()) Visit(media?.Schema, true);
            }
            void VisitParameters(IEnumerable<IOpenApiParameter>? parameters)
            {
                foreach (var parameter in parameters ?? Enumerable.Empty<IOpenApiParameter>())
                {
                    Visit(parameter?.Schema, true);
                    VisitContent(parameter?.Content);
                }
            }

            foreach (var schema in ComponentSchemas.Values) Visit(schema, false);
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

        private static string PropertyNames(IOpenApiSchema schema) => string.Join("\n", schema.Properties?.Keys ?? Enumerable.Empty<string>());

        /// <summary>
        /// A schema as OpenAPI 3.1 JSON without its descriptions and examples: equal for schemas that describe the same
        /// type, however each copy words its documentation ($refs included as written). Stripe's copies of one titled
        /// object often differ only in a property's description; the shared type keeps the first copy's.
        /// </summary>
        private static string ShapeOf(IOpenApiSchema schema)
        {
            using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            schema.SerializeAsV31(new OpenApiJsonWriter(text, new OpenApiJsonWriterSettings { Terse = true }));
            var node = JsonNode.Parse(text.ToString());
            WithoutDocumentation(node);
            return node?.ToJsonString() ?? "";
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
