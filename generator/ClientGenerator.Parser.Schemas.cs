using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using Microsoft.OpenApi;
using TinyFish.Toolkit.Generator.Helpers;
using TinyFish.Toolkit.Generator.Model;

namespace TinyFish.Toolkit.Generator;

public sealed partial class ClientGenerator
{
    /// <summary>Turns an OpenAPI.NET document into the value model: types from schemas, then operations.</summary>
    private sealed partial class ModelBuilder
    {
        private readonly SpecFile _spec;
        private readonly OpenApiDocument _document;
        private readonly DiagnosticCollector _diagnostics;
        private readonly CancellationToken _cancellationToken;
        private readonly string _namespace;
        private readonly string _clientName;
        private readonly string _jsonClassName;
        private readonly HashSet<string> _typeNames = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _componentNames = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TypeRef> _componentTypes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, VariantInfo> _variants = new(StringComparer.Ordinal);
        private readonly Dictionary<string, UnionInfo> _unions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TypeModel> _types = new(StringComparer.Ordinal);

        private readonly HashSet<string> _kindUnions = new(StringComparer.Ordinal);
        private readonly HashSet<string> _inlineUnions = new(StringComparer.Ordinal);
        private readonly HashSet<string> _wrappedUnions = new(StringComparer.Ordinal);

        private sealed record VariantInfo(string UnionName, string DiscriminatorJsonName, string DiscriminatorCSharpName, string Value);

        private sealed record UnionInfo(string DiscriminatorJsonName, List<(string Value, string ComponentId)> Variants);

        private readonly OpenApiSpecVersion? _version;

        private readonly OperationSelection _selection;

        /// <summary>The component schemas resolved so far (a selection generates only these, and reports only on them).</summary>
        private readonly HashSet<string> _reachedComponents = new(StringComparer.Ordinal);

        public ModelBuilder(SpecFile spec, OpenApiDocument document, OpenApiSpecVersion? version, DiagnosticCollector diagnostics, CancellationToken cancellationToken)
        {
            _version = version;
            _spec = spec;
            _selection = OperationSelection.Parse(spec.Operations);
            _document = document;
            _diagnostics = diagnostics;
            _cancellationToken = cancellationToken;
            _namespace = Naming.Namespace(spec.Namespace);
            if (_namespace != spec.Namespace) diagnostics.Add(DiagnosticDescriptors.NameConflict, null, "Namespace", spec.Namespace, _namespace, "it is not a valid C# namespace");
            _clientName = Naming.Pascal(spec.ClientName);
            if (_clientName != spec.ClientName) diagnostics.Add(DiagnosticDescriptors.NameConflict, null, "ClientName", spec.ClientName, _clientName, "it is not a valid C# identifier");
            _typeNames.Add(_clientName);
            _jsonClassName = Naming.Unique(_clientName + "Json", _typeNames);
        }

        /// <summary>
        /// The component schemas that are schemas: an entry the reader left null (the spec has null, a scalar or a
        /// list there) is reported once (TFG0003) and left out, so a $ref to it is a dangling one.
        /// </summary>
        private IDictionary<string, IOpenApiSchema> ComponentSchemas => _componentSchemas ??= ReadComponentSchemas();

        private IDictionary<string, IOpenApiSchema>? _componentSchemas;

        private IDictionary<string, IOpenApiSchema> ReadComponentSchemas()
        {
            var schemas = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
            foreach (var entry in _document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
            {
                if (entry.Key is null) continue;
                if (entry.Value is null) Unsupported(ComponentPointer(entry.Key), "Schema '" + entry.Key + "'", "it is not a schema object", "nothing");
                else schemas[entry.Key] = entry.Value;
            }
            return schemas;
        }

        /// <summary>The schemas of a oneOf/anyOf/allOf list, without the entries the reader left null.</summary>
        private static List<IOpenApiSchema> Listed(IList<IOpenApiSchema>? schemas) =>
            schemas is null ? new List<IOpenApiSchema>() : schemas.Where(s => s is not null).ToList();

        public ClientModel Build()
        {
            ReserveGroupNames();
            foreach (var id in ComponentSchemas.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                var name = Naming.Pascal(id);
                var unique = Naming.Unique(name, _typeNames);
                if (unique != name) _diagnostics.Add(DiagnosticDescriptors.NameConflict, ComponentPointer(id), "Schema", id, unique, "'" + name + "' is already taken");
                _componentNames[id] = unique;
            }
            foreach (var id in ComponentSchemas.Keys.OrderBy(k => k, StringComparer.Ordinal)) Guarded(ComponentPointer(id), "schema '" + id + "'", () => { FindUnion(id); return true; }, false);
            // Every component is a type of the client; with a selection of operations, only those they reach (built as they are met).
            if (_selection.IsEverything)
            {
                foreach (var id in ComponentSchemas.Keys.OrderBy(k => k, StringComparer.Ordinal))
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    Guarded(ComponentPointer(id), "schema '" + id + "'", () => ResolveComponent(id), TypeRef.Json);
                }
            }

            var groups = BuildOperations();
            if (!_selection.IsEverything) CompleteSelection();
            _diagnostics.RemoveReaderWarningsAbout(ReachesSomething);
            if (_nullableKeywordUses.Count > 0 && _version is OpenApiSpecVersion.OpenApi3_1 or OpenApiSpecVersion.OpenApi3_2)
            {
                _diagnostics.Add(DiagnosticDescriptors.NullableIn31, "#/openapi", _version == OpenApiSpecVersion.OpenApi3_1 ? "3.1" : "3.2",
                    _nullableKeywordUses.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            var types = _types.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToEquatableArray();
            return new ClientModel(
                _namespace,
                _clientName,
                _jsonClassName,
                _document.Info?.Title,
                _document.Info?.Description,
                _document.Info?.Version,
                BuildCredential(),
                groups,
                types);
        }

        /// <summary>
        /// After the selected operations are built: a variant they reach derives from its union, so the union (and with it
        /// its other variants) is built too; diagnostics about component schemas no selected operation reaches are dropped,
        /// since nothing is generated from them.
        /// </summary>
        private void CompleteSelection()
        {
            var unionIds = _componentNames.Where(c => _unions.ContainsKey(c.Key)).ToDictionary(c => c.Value, c => c.Key, StringComparer.Ordinal);
            var tried = new HashSet<string>(StringComparer.Ordinal);
            List<string> missing;
            // Each union is tried once: building one may reach further variants (and so unions), never the same one again.
            while ((missing = _types.Values.OfType<ObjectModel>().Select(o => o.BaseName!).Where(b => b is not null && !_types.ContainsKey(b) && tried.Add(b)).ToList()).Count > 0)
            {
                foreach (var name in missing)
                {
                    if (unionIds.TryGetValue(name, out var id)) Guarded(ComponentPointer(id), "schema '" + id + "'", () => ResolveComponent(id), TypeRef.Json);
                }
            }
            var unreached = ComponentSchemas.Keys.Where(id => !_reachedComponents.Contains(id)).Select(ComponentPointer).ToList();
            _diagnostics.RemoveUnder(unreached);
        }

        /// <summary>
        /// Runs one unit of work (a component, an operation); an exception in it (OpenAPI.NET throws on
        /// circular references, for one) becomes a located TFG0004 and the rest of the spec still generates.
        /// </summary>
        private T Guarded<T>(string pointer, string what, Func<T> work, T fallback)
        {
            try
            {
                return work();
            }
            catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (UriFormatException e)
            {
                // OpenAPI.NET resolves a $ref only when it is used, and throws then for one that is not a URI.
                _diagnostics.Add(DiagnosticDescriptors.ReaderProblem, pointer, "the " + what + " has a $ref that is not a valid reference (" + e.Message + "); it is left out");
                return fallback;
            }
            catch (InvalidOperationException e) when (e.Message.IndexOf("ircular", StringComparison.Ordinal) >= 0)
            {
                Unsupported(pointer, "The " + what, "it refers to itself in a way no type can express: " + e.Message, "System.Text.Json.JsonElement");
                return fallback;
            }
            catch (Exception e)
            {
                _diagnostics.Add(DiagnosticDescriptors.UnexpectedException, pointer, "reading " + what, DescribeFailure(e));
                return fallback;
            }
        }

        private static string ComponentPointer(string id) => "#/components/schemas/" + SpecPositionMap.Escape(id);

        private void Unsupported(string pointer, string construct, string reason, string fallback) =>
            _diagnostics.Add(DiagnosticDescriptors.UnsupportedSchema, pointer, construct, reason, fallback);

        // ---- Unions -------------------------------------------------------------------------

        /// <summary>Decides before any type is built which component schemas are variants of which union, so each variant is built as a derived record.</summary>
        private void FindUnion(string id)
        {
            var schema = ComponentSchemas[id];
            var choices = Choices(schema);
            if (choices.Count == 0)
            {
                // type: [integer, string]: a union by kind, as the oneOf of one schema per type would be.
                if (TypeChoices(schema) is { } typed && ShapesOf(typed, out _) is not null) _kindUnions.Add(id);
                return;
            }
            var nonNull = choices.Where(c => !IsNullOnly(c)).ToList();
            if (nonNull.Count < 2 || !IsUnionOnly(schema)) return;
            // A string or known values: an open enum, not a union (see StringChoice).
            if (IsStringChoice(nonNull, out _, out _, out _, out _)) return;

            if (!TryDescribeUnion(schema, nonNull, out var info, out var reason))
            {
                // Inline object variants with a distinct constant each ('type: {const: text}'): a union of records built for it.
                if (InlineDiscriminator(schema, nonNull) is not null)
                {
                    _inlineUnions.Add(id);
                    return;
                }
                // A discriminator or constant across inline and $ref variants: each variant wrapped, not derived.
                if (WrappedVariants(schema, nonNull, out _, out _) is not null)
                {
                    _wrappedUnions.Add(id);
                    return;
                }
                // Choices of different JSON kinds, or objects that require different properties: the value's shape chooses.
                if (ShapesOf(nonNull, out var shapeReason) is not null)
                {
                    _kindUnions.Add(id);
                    return;
                }
                Unsupported(ComponentPointer(id), "Schema '" + id + "'", reason + ", and " + shapeReason, "System.Text.Json.JsonElement");
                _componentTypes[id] = TypeRef.Json.WithNullable(nonNull.Count != choices.Count || IsNullable(schema));
                return;
            }
            var conflict = info!.Variants.FirstOrDefault(v => _variants.ContainsKey(v.ComponentId) && _variants[v.ComponentId].UnionName != _componentNames[id]);
            if (conflict.ComponentId is not null)
            {
                // A record derives from one union only: this one wraps its variants instead.
                _wrappedUnions.Add(id);
                return;
            }
            var unionName = _componentNames[id];
            var discriminatorCSharpName = DiscriminatorPropertyName(info.DiscriminatorJsonName, unionName);
            foreach (var (value, componentId) in info.Variants)
            {
                if (!_variants.ContainsKey(componentId)) _variants[componentId] = new VariantInfo(unionName, info.DiscriminatorJsonName, discriminatorCSharpName, value);
            }
            _unions[id] = info;
        }

        /// <summary>A oneOf/anyOf schema that is nothing but the choice (no own properties).</summary>
        private static bool IsUnionOnly(IOpenApiSchema schema) => schema.Properties is not { Count: > 0 } && schema.AllOf is not { Count: > 0 };

        private readonly Dictionary<IOpenApiSchema, List<IOpenApiSchema>> _choices = new(SameInstance.Instance);

        /// <summary>
        /// The oneOf list (anyOf when there is none), without null entries or a repeated <c>$ref</c>, two kinds of choice merged that nothing could
        /// tell apart but that mean one thing: an inline integer beside an inline number is left out (the number takes
        /// every value the integer does, as in <c>type: [integer, number]</c>), and inline string enums are one enum of
        /// all their values when other kinds are beside them (Stripe's <c>anyOf: [enum [now], integer, enum [""]]</c>;
        /// strings and enums alone are an open enum, see <see cref="StringChoice"/>). The same instances each time, so a
        /// merged enum is built once.
        /// </summary>
        private List<IOpenApiSchema> Choices(IOpenApiSchema schema)
        {
            if (_choices.TryGetValue(schema, out var known)) return known;
            var choices = Listed(schema.OneOf is { Count: > 0 } ? schema.OneOf : schema.AnyOf);
            // A $ref listed twice is one choice (seen in a public spec: oneOf [EcadAddress, EcafAddress, UspsAddress, UspsAddress]).
            var seen = new HashSet<string>(StringComparer.Ordinal);
            choices.RemoveAll(c => c is OpenApiSchemaReference { Reference.Id: { } id } && !seen.Add(id));
            if (choices.Any(c => IsPlain(c, JsonSchemaType.Number))) choices.RemoveAll(c => IsPlain(c, JsonSchemaType.Integer));
            var enums = choices.Where(IsPlainStringEnum).ToList();
            // Among choices of other kinds only: strings and enums alone are an open enum already (StringChoice).
            if (enums.Count > 1 && choices.Any(c => !IsPlainStringEnum(c) && !IsNullOnly(c)))
            {
                var merged = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = enums.Select(e => e.Description).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d)),
                    Enum = enums.SelectMany(e => e.Enum!).GroupBy(v => v?.ToJsonString()).Select(g => g.First()).ToList(),
                };
                choices[choices.IndexOf(enums[0])] = merged;
                choices.RemoveAll(c => enums.Contains(c));
            }
            return _choices[schema] = choices;

