using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SharpYaml;
using SharpYaml.Events;

namespace TinyFish.Toolkit.Generator.Helpers;

/// <summary>
/// OpenAPI.NET throws a NullReferenceException on some nodes that are null where it expects an object
/// (a property written <c>name:</c> with nothing after it, for one) and then reads nothing at all. When
/// it throws, the parser reads the text into a JSON tree here, leaves out every null that is not a value
/// (not under <c>example</c>, <c>default</c>, <c>enum</c>, ...) and every scalar or list where the specification
/// wants an object (a property's schema, an operation, a response), and lets OpenAPI.NET read the rest, so one
/// misplaced node costs a located warning instead of the whole client.
/// </summary>
internal static class SpecNulls
{
    private static readonly Regex JsonNumber = new(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant);

    /// <summary>Keys whose content is data, where null is a value like any other.</summary>
    private static readonly HashSet<string> DataKeys = new(StringComparer.Ordinal) { "example", "examples", "default", "enum", "const", "value" };

    /// <summary>Keys whose value must be an object (a schema, an operation, ...).</summary>
    private static readonly HashSet<string> ObjectKeys = new(StringComparer.Ordinal)
    {
        "info", "components", "paths", "items", "not", "schema", "requestBody", "discriminator", "xml", "externalDocs", "contact", "license",
        "get", "put", "post", "delete", "options", "head", "patch", "trace", "flows", "mapping",
    };

    /// <summary>Keys whose value is a map of objects (every entry must be an object).</summary>
    private static readonly HashSet<string> ObjectMapKeys = new(StringComparer.Ordinal)
    {
        "properties", "patternProperties", "schemas", "responses", "securitySchemes", "requestBodies", "headers", "content", "paths",
        "callbacks", "links", "definitions", "encoding", "webhooks", "pathItems", "$defs", "variables",
    };

    /// <summary>Keys whose value must be a string (<c>type</c> may also be a list of strings).</summary>
    private static readonly HashSet<string> StringKeys = new(StringComparer.Ordinal)
    {
        "$ref", "type", "format", "description", "title", "summary", "name", "in", "operationId", "pattern", "style", "scheme",
        "bearerFormat", "openapi", "swagger", "version", "url", "propertyName", "contentMediaType", "contentEncoding",
    };

    /// <summary>Keys whose value is a list of objects.</summary>
    private static readonly HashSet<string> ObjectListKeys = new(StringComparer.Ordinal) { "allOf", "oneOf", "anyOf", "parameters", "servers", "security", "prefixItems" };

    /// <summary>The document as JSON without its non-value nulls, and their JSON pointers; null when the text does not parse or has none.</summary>
    public static string? Remove(string text, bool isJson, List<string> removed)
    {
        JsonNode? root;
        try
        {
            root = isJson ? JsonNode.Parse(text) : ReadYaml(text);
        }
        catch (Exception e) when (e is YamlException or System.Text.Json.JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            return null;
        }
        Walk(root, "#", Expect.Any, removed);
        if (root is JsonObject document && document.ContainsKey("swagger")) RemoveUntypedParameters(root, "#", removed);
        return removed.Count == 0 ? null : root?.ToJsonString();
    }

    /// <summary>Swagger 2.0's reader fails on a non-body parameter without a <c>type</c>.</summary>
    private static void RemoveUntypedParameters(JsonNode? node, string pointer, List<string> removed)
    {
        if (node is not JsonObject obj) return;
        foreach (var entry in obj.ToList())
        {
            var at = pointer + "/" + SpecPositionMap.Escape(entry.Key);
            if (entry.Key == "parameters" && entry.Value is JsonArray parameters)
            {
                for (var i = parameters.Count - 1; i >= 0; i--)
                {
                    if (parameters[i] is JsonObject parameter && !parameter.ContainsKey("$ref") && !parameter.ContainsKey("type")
                        && !(parameter["in"] is JsonValue where && where.TryGetValue<string>(out var location) && location == "body"))
                    {
                        parameters.RemoveAt(i);
                        removed.Add(at + "/" + i.ToString(CultureInfo.InvariantCulture));
                    }
                }
            }
            else if (entry.Key is "paths" || pointer.StartsWith("#/paths", StringComparison.Ordinal) && pointer.Count(c => c == '/') < 4)
            {
                RemoveUntypedParameters(entry.Value, at, removed);
            }
        }
    }

    private enum Expect { Any, Object, ObjectMap, ObjectList, String, StringOrStrings, Reference }