            // A bare integer or number: no constant, no values listed, not nullable (dropping it would drop the null).
            static bool IsPlain(IOpenApiSchema choice, JsonSchemaType type) =>
                choice is not OpenApiSchemaReference && choice.Type == type && choice.Enum is not { Count: > 0 } && choice.Const is null;

            // An inline string enum and nothing else that could tell it from another: no format, not nullable.
            static bool IsPlainStringEnum(IOpenApiSchema choice) =>
                choice is not OpenApiSchemaReference && choice.Type == JsonSchemaType.String && choice.Format is null && choice.Const is null
                && choice.Enum is { Count: > 0 } values && values.All(v => v is JsonValue value && value.TryGetValue<string>(out _));
        }

        private bool TryDescribeUnion(IOpenApiSchema schema, List<IOpenApiSchema> choices, out UnionInfo? info, out string reason)
        {
            info = null;
            var ids = new List<string>();
            foreach (var choice in choices)
            {
                if (choice is not OpenApiSchemaReference { Reference.Id: { } refId } || !ComponentSchemas.ContainsKey(refId))
                {
                    reason = "oneOf/anyOf with an inline variant";
                    return false;
                }
                if (!IsObjectLike(ComponentSchemas[refId]))
                {
                    reason = "oneOf/anyOf with a variant that is not an object ('" + refId + "')";
                    return false;
                }
                ids.Add(refId);
            }

            var propertyName = schema.Discriminator?.PropertyName;
            if (string.IsNullOrEmpty(propertyName)) propertyName = InferConstantProperty(ids.Select(id => ComponentSchemas[id]).ToList());
            if (string.IsNullOrEmpty(propertyName))
            {
                reason = "oneOf/anyOf without a discriminator, and no property with a distinct constant value in every variant";
                return false;
            }

            var variants = new List<(string Value, string ComponentId)>();
            if (schema.Discriminator?.Mapping is { } mapping)
            {
                foreach (var entry in mapping.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    var target = entry.Value?.Reference?.Id;
                    if (target is null || !ComponentSchemas.ContainsKey(target) || !IsObjectLike(ComponentSchemas[target])) continue;
                    variants.Add((entry.Key, target));
                }
            }
            foreach (var id in ids)
            {
                if (variants.Any(v => v.ComponentId == id)) continue;
                variants.Add((ConstantOf(ComponentSchemas[id], propertyName!) ?? id, id));
            }
            // A value shared by two variants, or a variant named by two values, is decided and reported when the union is built.
            info = new UnionInfo(propertyName!, variants);
            reason = "";
            return true;
        }

        private string? ConstantOf(IOpenApiSchema schema, string propertyName)
        {
            var merged = MergedProperties(schema);
            var property = merged.Properties.FirstOrDefault(p => p.Name == propertyName).Schema;
            if (property is null) return null;
            if (property.Const is { } constant) return constant;
            if (property.Enum is { Count: 1 } values && !IsNullValue(values[0]) && values[0] is JsonValue value && value.TryGetValue<string>(out var text)) return text;
            return null;
        }

        // ---- Schema → type ------------------------------------------------------------------

        private TypeRef ResolveComponent(string id)
        {
            _reachedComponents.Add(id);
            if (_componentTypes.TryGetValue(id, out var known)) return known;
            if (!ComponentSchemas.TryGetValue(id, out var schema) || schema is null) return TypeRef.Json;
            var name = _componentNames[id];
            var pointer = ComponentPointer(id);
            try
            {
                return ResolveComponent(id, schema, name, pointer);
            }
            finally
            {
                // Whatever failed half-way, a named type that others may already use must exist.
                if (_componentTypes.TryGetValue(id, out var registered) && registered.Name == name && !_types.ContainsKey(name))
                {
                    _types[name] = registered.Kind switch
                    {
                        TypeKind.Enum => new EnumModel(name, null, EquatableArray<EnumMemberModel>.Empty),
                        TypeKind.Union => new UnionModel(name, null, "type", "Type", Naming.Unique("Unknown" + name, _typeNames), EquatableArray<UnionVariantModel>.Empty),
                        _ => new ObjectModel(name, null, null, EquatableArray<PropertyModel>.Empty, null, null, null, null),
                    };
                }
            }
        }