    private static void Walk(JsonNode? node, string pointer, Expect expect, List<string> removed)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var entry in obj.ToList())
                {
                    var at = pointer + "/" + SpecPositionMap.Escape(entry.Key);
                    // In a map of named objects (properties, responses, ...) every key is a name, not a keyword.
                    var keyword = expect is not (Expect.ObjectMap or Expect.ObjectList);
                    // 'examples' is data in a schema (a list) but a map of Example objects beside a media type or parameter.
                    var examplesMap = keyword && entry.Key == "examples" && entry.Value is JsonObject;
                    if (keyword && !examplesMap && (DataKeys.Contains(entry.Key) || entry.Key.StartsWith("x-", StringComparison.Ordinal))) continue;
                    var child = expect is Expect.ObjectMap or Expect.ObjectList ? Expect.Object
                        : examplesMap ? Expect.ObjectMap
                        : StringKeys.Contains(entry.Key) ? entry.Key switch { "type" => Expect.StringOrStrings, "$ref" => Expect.Reference, _ => Expect.String }
                        : ObjectKeys.Contains(entry.Key) ? Expect.Object
                        : ObjectMapKeys.Contains(entry.Key) ? Expect.ObjectMap
                        : ObjectListKeys.Contains(entry.Key) ? Expect.ObjectList
                        : Expect.Any;
                    if (Fits(entry.Value, child)) Walk(entry.Value, at, child, removed);
                    else if (entry.Value is JsonValue yes && yes.TryGetValue<bool>(out var flag) && flag && child == Expect.Object)
                    {
                        // JSON Schema's 'true': any value.
                        obj[entry.Key] = new JsonObject();
                        removed.Add(at);
                    }
                    else
                    {
                        obj.Remove(entry.Key);
                        removed.Add(at);
                    }
                }
                break;
            case JsonArray array:
                var item = expect == Expect.ObjectList ? Expect.Object : Expect.Any;
                for (var i = array.Count - 1; i >= 0; i--)
                {
                    var at = pointer + "/" + i.ToString(CultureInfo.InvariantCulture);
                    if (Fits(array[i], item)) Walk(array[i], at, item, removed);
                    else
                    {
                        array.RemoveAt(i);
                        removed.Add(at);
                    }
                }
                break;
        }
    }

    private static bool Fits(JsonNode? node, Expect expect) => node is not null && expect switch
    {
        Expect.Object or Expect.ObjectMap => node is JsonObject,
        // 'parameters' is a list in a path or operation and a map in components.
        Expect.ObjectList => node is JsonArray or JsonObject,
        Expect.String => IsString(node),
        Expect.StringOrStrings => IsString(node) || node is JsonArray { Count: > 0 } list && list.All(IsString),
        Expect.Reference => node is JsonValue value && value.TryGetValue<string>(out var reference) && reference.IndexOf('#') >= 0,
        _ => true,
    };

    private static bool IsString(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out _);

    /// <summary>A YAML document as a JSON tree; plain scalars typed as YAML 1.2's core schema types them.</summary>
    internal static JsonNode? ReadYaml(string yaml)
    {
        var parser = Parser.CreateParser(new StringReader(yaml));
        JsonNode? root = null;
        var stack = new Stack<(JsonNode Node, string? Key)>();
        while (parser.MoveNext())
        {
            JsonNode? value;
            switch (parser.Current)
            {
                case MappingStart:
                    value = new JsonObject();
                    break;
                case SequenceStart:
                    value = new JsonArray();
                    break;
                case MappingEnd or SequenceEnd:
                    var (done, _) = stack.Pop();
                    if (stack.Count == 0) root = done;
                    continue;
                case Scalar scalar:
                    if (stack.Count > 0 && stack.Peek() is { Node: JsonObject, Key: null } mapping)
                    {
                        stack.Pop();
                        stack.Push((mapping.Node, scalar.Value));
                        continue;
                    }
                    value = scalar.Style == ScalarStyle.Plain ? Plain(scalar.Value) : JsonValue.Create(scalar.Value);
                    break;
                default:
                    continue;
            }
            if (stack.Count == 0)
            {
                if (value is JsonObject or JsonArray) stack.Push((value, null));
                else root = value;
                continue;
            }
            var (parent, key) = stack.Pop();
            if (parent is JsonObject obj)
            {
                obj[key!] = value;
                stack.Push((parent, null));
            }
            else
            {
                ((JsonArray)parent).Add(value);
                stack.Push((parent, key));
            }
            if (value is JsonObject or JsonArray) stack.Push((value, null));
        }
        return root;
    }

    private static JsonNode? Plain(string text) => text switch
    {
        "null" or "Null" or "NULL" or "~" or "" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        // Parsed from the text, so a number keeps the digits it was written with (1.10 stays 1.10).
        _ when JsonNumber.IsMatch(text) => JsonNode.Parse(text),
        _ => JsonValue.Create(text),
    };
}