        private TypeRef ResolveComponent(string id, IOpenApiSchema schema, string name, string pointer)
        {
            if (schema is OpenApiSchemaReference alias)
            {
                // A component that is only a $ref: the use site gets the target's type.
                _componentTypes[id] = TypeRef.Json;
                var seen = new HashSet<string>(StringComparer.Ordinal) { id };
                var target = alias.Reference?.Id;
                while (target is not null && ComponentSchemas.TryGetValue(target, out var next) && next is OpenApiSchemaReference again)
                {
                    if (!seen.Add(target)) break;
                    target = again.Reference?.Id;
                }
                if (target is null || seen.Contains(target) || !ComponentSchemas.ContainsKey(target))
                {
                    Unsupported(pointer, "Schema '" + id + "'", "its $ref chain is circular or leads nowhere", "System.Text.Json.JsonElement");
                    return _componentTypes[id] = TypeRef.Json.WithNullable(true);
                }
                return _componentTypes[id] = ResolveComponent(target);
            }

            if (_inlineUnions.Contains(id))
            {
                var listed = Choices(schema);
                var nonNull = listed.Where(c => !IsNullOnly(c)).ToList();
                var unionType = new TypeRef(TypeKind.Union, name, Nullable: IsNullable(schema) || nonNull.Count != listed.Count);
                _componentTypes[id] = unionType;
                BuildInlineUnion(name, schema, nonNull, InlineDiscriminator(schema, nonNull)!, pointer);
                return unionType;
            }
            if (_wrappedUnions.Contains(id))
            {
                var listed = Choices(schema);
                var nonNull = listed.Where(c => !IsNullOnly(c)).ToList();
                var wrappedType = new TypeRef(TypeKind.Union, name, Nullable: IsNullable(schema) || nonNull.Count != listed.Count);
                _componentTypes[id] = wrappedType;
                var variants = WrappedVariants(schema, nonNull, out var property, out _)!;
                BuildWrappedUnion(name, schema, variants, property!, pointer);
                return wrappedType;
            }
            if (_kindUnions.Contains(id))
            {
                var listed = Choices(schema) is { Count: > 0 } oneOf ? oneOf : TypeChoices(schema)!;
                var nonNull = listed.Where(c => !IsNullOnly(c)).ToList();
                var kindType = new TypeRef(TypeKind.Union, name, Nullable: IsNullable(schema) || nonNull.Count != listed.Count);
                _componentTypes[id] = kindType;
                BuildKindUnion(name, schema, nonNull, ShapesOf(nonNull, out _)!, pointer);
                return kindType;
            }
            if (_unions.TryGetValue(id, out var union))
            {
                var type = new TypeRef(TypeKind.Union, name, Nullable: IsNullable(schema) || Choices(schema).Any(IsNullOnly));
                _componentTypes[id] = type;
                BuildUnion(name, schema, union, pointer);
                return type;
            }
            if (IsObjectLike(schema))
            {
                var type = new TypeRef(TypeKind.Object, name, Nullable: IsNullable(schema));
                _componentTypes[id] = type;
                BuildObject(name, schema, pointer, _variants.TryGetValue(id, out var variant) ? variant : null);
                return type;
            }
            if (IsStringEnum(schema))
            {
                var type = new TypeRef(TypeKind.Enum, name, Nullable: IsNullable(schema) || HasNullEnumValue(schema));
                _componentTypes[id] = type;
                BuildEnum(name, schema);
                return type;
            }

            // A string or known values (anyOf [string, enum]): an open enum under the component's own name.
            if (Choices(schema).Where(c => !IsNullOnly(c)).ToList() is { Count: > 1 } choices && StringChoice(choices, name, name) is { } text)
            {
                return _componentTypes[id] = text.WithNullable(text.Nullable || IsNullable(schema) || Choices(schema).Any(IsNullOnly));
            }

            // An alias (string with a pattern, array of X, …): the use site gets the underlying type.
            _componentTypes[id] = TypeRef.Json;
            var resolved = Resolve(schema, name, pointer);
            _componentTypes[id] = resolved;
            return resolved;
        }

        private readonly Dictionary<IOpenApiSchema, string> _inlineObjectsInProgress = new(SameInstance.Instance);

        /// <summary>How deep <see cref="Resolve"/> may nest before a schema is given up as JsonElement (a stack overflow would take the compiler down).</summary>
        private const int MaxDepth = 200;

        private int _depth;

        /// <summary>The C# type for a schema at a use site; inline objects and enums become types named after <paramref name="contextName"/>.</summary>
        private TypeRef Resolve(IOpenApiSchema? schema, string contextName, string pointer)
        {
            if (schema is null) return TypeRef.Json;
            if (_depth >= MaxDepth)
            {
                Unsupported(pointer, "A schema nested " + MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture) + " levels deep", "deeper schemas are not followed", "System.Text.Json.JsonElement");
                return TypeRef.Json.WithNullable(true);
            }
            _depth++;
            try
            {
                return ResolveCore(schema, contextName, pointer);
            }
            finally
            {
                _depth--;
            }
        }

        private TypeRef ResolveCore(IOpenApiSchema schema, string contextName, string pointer)
        {
            if (schema is OpenApiSchemaReference reference)
            {
                var id = reference.Reference?.Id;
                if (reference.Reference?.IsExternal == true)
                {
                    Unsupported(pointer, "The reference '" + (reference.Reference?.ReferenceV3 ?? "?") + "'", "external references are not loaded", "System.Text.Json.JsonElement");
                    return TypeRef.Json.WithNullable(true);
                }
                var text = WrittenReference(pointer) ?? reference.Reference?.ReferenceV3 ?? "";
                if (PointsInside(text))
                {
                    // A JSON pointer inside a schema or an operation: followed; an error only when it reaches nothing.
                    if (PointedType(text, contextName) is { } pointed) return pointed;
                    _diagnostics.Add(DiagnosticDescriptors.DanglingReference, pointer + "/$ref", text);
                    return TypeRef.Json.WithNullable(true);
                }
                if (id is null || !ComponentSchemas.ContainsKey(id) && !(text.StartsWith("#/components/", StringComparison.Ordinal) || text.StartsWith("#/definitions/", StringComparison.Ordinal)))
                {
                    // An anchor or $dynamicRef ('#itemType'), which no component names: not a typo, a construct not followed.
                    Unsupported(pointer, "The reference '" + (text.Length == 0 ? "?" : text) + "'", "only references to components are followed", "System.Text.Json.JsonElement");
                    return TypeRef.Json.WithNullable(true);
                }
                if (!ComponentSchemas.ContainsKey(id))
                {
                    // A typo in a $ref silently typing a body as JsonElement would only surface at run time: an error, at the $ref.
                    _diagnostics.Add(DiagnosticDescriptors.DanglingReference, pointer + "/$ref", reference.Reference?.ReferenceV3 ?? "?");
                    return TypeRef.Json.WithNullable(true);
                }
                return ResolveComponent(id);
            }

            var nullable = IsNullable(schema);
            if (schema.AllOf is { Count: > 0 } allOf && schema.Properties is not { Count: > 0 })
            {
                var parts = Listed(allOf).Where(p => !IsNullOnly(p)).ToList();
                if (parts.Count == 1)
                {
                    var single = Resolve(parts[0], contextName, pointer + "/allOf/0");
                    return single.WithNullable(nullable || single.Nullable);
                }
            }
            if (schema.OneOf is not { Count: > 0 } && schema.AnyOf is not { Count: > 0 } && schema.AllOf is not { Count: > 0 }
                && TypeChoices(schema) is { } typed && ShapesOf(typed, out _) is { } typedShapes)
            {
                // type: [integer, string] (with properties for its object, items for its array): a union by kind.
                return KindUnion(contextName, schema, typed, typedShapes, pointer).WithNullable(nullable);
            }
            if (IsObjectLike(schema))
            {
                // An inline object met again while it is being built (it includes, through allOf, a component that
                // holds it) is the type being built: a recursive record, not a new type per level.
                if (_inlineObjectsInProgress.TryGetValue(schema, out var building)) return new TypeRef(TypeKind.Object, building, Nullable: true);
                // An object written exactly as a component is that component.
                if (ComponentWithShape(schema) is { } componentId && ResolveComponent(componentId) is { Kind: TypeKind.Object } component) return component.WithNullable(nullable);
                // A titled object the document repeats (descriptions aside) is one type, named by its title.
                var shared = SharedInlineName(schema);
                if (shared is { Built: true } copy) return new TypeRef(TypeKind.Object, copy.Name, Nullable: nullable);
                var name = shared?.Name ?? Naming.Unique(Naming.Pascal(contextName), _typeNames);
                if (shared is not null)
                {
                    _typeNames.Add(name);
                    _repeatedInlineTypes.Add(name);
                }
                _inlineObjectsInProgress[schema] = name;
                try
                {
                    BuildObject(name, schema, pointer, null);
                }
                finally
                {
                    _inlineObjectsInProgress.Remove(schema);
                }
                return new TypeRef(TypeKind.Object, name, Nullable: nullable);
            }

            var choices = Choices(schema);
            if (choices.Count > 0)
            {
                var nonNull = choices.Where(c => !IsNullOnly(c)).ToList();
                nullable |= nonNull.Count != choices.Count;
                if (nonNull.Count == 1)
                {
                    var single = Resolve(nonNull[0], contextName, pointer);
                    return single.WithNullable(nullable || single.Nullable);
                }
                if (nonNull.Count > 1 && StringChoice(nonNull, contextName, null) is { } text) return text.WithNullable(nullable || text.Nullable);
                if (nonNull.Count > 1 && IsUnionOnly(schema) && InlineDiscriminator(schema, nonNull) is { } property)
                {
                    return BuildInlineUnion(Naming.Unique(Naming.Pascal(contextName), _typeNames), schema, nonNull, property, pointer).WithNullable(nullable);
                }
                if (nonNull.Count > 1 && IsUnionOnly(schema) && WrappedVariants(schema, nonNull, out var wrappedProperty, out _) is { } wrapped)
                {
                    return BuildWrappedUnion(Naming.Unique(Naming.Pascal(contextName), _typeNames), schema, wrapped, wrappedProperty!, pointer).WithNullable(nullable);
                }
                string? shapeReason = null;
                if (nonNull.Count > 1 && ShapesOf(nonNull, out shapeReason) is { } shapes) return KindUnion(contextName, schema, nonNull, shapes, pointer).WithNullable(nullable);
                if (nonNull.Count > 1 && !IsConstraintOnly(nonNull))
                {
                    Unsupported(pointer, "An inline oneOf/anyOf", "its variants have no discriminator or constant property, and " + shapeReason, "System.Text.Json.JsonElement");
                    return TypeRef.Json.WithNullable(nullable);
                }
            }

            // A one-value enum is a constant, as const is: a string documented with its value (Describe), not a type of
            // its own. Stripe writes 977 of them inline (its "" that clears a field, each list's object: list).
            if (OnlyValue(schema) is not null) return new TypeRef(TypeKind.String, Nullable: nullable || HasNullEnumValue(schema));

            if (IsStringEnum(schema))
            {
                // An enum the document repeats under one name, with the same values, is one type named after it.
                var shared = SharedEnumName(schema);
                if (shared is { Built: true } copy) return new TypeRef(TypeKind.Enum, copy.Name, Nullable: nullable || HasNullEnumValue(schema));
                var name = shared?.Name ?? Naming.Unique(Naming.Pascal(contextName), _typeNames);
                if (shared is not null)
                {
                    _typeNames.Add(name);
                    _repeatedInlineEnumTypes.Add(name);
                }
                BuildEnum(name, shared is null ? Describe(schema) : null, schema.Enum!);
                return new TypeRef(TypeKind.Enum, name, Nullable: nullable || HasNullEnumValue(schema));
            }

            var types = NonNullTypes(schema.Type);
            if (types.Count > 1)
            {
                Unsupported(pointer, "A schema of several types (" + string.Join(", ", types.Select(t => t.ToString().ToLowerInvariant())) + ")", "C# has no union of primitive types", "System.Text.Json.JsonElement");
                return TypeRef.Json.WithNullable(nullable);
            }
            var kind = types.Count == 1 ? types[0] : (JsonSchemaType?)null;
            switch (kind)
            {
                case JsonSchemaType.String:
                    return StringType(schema, pointer).WithNullable(nullable);
                case JsonSchemaType.Integer:
                    return new TypeRef(IsInt32(schema) ? TypeKind.Int32 : TypeKind.Int64, Nullable: nullable);
                case JsonSchemaType.Number:
                    return new TypeRef(schema.Format == "decimal" ? TypeKind.Decimal : TypeKind.Double, Nullable: nullable);
                case JsonSchemaType.Boolean:
                    return new TypeRef(TypeKind.Boolean, Nullable: nullable);
                case JsonSchemaType.Array:
                    return new TypeRef(TypeKind.List, Element: Resolve(schema.Items, contextName + "Item", pointer + "/items"), Nullable: nullable);
                default:
                    if (schema.AdditionalProperties is { } values)
                    {
                        return new TypeRef(TypeKind.Map, Element: Resolve(values, contextName + "Value", pointer + "/additionalProperties"), Nullable: nullable);
                    }
                    if (kind is null && schema.Items is not null)
                    {
                        return new TypeRef(TypeKind.List, Element: Resolve(schema.Items, contextName + "Item", pointer + "/items"), Nullable: nullable);
                    }
                    // Free-form object or a schema without a type: any JSON value.
                    return TypeRef.Json.WithNullable(nullable);
            }
        }

        private TypeRef StringType(IOpenApiSchema schema, string pointer)
        {
            switch (schema.Format)
            {
                case "date-time": return new TypeRef(TypeKind.DateTimeOffset);
                case "date": return new TypeRef(TypeKind.DateOnly);
                case "uuid": return new TypeRef(TypeKind.Guid);
                case "uri": return new TypeRef(TypeKind.Uri);
                // 'binary' has no JSON form of its own; as 'byte' it is base64 in JSON, and raw bytes in a
                // multipart part, where it is mostly used.
                case "byte" or "binary": return new TypeRef(TypeKind.Bytes);
                default: return new TypeRef(TypeKind.String);
            }
        }

        private static bool IsInt32(IOpenApiSchema schema)
        {
            if (schema.Format == "int64") return false;
            if (schema.Format == "int32") return true;
            // No format: int, unless the declared range needs more.
            return Fits(schema.Minimum) && Fits(schema.Maximum);

            static bool Fits(string? bound) =>
                bound is null || (decimal.TryParse(bound, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= int.MinValue && value <= int.MaxValue);
        }

        private readonly Dictionary<IOpenApiSchema, List<IOpenApiSchema>> _typeChoices = new(SameInstance.Instance);

        /// <summary>
        /// For a schema of several JSON types besides null (<c>type: [integer, string]</c>), one schema per type with that
        /// type's own keywords (a string's format and values, an array's items, an object's properties): the choices of
        /// the oneOf it means. Null for a schema of one type or none. The same instances each time, so an inline object
        /// among them is recognised when met again.
        /// </summary>
        private List<IOpenApiSchema>? TypeChoices(IOpenApiSchema schema)
        {
            if (schema is OpenApiSchemaReference) return null;
            var types = NonNullTypes(schema.Type);
            if (types.Count < 2) return null;
            if (_typeChoices.TryGetValue(schema, out var known)) return known;
            return _typeChoices[schema] = types.Select(type => (IOpenApiSchema)Narrowed(schema, type)).ToList();

            static OpenApiSchema Narrowed(IOpenApiSchema schema, JsonSchemaType type)
            {
                var narrowed = new OpenApiSchema { Type = type, Description = schema.Description };
                switch (type)
                {
                    case JsonSchemaType.String:
                        narrowed.Format = schema.Format;
                        var texts = schema.Enum?.Where(v => v is JsonValue value && value.TryGetValue<string>(out _)).ToList();
                        if (texts is { Count: > 0 }) narrowed.Enum = texts;
                        break;
                    case JsonSchemaType.Integer or JsonSchemaType.Number:
                        narrowed.Format = schema.Format;
                        narrowed.Minimum = schema.Minimum;
                        narrowed.Maximum = schema.Maximum;
                        break;
                    case JsonSchemaType.Array:
                        narrowed.Items = schema.Items;
                        break;
                    case JsonSchemaType.Object:
                        narrowed.Properties = schema.Properties;
                        narrowed.Required = schema.Required;
                        narrowed.AdditionalProperties = schema.AdditionalProperties;
                        narrowed.AdditionalPropertiesAllowed = schema.AdditionalPropertiesAllowed;
                        break;
                }
                return narrowed;
            }
        }

        private static List<JsonSchemaType> NonNullTypes(JsonSchemaType? type)
        {
            var result = new List<JsonSchemaType>();
            if (type is null) return result;
            foreach (var flag in new[] { JsonSchemaType.Boolean, JsonSchemaType.Integer, JsonSchemaType.Number, JsonSchemaType.String, JsonSchemaType.Object, JsonSchemaType.Array })
            {
                if ((type.Value & flag) == flag) result.Add(flag);
            }
            // "integer" and "number" together are just a number.
            if (result.Contains(JsonSchemaType.Integer) && result.Contains(JsonSchemaType.Number)) result.Remove(JsonSchemaType.Integer);
            return result;
        }

        /// <summary>
        /// Whether JSON <c>null</c> is allowed: <c>type: [X, "null"]</c>, or 3.0's <c>nullable: true</c>, which is
        /// honoured in a 3.1 document too (OpenAPI.NET keeps it there as an unrecognized keyword; counted for TFG0012).
        /// </summary>
        private bool IsNullable(IOpenApiSchema schema)
        {
            if (schema.Type is { } type && (type & JsonSchemaType.Null) == JsonSchemaType.Null) return true;
            if (!HasNullableKeyword(schema)) return false;
            _nullableKeywordUses.Add(schema);
            return true;
        }

        private readonly HashSet<IOpenApiSchema> _nullableKeywordUses = new(SameInstance.Instance);

        private sealed class SameInstance : IEqualityComparer<IOpenApiSchema>
        {
            public static readonly SameInstance Instance = new();

            public bool Equals(IOpenApiSchema? x, IOpenApiSchema? y) => ReferenceEquals(x, y);

            public int GetHashCode(IOpenApiSchema obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }

        private static bool HasNullableKeyword(IOpenApiSchema schema)
        {
            var node = schema.UnrecognizedKeywords is { } keywords && keywords.TryGetValue("nullable", out var keyword) ? keyword
                : schema.Extensions is { } extensions && extensions.TryGetValue("nullable", out var extension) && extension is JsonNodeExtension json ? json.Node
                : null;
            return node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
        }

        private static bool IsNullOnly(IOpenApiSchema schema) =>
            schema is not OpenApiSchemaReference && schema.Type == JsonSchemaType.Null;

        private static bool HasNullEnumValue(IOpenApiSchema schema) => schema.Enum?.Any(IsNullValue) == true;

        /// <summary>A JSON <c>null</c> in an enum or const, which OpenAPI.NET keeps as a sentinel.</summary>
        private static bool IsNullValue(JsonNode? node) => node is null || JsonNullSentinel.IsJsonNullSentinel(node);

        /// <summary>oneOf entries that only add constraints (e.g. <c>required: [a]</c>) to the surrounding schema.</summary>
        private static bool IsConstraintOnly(List<IOpenApiSchema> choices) =>
            choices.All(c => c is not OpenApiSchemaReference && c.Type is null && c.Properties is not { Count: > 0 } && c.OneOf is not { Count: > 0 } && c.AllOf is not { Count: > 0 } && c.Enum is not { Count: > 0 });

        private static bool IsStringEnum(IOpenApiSchema schema)
        {
            if (schema.Enum is not { Count: > 0 } values) return false;
            var types = NonNullTypes(schema.Type);
            if (types.Count > 1 || types.Count == 1 && types[0] != JsonSchemaType.String) return false;
            return values.Where(v => !IsNullValue(v)).All(v => v is JsonValue value && value.TryGetValue<string>(out _)) && values.Any(v => !IsNullValue(v));
        }

        /// <summary>An object with properties (own or through allOf): a record.</summary>
        private bool IsObjectLike(IOpenApiSchema schema) => IsObjectLike(schema, new HashSet<string>(StringComparer.Ordinal));

        private bool IsObjectLike(IOpenApiSchema schema, HashSet<string> visiting)
        {
            if (schema is OpenApiSchemaReference { Reference.Id: { } id })
            {
                // A schema that includes itself (allOf: [$ref: self]) is not an object by that path.
                if (!visiting.Add(id) || !ComponentSchemas.TryGetValue(id, out var target)) return false;
                return IsObjectLike(target, visiting);
            }
            // type: [string, object] with properties is a union by kind (TypeChoices), not a record.
            if (NonNullTypes(schema.Type).Count > 1) return false;
            if (schema.Properties is { Count: > 0 }) return true;
            if (schema.AllOf is { Count: > 0 } parts)
            {
                var nonNull = Listed(parts).Where(p => !IsNullOnly(p)).ToList();
                return nonNull.Count > 1 && nonNull.Any(p => IsObjectLike(p, visiting));
            }
            return false;
        }

        // ---- Objects ------------------------------------------------------------------------

        private sealed record Merged(List<(string Name, IOpenApiSchema Schema, string Pointer)> Properties, HashSet<string> Required);

        /// <summary>The properties of a schema and of everything it includes through allOf, in declaration order.</summary>
        private Merged MergedProperties(IOpenApiSchema schema, string pointer = "")
        {
            var merged = new Merged(new List<(string, IOpenApiSchema, string)>(), new HashSet<string>(StringComparer.Ordinal));
            Collect(schema, pointer, new HashSet<string>(StringComparer.Ordinal));
            return merged;

            void Collect(IOpenApiSchema? current, string at, HashSet<string> visiting)
            {
                if (current is null) return;
                if (current is OpenApiSchemaReference { Reference.Id: { } id })
                {
                    if (!visiting.Add(id) || !ComponentSchemas.TryGetValue(id, out var target) || target is null) return;
                    Collect(target, ComponentPointer(id), visiting);
                    visiting.Remove(id);
                    return;
                }
                if (current.AllOf is { } parts)
                {
                    for (var i = 0; i < parts.Count; i++) Collect(parts[i], at + "/allOf/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), visiting);
                }
                if (current.Properties is { } properties)
                {
                    foreach (var property in properties)
                    {
                        var propertyPointer = at + "/properties/" + SpecPositionMap.Escape(property.Key);
                        // A property whose value is not a schema (null, a scalar) is still a property: of any JSON value.
                        var entry = (property.Key, property.Value ?? new OpenApiSchema(), propertyPointer);
                        var index = merged.Properties.FindIndex(p => p.Name == property.Key);
                        if (index >= 0) merged.Properties[index] = entry;
                        else merged.Properties.Add(entry);
                    }
                }
                if (current.Required is { } required) merged.Required.UnionWith(required.Where(r => r is not null));
            }
        }

        private void BuildObject(string name, IOpenApiSchema schema, string pointer, VariantInfo? variant)
        {
            _types[name] = new ObjectModel(name, null, null, EquatableArray<PropertyModel>.Empty, null, null, null, null);
            var merged = MergedProperties(schema, pointer);
            var members = Naming.MemberNames(name, "AdditionalProperties");
            if (variant is not null) members.Add(variant.DiscriminatorCSharpName);
            var declared = merged.Properties.Where(p => variant is null || p.Name != variant.DiscriminatorJsonName).ToList();
            // Current properties claim their names first, so a deprecated alias that maps to the same
            // C# name (streamingUrl beside streaming_url) is the one renamed, wherever it sits in the spec.
            var csharpNames = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (jsonName, propertySchema, propertyPointer) in declared.Where(p => !p.Schema.Deprecated).Concat(declared.Where(p => p.Schema.Deprecated)))
            {
                var pascal = Naming.Pascal(jsonName);
                var csharpName = !members.Contains(pascal) ? Naming.Unique(pascal, members)
                    : pascal == name ? Naming.Unique(pascal + "Value", members)
                    : propertySchema.Deprecated ? Naming.Unique(pascal + "Alias", members)
                    : Naming.Unique(pascal, members);
                if (csharpName != pascal && pascal != name)
                {
                    _diagnostics.Add(DiagnosticDescriptors.NameConflict, propertyPointer, "Property", jsonName, csharpName, "'" + pascal + "' is already a member of '" + name + "'");
                }
                csharpNames[jsonName] = csharpName;
            }
            var properties = new List<PropertyModel>();
            foreach (var (jsonName, propertySchema, propertyPointer) in declared)
            {
                var csharpName = csharpNames[jsonName];
                var type = Resolve(propertySchema, name + Naming.Pascal(jsonName), propertyPointer);
                properties.Add(new PropertyModel(
                    jsonName,
                    csharpName,
                    type,
                    merged.Required.Contains(jsonName),
                    Describe(propertySchema),
                    ExampleOf(propertySchema),
                    propertySchema.Deprecated));
            }
            _types[name] = new ObjectModel(
                name,
                Describe(schema),
                ExampleOf(schema),
                properties.ToEquatableArray(),
                variant?.UnionName,
                variant?.DiscriminatorJsonName,
                variant?.DiscriminatorCSharpName,
                variant?.Value);
        }

        /// <summary>
        /// For choices that are all inline objects: the property that tells them apart — the discriminator's, or one every
        /// variant has with a single constant value (<c>const</c>, or a one-value <c>enum</c>), distinct across variants.
        /// </summary>
        private string? InlineDiscriminator(IOpenApiSchema schema, List<IOpenApiSchema> choices)
        {
            if (choices.Any(c => c is OpenApiSchemaReference || !IsObjectLike(c))) return null;
            var candidates = schema.Discriminator?.PropertyName is { Length: > 0 } named
                ? new List<string> { named }
                : MergedProperties(choices[0]).Properties.Select(p => p.Name).ToList();
            foreach (var candidate in candidates)
            {
                var values = choices.Select(c => ConstantOf(c, candidate)).ToList();
                if (values.All(v => v is not null) && values.Distinct(StringComparer.Ordinal).Count() == values.Count) return candidate;
            }
            return null;
        }

        /// <summary>A discriminated union whose variants are the inline objects, each a record named after the union and its value.</summary>
        private TypeRef BuildInlineUnion(string name, IOpenApiSchema schema, List<IOpenApiSchema> choices, string discriminator, string pointer)
        {
            var discriminatorCSharpName = DiscriminatorPropertyName(discriminator, name);
            var unknownName = Naming.Unique("Unknown" + name, _typeNames);
            _types[name] = new UnionModel(name, null, discriminator, discriminatorCSharpName, unknownName, EquatableArray<UnionVariantModel>.Empty);
            var variants = new List<UnionVariantModel>();
            var at = pointer + (schema.OneOf is { Count: > 0 } ? "/oneOf/" : "/anyOf/");
            for (var i = 0; i < choices.Count; i++)
            {
                var value = ConstantOf(choices[i], discriminator)!;
                var variantName = Naming.Unique(name + Naming.Pascal(value), _typeNames);
                BuildObject(variantName, choices[i], at + i.ToString(System.Globalization.CultureInfo.InvariantCulture), new VariantInfo(name, discriminator, discriminatorCSharpName, value));
                variants.Add(new UnionVariantModel(value, variantName));
            }
            _types[name] = new UnionModel(name, Describe(schema), discriminator, discriminatorCSharpName, unknownName, variants.ToEquatableArray());
            return new TypeRef(TypeKind.Union, name);
        }

        /// <summary>
        /// For object choices, inline or by $ref, told apart by one property — the discriminator's, or one with a
        /// distinct constant in every choice — each choice with the values that select it: its mapping keys, else the value
        /// of the union its record derives from, else its constant, else (a $ref) its component's name. Null when a choice
        /// is not an object or gets no value, with <paramref name="reason"/> saying which. Choices may share a value:
        /// <see cref="BuildWrappedUnion"/> reports it and tells them apart by their required properties.
        /// </summary>
        private List<(IOpenApiSchema Choice, List<string> Values)>? WrappedVariants(IOpenApiSchema schema, List<IOpenApiSchema> choices, out string? property, out string reason)
        {
            property = null;
            if (choices.Any(c => !IsObjectLike(c)))
            {
                reason = "a variant is not an object";
                return null;
            }
            property = schema.Discriminator?.PropertyName is { Length: > 0 } named ? named : InferConstantProperty(choices);
            if (property is null)
            {
                reason = "no discriminator, and no property with a distinct constant value in every variant";
                return null;
            }
            var mapping = schema.Discriminator?.Mapping;
            var variants = new List<(IOpenApiSchema Choice, List<string> Values)>();
            for (var i = 0; i < choices.Count; i++)
            {
                var refId = (choices[i] as OpenApiSchemaReference)?.Reference?.Id;
                var values = mapping is null || refId is null ? new List<string>()
                    : mapping.Where(e => e.Key is not null && e.Value?.Reference?.Id == refId).Select(e => e.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
                // A record that derives from another union writes that union's value: it is the value that reads it back.
                var derived = refId is not null && _variants.TryGetValue(refId, out var other) && other.DiscriminatorJsonName == property ? other.Value : null;
                if (values.Count == 0 && (derived ?? ConstantOf(choices[i], property) ?? refId) is { } value) values.Add(value);
                if (values.Count == 0)
                {
                    reason = "variant " + ChoiceLabel(choices, i) + " has no constant '" + property + "' and no mapping entry";
                    return null;
                }
                variants.Add((choices[i], values));
            }
            reason = "";
            return variants;
        }

        /// <summary>A property every choice has with a single constant value, distinct across choices.</summary>
        private string? InferConstantProperty(List<IOpenApiSchema> choices)
        {
            foreach (var (name, _, _) in MergedProperties(choices[0]).Properties)
            {
                var values = choices.Select(c => ConstantOf(c, name)).ToList();
                if (values.All(v => v is not null) && values.Distinct(StringComparer.Ordinal).Count() == values.Count) return name;
            }
            return null;
        }

        /// <summary>
        /// A union whose object variants the discriminator's value chooses, each a nested record wrapping the variant's own
        /// record (so a component can sit in several unions, and inline variants beside $refs).
        /// </summary>
        private TypeRef BuildWrappedUnion(string name, IOpenApiSchema schema, List<(IOpenApiSchema Choice, List<string> Values)> choices, string property, string pointer)
        {
            _types[name] = new KindUnionModel(name, null, EquatableArray<KindVariantModel>.Empty, EquatableArray<string>.Empty, property);
            var members = UnionMemberNames(name);
            var variants = new List<KindVariantModel>();
            var at = pointer + (schema.OneOf is { Count: > 0 } ? "/oneOf/" : "/anyOf/");
            var labels = choices.Select(c => c.Choice).ToList();
            var shared = choices.SelectMany((c, i) => c.Values.Select(v => (Value: v, Index: i))).GroupBy(v => v.Value, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
            foreach (var group in shared)
            {
                ReportSharedValue(DiscriminatorPointer(schema, pointer), property, name, group.Key, group.Select(v => ChoiceLabel(labels, v.Index)).ToList(), group.Select(v => labels[v.Index]).ToList());
            }
            // Variants that share a value are told apart by the properties each requires.
            var sharingIndexes = shared.SelectMany(g => g.Select(v => v.Index)).Distinct().ToList();
            var required = choices.Select(c => RequiredBesides(c.Choice, property)).ToList();
            var requiredNames = sharingIndexes.SelectMany(i => required[i]).Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).Take(64).ToList();
            for (var i = 0; i < choices.Count; i++)
            {
                var (choice, values) = choices[i];
                var variantName = Naming.Unique(choice is OpenApiSchemaReference { Reference.Id: { } id } && _componentNames.TryGetValue(id, out var component) ? component
                    : !string.IsNullOrWhiteSpace(choice.Title) && Naming.Pascal(choice.Title!) is { Length: > 0 } title && title != "_" ? title
                    : Naming.Pascal(values[0]) is { Length: > 0 } pascal && pascal != "_" ? pascal
                    : "Fields" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), members);
                var type = Resolve(choice, name + variantName, at + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var mask = sharingIndexes.Contains(i) ? Mask(required[i], requiredNames) : 0UL;
                variants.Add(new KindVariantModel(JsonKind.Object, variantName, type.WithNullable(false), mask, values.ToEquatableArray()));
            }
            _types[name] = new KindUnionModel(name, Describe(schema), variants.ToEquatableArray(), requiredNames.ToEquatableArray(), property);
            return new TypeRef(TypeKind.Union, name);
        }

        /// <summary>The TFG0015 for a discriminator value that names several variants, saying how the reader chooses.</summary>
        private void ReportSharedValue(string pointer, string property, string unionName, string value, List<string> labels, List<IOpenApiSchema> variants)
        {
            var required = variants.Select(v => RequiredBesides(v, property)).ToList();
            var alike = required.Distinct(new SequenceComparer()).Count() < required.Count;
            _diagnostics.Add(DiagnosticDescriptors.RepeatedDiscriminatorValue, pointer, property, "union '" + unionName + "'",
                "the value '" + value + "' names " + string.Join(" and ", labels) + "; among them the properties each requires choose (the one requiring most first, then the first listed"
                + (alike ? "; some require the same properties, and the later of those is never read" : "") + "), and JSON none of them takes is kept as unknown");
        }

        private sealed class SequenceComparer : IEqualityComparer<List<string>>
        {
            public bool Equals(List<string>? x, List<string>? y) => x is not null && y is not null && x.SequenceEqual(y, StringComparer.Ordinal);

            // Equal lists have equal counts; the few lists compared here need no better hash.
            public int GetHashCode(List<string> obj) => obj.Count;
        }

        /// <summary>The properties a variant requires (own and through allOf) other than the discriminator, in ordinal order.</summary>
        private List<string> RequiredBesides(IOpenApiSchema variant, string property) =>
            MergedProperties(variant).Required.Where(r => r != property).OrderBy(r => r, StringComparer.Ordinal).ToList();

        /// <summary>The bits of <paramref name="required"/> in <paramref name="names"/>.</summary>
        private static ulong Mask(List<string> required, List<string> names)
        {
            var mask = 0UL;
            foreach (var property in required)
            {
                var index = names.IndexOf(property);
                if (index >= 0) mask |= 1UL << index;
            }
            return mask;
        }

        /// <summary>Where a union's discriminator diagnostics point: its <c>discriminator</c>, else the schema.</summary>
        private static string DiscriminatorPointer(IOpenApiSchema schema, string pointer) => schema.Discriminator is null ? pointer : pointer + "/discriminator";

        /// <summary>Names a union's nested records must not take: the union's own and its members'.</summary>
        private static HashSet<string> UnionMemberNames(string name) => Naming.MemberNames(name, "Unknown");

        /// <summary>The C# name of a union's discriminator property: its JSON name in PascalCase, plus <c>Value</c> where the union or a member every union has takes it.</summary>
        private static string DiscriminatorPropertyName(string jsonName, string unionName)
        {
            var name = Naming.Pascal(jsonName);
            return name == unionName || name is "Json" or "AdditionalProperties" || Naming.IsReservedMember(name) ? name + "Value" : name;
        }

        /// <summary>
        /// One choice of a union by JSON kind: its kind and, for an object, the properties it requires (ordinal order) and,
        /// when another object variant requires the same (<c>Told</c>), the properties that tell it apart: those it declares
        /// or requires and no other object variant of the union does (declaration order; none for one such twin at most).
        /// </summary>
        private sealed record Shape(JsonKind Kind, List<string> Required, List<string> Telling, bool Told = false);

        /// <summary>The properties choice <paramref name="index"/> declares and no other choice does.</summary>
        private static List<string> OwnProperties(List<List<string>> declared, int index) =>
            declared[index].Where(p => !declared.Where((_, j) => j != index).Any(d => d.Contains(p, StringComparer.Ordinal))).ToList();

        /// <summary>
        /// The shape of each choice when that tells every choice apart: each kind but object at most once (arrays too, when
        /// their items' kinds differ: <see cref="ItemKinds"/>), and several
        /// objects when each that requires the same properties as another declares a property of its own (64 required and
        /// telling names at most); else null and <paramref name="reason"/> says why.
        /// </summary>
        private List<Shape>? ShapesOf(List<IOpenApiSchema> choices, out string reason)
        {
            var kinds = new List<JsonKind>();
            for (var i = 0; i < choices.Count; i++)
            {
                if (KindOf(choices[i], new HashSet<string>(StringComparer.Ordinal)) is not { } kind)
                {
                    reason = "variant " + ChoiceLabel(choices, i) + " is not of one JSON kind";
                    return null;
                }
                if (kind != JsonKind.Object && kinds.Contains(kind) && !(kind == JsonKind.Array && ItemKinds(choices.Take(i + 1)) is not null))
                {
                    reason = "two variants are JSON " + kind.ToString().ToLowerInvariant() + "s, which nothing tells apart"
                        + (kind == JsonKind.Array ? " (their items are not each of one JSON kind, different for each)" : "");
                    return null;
                }
                kinds.Add(kind);
            }
            // A choice that is itself a union is read by its own reader: nothing outside it could tell it from another of its kind.
            var nested = Enumerable.Range(0, choices.Count).Where(i => IsUnion(choices[i]) && kinds.Count(k => k == kinds[i]) > 1).DefaultIfEmpty(-1).First();
            if (nested >= 0)
            {
                reason = "variant " + ChoiceLabel(choices, nested) + " is itself a union of JSON " + kinds[nested].ToString().ToLowerInvariant() + "s, beside another";
                return null;
            }
            var merged = choices.Select((c, i) => kinds[i] == JsonKind.Object ? MergedProperties(c) : null).ToList();
            var required = merged.Select(m => m is null ? new List<string>() : m.Required.OrderBy(r => r, StringComparer.Ordinal).ToList()).ToList();
            var declared = merged.Select(m => m is null ? new List<string>() : m.Properties.Select(p => p.Name).Concat(m.Required.OrderBy(r => r, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList()).ToList();
            var own = Enumerable.Range(0, choices.Count).Select(i => OwnProperties(declared, i)).ToList();
            var shapes = new List<Shape>();
            for (var i = 0; i < choices.Count; i++)
            {
                var twins = kinds[i] != JsonKind.Object ? new List<int>()
                    : Enumerable.Range(0, choices.Count).Where(j => j != i && kinds[j] == JsonKind.Object && required[j].SequenceEqual(required[i], StringComparer.Ordinal)).ToList();
                var telling = twins.Count == 0 ? new List<string>() : own[i];
                // One variant of those that require the same may declare nothing of its own: it takes what tells no other.
                var plainTwin = telling.Count == 0 ? twins.Where(j => own[j].Count == 0).DefaultIfEmpty(-1).First() : -1;
                if (plainTwin >= 0)
                {
                    reason = "variants " + ChoiceLabel(choices, Math.Min(i, plainTwin)) + " and " + ChoiceLabel(choices, Math.Max(i, plainTwin)) + " require the same properties ("
                        + (required[i].Count == 0 ? "none" : string.Join(", ", required[i])) + ") and neither declares a property that the other object variants do not, so nothing tells them apart";
                    return null;
                }
                shapes.Add(new Shape(kinds[i], required[i], telling, Told: twins.Count > 0));
            }
            if (shapes.Count(s => s.Kind == JsonKind.Object) > 1 && VariantKeyNames(shapes).Count > 64)
            {
                reason = "its object variants require, or are told apart by, more than 64 distinct properties";
                return null;
            }
            reason = "";
            return shapes;
        }

        /// <summary>
        /// The JSON kind of the items of each array choice (others are skipped), when every array's items are of one kind
        /// and no two arrays share it (a list of strings and a list of lists); else null.
        /// </summary>
        private List<JsonKind>? ItemKinds(IEnumerable<IOpenApiSchema> choices)
        {
            var kinds = new List<JsonKind>();
            foreach (var choice in choices)
            {
                if (KindOf(choice, new HashSet<string>(StringComparer.Ordinal)) != JsonKind.Array) continue;
                var array = ComponentOrSelf(choice);
                if (array.Items is not { } items || KindOf(items, new HashSet<string>(StringComparer.Ordinal)) is not { } itemKind || kinds.Contains(itemKind)) return null;
                kinds.Add(itemKind);
            }
            return kinds;
        }

        /// <summary>The names the reader of a union's object variants looks for (required and telling ones), in ordinal order: their indexes are the mask bits.</summary>
        private static List<string> VariantKeyNames(List<Shape> shapes) =>
            shapes.SelectMany(s => s.Required.Concat(s.Telling)).Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).ToList();

        /// <summary>A choice as a diagnostic names it: its component, else its position in the list.</summary>
        private static string ChoiceLabel(List<IOpenApiSchema> choices, int index) =>
            choices[index] is OpenApiSchemaReference { Reference.Id: { } id } ? "'" + id + "'" : "#" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>Whether a choice (or the component it names) is a oneOf/anyOf.</summary>
        private bool IsUnion(IOpenApiSchema choice) => ComponentOrSelf(choice) is var schema && (schema.OneOf is { Count: > 0 } || schema.AnyOf is { Count: > 0 });

        /// <summary>The component a <c>$ref</c> names (one level), else the schema itself.</summary>
        private IOpenApiSchema ComponentOrSelf(IOpenApiSchema schema) =>
            schema is OpenApiSchemaReference { Reference.Id: { } id } && ComponentSchemas.TryGetValue(id, out var target) && target is not null ? target : schema;

        private JsonKind? KindOf(IOpenApiSchema schema, HashSet<string> visiting)
        {
            if (schema is OpenApiSchemaReference { Reference.Id: { } id })
            {
                return visiting.Add(id) && ComponentSchemas.TryGetValue(id, out var target) ? KindOf(target, visiting) : null;
            }
            if (schema.OneOf is { Count: > 0 } || schema.AnyOf is { Count: > 0 })
            {
                // A union whose choices are all of one kind is of that kind: its own reader chooses among them.
                var kinds = Choices(schema).Where(c => !IsNullOnly(c)).Select(c => KindOf(c, new HashSet<string>(visiting, StringComparer.Ordinal))).Distinct().ToList();
                return kinds.Count == 1 ? kinds[0] : null;
            }
            if (IsObjectLike(schema)) return JsonKind.Object;
            if (IsStringEnum(schema)) return JsonKind.String;
            if (schema.Enum is { Count: > 0 } || schema.Const is not null) return null;
            var types = NonNullTypes(schema.Type);
            if (types.Count > 1) return null;
            if (types.Count == 0) return schema.Items is not null ? JsonKind.Array : schema.AdditionalProperties is not null || schema.AllOf is { Count: > 0 } ? JsonKind.Object : null;
            return types[0] switch
            {
                JsonSchemaType.String => JsonKind.String,
                JsonSchemaType.Integer or JsonSchemaType.Number => JsonKind.Number,
                JsonSchemaType.Boolean => JsonKind.Boolean,
                JsonSchemaType.Array => JsonKind.Array,
                _ => JsonKind.Object,
            };
        }

        /// <summary>The kind unions named after what they hold (<see cref="KindUnion"/>), built once each.</summary>
        private readonly HashSet<string> _unionsNamedByVariants = new(StringComparer.Ordinal);

        private HashSet<string>? _componentTypeNames;

        /// <summary>
        /// An inline union by kind. One whose variants are all components, repeated titled objects and primitives (or lists
        /// and maps of them) is named after them, in the spec's order (<c>StringOrCustomerOrDeletedCustomer</c>), and is one
        /// type wherever the document writes it: Stripe writes <c>anyOf: [string, $ref: customer, $ref: deleted_customer]</c>
        /// in 16 places, and such unions 607 times, 141 different ones. The name says the whole shape, so two places with
        /// the same name hold the same type, and it does not change when the document adds a place. Any other union, and
        /// one whose name another type has, is named after its place.
        /// </summary>
        private TypeRef KindUnion(string contextName, IOpenApiSchema schema, List<IOpenApiSchema> choices, List<Shape> shapes, string pointer)
        {
            var placeName = Naming.Unique(Naming.Pascal(contextName), _typeNames);
            var variantTypes = new List<TypeRef>();
            var union = BuildKindUnion(placeName, schema, choices, shapes, pointer, variantTypes);
            if (_types[placeName] is not KindUnionModel built || VariantsName(variantTypes) is not { } name) return union;
            if (!_unionsNamedByVariants.Contains(name) && _typeNames.Contains(name)) return union;
            _types.Remove(placeName);
            _typeNames.Remove(placeName);
            if (_unionsNamedByVariants.Add(name))
            {
                _typeNames.Add(name);
                _types[name] = built with { Name = name, Description = null };
            }
            return new TypeRef(TypeKind.Union, name);
        }

        /// <summary>A union's name made of its variants' types (in spec order), or null when a variant is an inline type (named after its place) or the name would be long.</summary>
        private string? VariantsName(List<TypeRef> variantTypes)
        {
            if (variantTypes.Count > 4) return null;
            _componentTypeNames ??= new HashSet<string>(_componentNames.Values, StringComparer.Ordinal);
            var words = new List<string>();
            foreach (var type in variantTypes)
            {
                if (Word(type) is not { } word) return null;
                words.Add(word);
            }
            var name = string.Join("Or", words);
            return name.Length <= 64 ? name : null;

            string? Word(TypeRef type) => type.Kind switch
            {
                TypeKind.String => "String",
                TypeKind.Int32 => "Integer",
                TypeKind.Int64 => "Long",
                TypeKind.Double => "Number",
                TypeKind.Decimal => "Decimal",
                TypeKind.Boolean => "Boolean",
                TypeKind.DateTimeOffset => "DateTime",
                TypeKind.DateOnly => "Date",
                TypeKind.Guid => "Guid",
                TypeKind.Uri => "Uri",
                TypeKind.Bytes => "Bytes",
                // A component's name, or a repeated titled object's or enum's: names that say what the type is, wherever it is used.
                TypeKind.Object or TypeKind.Enum or TypeKind.Union when _componentTypeNames.Contains(type.Name!) || _repeatedInlineTypes.Contains(type.Name!) || _repeatedInlineEnumTypes.Contains(type.Name!) => type.Name,
                // An element that may be null is a different C# type the name would not tell apart (string?[] from string[]).
                TypeKind.List => !type.Element!.Nullable && Word(type.Element) is { } item ? item + "List" : null,
                TypeKind.Map => !type.Element!.Nullable && Word(type.Element) is { } value ? value + "Map" : null,
                _ => null,
            };
        }

        private TypeRef BuildKindUnion(string name, IOpenApiSchema schema, List<IOpenApiSchema> choices, List<Shape> shapes, string pointer, List<TypeRef>? variantTypes = null)
        {
            _types[name] = new KindUnionModel(name, null, EquatableArray<KindVariantModel>.Empty, EquatableArray<string>.Empty);
            var objects = shapes.Count(s => s.Kind == JsonKind.Object);
            // Several arrays are told apart by the kind of their items (the first item's, when the value is read).
            var itemKinds = shapes.Count(s => s.Kind == JsonKind.Array) > 1 ? ItemKinds(choices) : null;
            var arrayIndex = 0;
            var keyNames = objects > 1 ? VariantKeyNames(shapes) : new List<string>();
            var members = UnionMemberNames(name);
            var variants = new List<KindVariantModel>();
            // The variants of a schema of several types are that schema itself.
            var listed = schema.OneOf is { Count: > 0 } ? "/oneOf/" : schema.AnyOf is { Count: > 0 } ? "/anyOf/" : null;
            for (var i = 0; i < choices.Count; i++)
            {
                var (kind, required, telling, _) = shapes[i];
                var itemKind = kind == JsonKind.Array && itemKinds is not null ? itemKinds[arrayIndex++] : (JsonKind?)null;
                var variantName = Naming.Unique(kind switch
                {
                    JsonKind.String => "Text",
                    JsonKind.Number => "Number",
                    JsonKind.Boolean => "Flag",
                    JsonKind.Array when itemKind is { } items => items switch
                    {
                        JsonKind.String => "Texts",
                        JsonKind.Number => "Numbers",
                        JsonKind.Boolean => "Flags",
                        JsonKind.Array => "Lists",
                        _ => "Objects",
                    },
                    JsonKind.Array => "Items",
                    _ when objects > 1 => ObjectVariantName(choices, shapes, i),
                    _ => "Fields",
                }, members);
                var type = Resolve(choices[i], name + variantName, listed is null ? pointer : pointer + listed + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                // A told variant must have none of the others' own properties: an object with two variants' is Unknown.
                var excluded = shapes[i].Told ? Mask(shapes.SelectMany(s => s.Telling).Except(telling, StringComparer.Ordinal).ToList(), keyNames) : 0UL;
                variantTypes?.Add(type);
                variants.Add(new KindVariantModel(kind, variantName, type.WithNullable(false), Mask(required, keyNames), TellingMask: Mask(telling, keyNames), ExcludedMask: excluded, ItemKind: itemKind));
            }
            // The reader tries object variants with the most required properties first; a tie keeps the spec's order.
            var ordered = variants.OrderBy(v => v.Kind).ThenByDescending(v => Bits.Count(v.RequiredMask)).ToEquatableArray();
            _types[name] = new KindUnionModel(name, Describe(schema), ordered, keyNames.ToEquatableArray());
            return new TypeRef(TypeKind.Union, name);
        }

        /// <summary>
        /// An object variant's nested record name: its component's, else its title, else the first property it alone
        /// requires (in declaration order), else the first that tells it apart, else <c>Fields{n}</c>.
        /// </summary>
        private string ObjectVariantName(List<IOpenApiSchema> choices, List<Shape> shapes, int index)
        {
            if (choices[index] is OpenApiSchemaReference { Reference.Id: { } id }) return _componentNames.TryGetValue(id, out var component) ? component : Naming.Pascal(id);
            if (!string.IsNullOrWhiteSpace(choices[index].Title) && Naming.Pascal(choices[index].Title!) is { Length: > 0 } title && title != "_") return title;
            var own = MergedProperties(choices[index]).Properties.Select(p => p.Name)
                .FirstOrDefault(r => shapes[index].Required.Contains(r) && shapes.Where((_, j) => j != index).All(s => !s.Required.Contains(r)))
                ?? shapes[index].Telling.FirstOrDefault();
            return own is null ? "Fields" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "With" + Naming.Pascal(own);
        }

        private void BuildEnum(string name, IOpenApiSchema schema) => BuildEnum(name, Describe(schema), schema.Enum!);

        private void BuildEnum(string name, string? description, IEnumerable<JsonNode?> enumValues)
        {
            var members = Naming.MemberNames(name, "Value", "IsKnown");
            var values = new List<EnumMemberModel>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in enumValues)
            {
                if (IsNullValue(node) || node is not JsonValue value || !value.TryGetValue<string>(out var text) || !seen.Add(text)) continue;
                var pascal = Naming.Pascal(text);
                if (pascal == "_") pascal = "Empty";
                values.Add(new EnumMemberModel(Naming.Unique(members.Contains(pascal) ? pascal + "Value" : pascal, members), text));
            }
            _types[name] = new EnumModel(name, description, values.ToEquatableArray());
        }

        /// <summary>
        /// The type of a oneOf/anyOf whose every choice is a string — plain, or a string enum inline or by $ref — or null
        /// when one is not: a plain string when no choice lists values; the enum component when it is the only one
        /// with values (an open enum takes any other string anyway); else an open enum of every listed value, named
        /// <paramref name="name"/> (a component's own, already reserved) or after <paramref name="contextName"/>.
        /// </summary>
        private TypeRef? StringChoice(List<IOpenApiSchema> choices, string contextName, string? name)
        {
            if (!IsStringChoice(choices, out var values, out var enumComponents, out var inlineEnums, out var description)) return null;
            // A string, or one value more (Stripe's anyOf [string, enum [""]]): the value is a string either way.
            if (enumComponents.Count == 0 && values.Where(v => !IsNullValue(v)).Select(v => v!.ToJsonString()).Distinct(StringComparer.Ordinal).Count() <= 1) return new TypeRef(TypeKind.String);
            if (inlineEnums == 0 && enumComponents.Distinct(StringComparer.Ordinal).Count() == 1) return ResolveComponent(enumComponents[0]);
            var enumName = name ?? Naming.Unique(Naming.Pascal(contextName), _typeNames);
            BuildEnum(enumName, description, values);
            return new TypeRef(TypeKind.Enum, enumName);
        }

        private bool IsStringChoice(List<IOpenApiSchema> choices, out List<JsonNode?> values, out List<string> enumComponents, out int inlineEnums, out string? description)
        {
            values = new List<JsonNode?>();
            enumComponents = new List<string>();
            inlineEnums = 0;
            description = null;
            foreach (var choice in choices)
            {
                var target = choice;
                string? componentId = null;
                if (choice is OpenApiSchemaReference { Reference.Id: { } id })
                {
                    if (!ComponentSchemas.TryGetValue(id, out var component) || component is OpenApiSchemaReference) return false;
                    (target, componentId) = (component, id);
                }
                if (target.Properties is { Count: > 0 } || target.AllOf is { Count: > 0 } || target.OneOf is { Count: > 0 } || target.AnyOf is { Count: > 0 }) return false;
                if (IsStringEnum(target))
                {
                    values.AddRange(target.Enum!);
                    description ??= Describe(target);
                    if (componentId is not null) enumComponents.Add(componentId);
                    else inlineEnums++;
                    continue;
                }
                if (target.Enum is { Count: > 0 } || target.Const is not null) return false;
                var types = NonNullTypes(target.Type);
                if (types.Count != 1 || types[0] != JsonSchemaType.String || target.Format is "date-time" or "date" or "uuid" or "uri" or "byte" or "binary") return false;
            }
            return true;
        }

        private void BuildUnion(string name, IOpenApiSchema schema, UnionInfo union, string pointer)
        {
            var variant = _variants.Values.First(v => v.UnionName == name);
            var unknownName = Naming.Unique("Unknown" + name, _typeNames);
            var at = DiscriminatorPointer(schema, pointer);
            var shared = union.Variants.GroupBy(v => v.Value, StringComparer.Ordinal).Where(g => g.Select(v => v.ComponentId).Distinct().Count() > 1).ToList();
            foreach (var group in shared)
            {
                var ids = group.Select(v => v.ComponentId).Distinct().ToList();
                ReportSharedValue(at, union.DiscriminatorJsonName, name, group.Key, ids.Select(i => "'" + i + "'").ToList(), ids.Select(i => ComponentSchemas[i]).ToList());
            }
            // Variants that share a value are told apart by the properties each requires.
            var sharing = shared.SelectMany(g => g.Select(v => v.ComponentId)).Distinct().ToDictionary(i => i, i => RequiredBesides(ComponentSchemas[i], union.DiscriminatorJsonName));
            var requiredNames = sharing.Values.SelectMany(r => r).Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).Take(64).ToList();
            var variants = new List<UnionVariantModel>();
            foreach (var (value, componentId) in union.Variants)
            {
                var type = ResolveComponent(componentId);
                var mask = sharing.TryGetValue(componentId, out var required) ? Mask(required, requiredNames) : 0UL;
                if (type.Name is not null) variants.Add(new UnionVariantModel(value, type.Name, mask));
            }
            foreach (var named in union.Variants.GroupBy(v => v.ComponentId, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                _diagnostics.Add(DiagnosticDescriptors.RepeatedDiscriminatorValue, at, union.DiscriminatorJsonName, "union '" + name + "'",
                    "'" + named.Key + "' is named by '" + string.Join("' and '", named.Select(v => v.Value)) + "'; each reads it, and it is written back as '"
                    + _variants[named.Key].Value + "'");
            }
            _types[name] = new UnionModel(name, Describe(schema), union.DiscriminatorJsonName, variant.DiscriminatorCSharpName, unknownName, variants.ToEquatableArray(), requiredNames.ToEquatableArray());
        }

        private static string? Describe(IOpenApiSchema schema)
        {
            var text = !string.IsNullOrWhiteSpace(schema.Description) ? schema.Description : schema.Title;
            text = string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
            if (OnlyValue(schema) is not { } constant || text is not null && (text.Contains("`" + constant + "`") || text.Contains("\"" + constant + "\""))) return text;
            var always = "Always \"" + constant + "\".";
            return text is null ? always : text + (text.EndsWith(".", StringComparison.Ordinal) ? " " : ". ") + always;
        }

        /// <summary>The one string an inline schema allows: its <c>const</c>, or the single value of its enum (null aside); null for any other.</summary>
        private static string? OnlyValue(IOpenApiSchema schema)
        {
            if (schema is OpenApiSchemaReference) return null;
            if (schema.Const is { } constant) return NonNullTypes(schema.Type) is { Count: 0 } or [JsonSchemaType.String] ? constant : null;
            if (!IsStringEnum(schema)) return null;
            var values = schema.Enum!.Where(v => !IsNullValue(v)).Select(v => v!.GetValue<string>()).Distinct(StringComparer.Ordinal).ToList();
            return values.Count == 1 ? values[0] : null;
        }

        private static string? ExampleOf(IOpenApiSchema schema)
        {
            var example = schema.Examples?.FirstOrDefault();
#pragma warning disable CS0618 // OpenAPI 3.0's singular 'example' is still what most specs use.
            example ??= schema.Example;
#pragma warning restore CS0618
            if (example is null) return null;
            var json = example.ToJsonString();
            return json.Length > 200 ? null : json;
        }
    }
}
