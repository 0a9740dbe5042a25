using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using TinyFish.Toolkit.Generator.Helpers;
using TinyFish.Toolkit.Generator.Model;
using ParameterLocation = TinyFish.Toolkit.Generator.Model.ParameterLocation;
using ParameterStyle = TinyFish.Toolkit.Generator.Model.ParameterStyle;

namespace TinyFish.Toolkit.Generator;

public sealed partial class ClientGenerator
{
    private sealed partial class ModelBuilder
    {
        private static readonly HashSet<string> IdempotentMethods = new(StringComparer.OrdinalIgnoreCase) { "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE" };
        private static readonly string[] CursorParameterNames = { "cursor", "pagetoken", "pagecursor", "nextpagetoken", "nexttoken", "continuationtoken", "after", "startingafter", "marker" };
        private static readonly string[] ItemsPropertyNames = { "data", "items", "results", "entries", "records", "values", "elements" };
        private static readonly string[] NextCursorPropertyNames = { "nextcursor", "nextpagetoken", "nexttoken", "nextpagecursor", "continuationtoken", "endcursor", "cursor", "next" };
        private static readonly string[] HasMorePropertyNames = { "hasmore", "hasnext", "hasnextpage", "more" };

        private readonly Dictionary<string, (string PropertyName, string ClassName)> _groupNames = new(StringComparer.Ordinal);

        /// <summary>Which operation has each method name, per group (keyed by the group's set of names), for TFG0014.</summary>
        private readonly Dictionary<(HashSet<string> Group, string Method), (string Operation, string OperationId)> _methodOwners = new();

        private static string Key(string name) => new string(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

        /// <summary>The operations the client is generated for: every one, or those the selection names (listed once, in spec order).</summary>
        private List<(string Path, IOpenApiPathItem Item, HttpMethod Method, OpenApiOperation Operation)> Operations() => _operations ??= SelectOperations();

        private List<(string Path, IOpenApiPathItem Item, HttpMethod Method, OpenApiOperation Operation)>? _operations;

        private List<(string Path, IOpenApiPathItem Item, HttpMethod Method, OpenApiOperation Operation)> SelectOperations()
        {
            var selected = AllOperations().Where(o => _selection.Includes(o.Method.Method, o.Path, o.Operation?.OperationId)).ToList();
            foreach (var entry in _selection.Unmatched) _diagnostics.Add(DiagnosticDescriptors.UnmatchedOperationsEntry, null, entry);
            return selected;
        }

        /// <summary>Every operation of the document, selected or not.</summary>
        private IEnumerable<(string Path, IOpenApiPathItem Item, HttpMethod Method, OpenApiOperation Operation)> AllOperations()
        {
            foreach (var path in _document.Paths ?? new OpenApiPaths())
            {
                if (path.Value?.Operations is not { } operations) continue;
                foreach (var operation in operations) yield return (path.Key, path.Value, operation.Key, operation.Value);
            }
        }

        private static string? TagOf(OpenApiOperation operation) => operation.Tags?.Select(t => t.Name).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n));

        /// <summary>
        /// One property and class per tag, reserved before schema types so a schema cannot take them; for every tag, selected
        /// or not, so a selection of operations names its types as the whole client does.
        /// </summary>
        private void ReserveGroupNames()
        {
            var members = Naming.MemberNames(_clientName, "Dispose", "Pipeline", "CredentialScheme", "ErrorConventions", "CreateErrorConventions", "ConfigureErrorConventions");
            foreach (var tag in AllOperations().Select(o => TagOf(o.Operation)).Where(t => t is not null).Distinct(StringComparer.Ordinal))
            {
                var property = Naming.Unique(Naming.Pascal(tag!), members);
                var className = Naming.Unique(property + "Operations", _typeNames);
                _groupNames[tag!] = (property, className);
            }
        }

        private EquatableArray<OperationGroupModel> BuildOperations()
        {
            var grouped = new Dictionary<string, List<OperationModel>>(StringComparer.Ordinal);
            var methodNames = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var (path, item, method, operation) in Operations())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var tag = TagOf(operation) ?? "";
                if (!grouped.ContainsKey(tag))
                {
                    grouped[tag] = new List<OperationModel>();
                    methodNames[tag] = Naming.MemberNames("Dispose", "Pipeline");
                    if (tag.Length == 0) methodNames[tag].UnionWith(_groupNames.Values.Select(g => g.PropertyName));
                    order.Add(tag);
                }
                var model = Guarded(
                    "#/paths/" + SpecPositionMap.Escape(path) + "/" + method.Method.ToLowerInvariant(),
                    "operation " + method.Method + " " + path,
                    () => BuildOperation(path, item, method, operation, methodNames[tag]),
                    null);
                if (model is not null) grouped[tag].Add(model);
            }

            return order
                .Where(tag => grouped[tag].Count > 0)
                .Select(tag => tag.Length == 0
                    ? new OperationGroupModel(null, null, null, grouped[tag].ToEquatableArray())
                    : new OperationGroupModel(_groupNames[tag].PropertyName, _groupNames[tag].ClassName, TagDescription(tag), grouped[tag].ToEquatableArray()))
                .ToEquatableArray();
        }

        private string? TagDescription(string tag)
        {
            var description = _document.Tags?.FirstOrDefault(t => t.Name == tag)?.Description;
            return string.IsNullOrWhiteSpace(description) ? null : description!.Trim();
        }

        private OperationModel? BuildOperation(string path, IOpenApiPathItem item, HttpMethod method, OpenApiOperation operation, HashSet<string> methodNames)
        {
            var httpMethod = method.Method.ToUpperInvariant();
            var pointer = "#/paths/" + SpecPositionMap.Escape(path) + "/" + method.Method.ToLowerInvariant();
            var operationId = operation.OperationId;
            if (string.IsNullOrWhiteSpace(operationId))
            {
                operationId = Naming.Camel(method.Method.ToLowerInvariant() + " " + path.Replace("{", " by ").Replace("}", " ")).TrimStart('@');
                _diagnostics.Add(DiagnosticDescriptors.MissingOperationId, pointer, httpMethod, path, Naming.Pascal(operationId!) + "Async");
            }
            var baseName = Naming.Pascal(operationId!);
            var stem = UniqueMethodStem(baseName, "Async", methodNames);
            var methodName = stem + "Async";
            var wanted = baseName + "Async";
            if (stem != baseName && _methodOwners.TryGetValue((methodNames, wanted), out var owner))
            {
                // Two operations that want one method (often a copy-pasted operationId): the user meets this, so a warning.
                _diagnostics.Add(DiagnosticDescriptors.DuplicateMethodName, pointer, httpMethod + " " + path, operationId!, wanted, owner.Operation, owner.OperationId, methodName);
            }
            else if (stem != baseName)
            {
                _diagnostics.Add(DiagnosticDescriptors.NameConflict, pointer, "Operation", operationId!, methodName, "another method is already named '" + wanted + "'");
            }
            _methodOwners[(methodNames, methodName)] = (httpMethod + " " + path, operationId!);

            // Names the generated method bodies use for their own locals and lambda parameters.
            var parameterNames = new HashSet<string>(StringComparer.Ordinal) { "cancellationToken", "apiRequest", "bodyValue", "item", "pageCursor", "pageResponse", "pageCancellationToken" };
            var required = new List<ParameterModel>();
            var optional = new List<ParameterModel>();

            // Body first: a required body is the first parameter.
            if (operation.RequestBody is { } requestBody && requestBody.Content is { Count: > 0 } bodyContent)
            {
                // A model (JSON, else a URL-encoded or multipart form written from the same model) wins over raw bodies.
                var json = bodyContent.FirstOrDefault(c => IsJson(c.Key));
                var form = bodyContent.FirstOrDefault(c => (IsForm(c.Key) || IsMultipart(c.Key)) && c.Value?.Schema is not null);
                var model = json.Key is not null ? json : form;
                ParameterModel body;
                if (model.Key is not null)
                {
                    var type = Resolve(model.Value?.Schema, baseName + "Request", pointer + "/requestBody/content/" + SpecPositionMap.Escape(model.Key) + "/schema");
                    var location = json.Key is not null ? ParameterLocation.Body : IsForm(model.Key) ? ParameterLocation.FormBody : ParameterLocation.MultipartBody;
                    if (location != ParameterLocation.Body && type.Kind is not (TypeKind.Object or TypeKind.Map or TypeKind.Json or TypeKind.Union))
                    {
                        _diagnostics.Add(DiagnosticDescriptors.OperationSkipped, pointer + "/requestBody", operationId!, "its " + model.Key + " body is not an object, so it has no fields");
                        methodNames.Remove(methodName);
                        return null;
                    }
                    var binary = location == ParameterLocation.MultipartBody && type.Name is not null && _types.TryGetValue(type.Name, out var bodyModel) && bodyModel is ObjectModel bodyObject
                        ? bodyObject.Properties.Where(p => p.Type.Kind == TypeKind.Bytes || p.Type.Element?.Kind == TypeKind.Bytes).Select(p => p.JsonName).ToEquatableArray()
                        : EquatableArray<string>.Empty;
                    body = new ParameterModel("body", Naming.Unique("body", parameterNames), location, type, requestBody.Required, Trim(requestBody.Description), BinaryProperties: binary);
                }
                else if (bodyContent.Keys.FirstOrDefault(IsRaw) is { } raw)
                {
                    // A body sent as it is: text as a string, anything else as bytes (a file upload, an image).
                    var (location, type) = IsText(raw) ? (ParameterLocation.TextBody, new TypeRef(TypeKind.String)) : (ParameterLocation.BinaryBody, new TypeRef(TypeKind.Bytes));
                    body = new ParameterModel(raw, Naming.Unique("body", parameterNames), location, type, requestBody.Required, Trim(requestBody.Description));
                }
                else
                {
                    _diagnostics.Add(DiagnosticDescriptors.OperationSkipped, pointer + "/requestBody", operationId!, "its request body has media type '" + bodyContent.Keys.First() + "' without a schema, so it has no fields");
                    methodNames.Remove(methodName);
                    return null;
                }
                (body.Required ? required : optional).Add(body);
            }

            foreach (var (written, writtenPointer) in Parameters(item, operation, pointer))
            {
                var (parameter, parameterPointer) = PointedParameter(written, writtenPointer);
                if (parameter.In is not { } location || string.IsNullOrEmpty(parameter.Name))
                {
                    // A $ref the reader could not follow: the method would lack the parameter, and a path would keep its {name}.
                    if (written is OpenApiParameterReference reference)
                    {
                        Unsupported(writtenPointer, "The parameter reference '" + (WrittenReference(writtenPointer) ?? reference.Reference?.ReferenceV3 ?? "?") + "'", "it points to no parameter in this document", "no parameter");
                    }
                    continue;
                }
                ParameterLocation where;
                switch (location)
                {
                    case Microsoft.OpenApi.ParameterLocation.Path: where = ParameterLocation.Path; break;
                    case Microsoft.OpenApi.ParameterLocation.Query: where = ParameterLocation.Query; break;
                    case Microsoft.OpenApi.ParameterLocation.Header: where = ParameterLocation.Header; break;
                    default:
                        Unsupported(parameterPointer, "The " + location.ToString().ToLowerInvariant() + " parameter '" + parameter.Name + "'", "only path, query and header parameters are sent", "no parameter");
                        continue;
                }
                var (schema, schemaPointer, jsonContent) = ParameterSchema(parameter, parameterPointer);
                var resolved = Resolve(schema, baseName + Naming.Pascal(parameter.Name!), schemaPointer);
                var isRequired = parameter.Required || where == ParameterLocation.Path;
                var csharpName = Naming.Unique(Naming.Camel(parameter.Name!), parameterNames);
                ParameterModel model;
                if (jsonContent && !IsScalar(resolved) && resolved.Kind != TypeKind.Bytes)
                {
                    // Described by content: application/json, not by a style: the runtime sends the value's JSON text.
                    model = new ParameterModel(parameter.Name!, csharpName, where, resolved, isRequired, Trim(parameter.Description), Style: ParameterStyle.Json);
                }
                else if (IsStructured(resolved) || resolved.Kind == TypeKind.Json || (where == ParameterLocation.Path && parameter.Style is Microsoft.OpenApi.ParameterStyle.Label or Microsoft.OpenApi.ParameterStyle.Matrix))
                {
                    // An object, a union, an array of those, a free-form value (JsonElement), or any value in a label or
                    // matrix path segment: the runtime writes it to JSON and spreads it by its style.
                    var style = Style(parameter, where, parameterPointer);
                    if (style != ParameterStyle.DeepObject) ReportNesting(resolved, parameter.Name!, style, parameterPointer);
                    model = new ParameterModel(parameter.Name!, csharpName, where, resolved, isRequired, Trim(parameter.Description), Style: style, Explode: parameter.Explode);
                }
                else
                {
                    var type = ParameterType(resolved, parameterPointer, parameter.Name!);
                    var delimiter = type.Kind == TypeKind.List ? Delimiter(parameter, where, parameterPointer) : null;
                    model = new ParameterModel(parameter.Name!, csharpName, where, type, isRequired, Trim(parameter.Description), delimiter);
                }
                (isRequired ? required : optional).Add(model);
            }

            var responses = Responses(operation, pointer);
            var response = BuildResponse(responses, operationId!, baseName, out var streamResponse);
            // Beside a JSON response the stream gets its own method, {Operation}StreamAsync.
            var stream = streamResponse is not null && response.Kind != ResponseKind.EventStream
                ? new StreamMethodModel(UniqueMethodStem(stem + "Stream", "Async", methodNames) + "Async", streamResponse)
                : null;
            var errors = responses
                .Where(r => !r.Status.StartsWith("2", StringComparison.Ordinal))
                .Select(r => new ErrorResponseModel(r.Status, ErrorStatusKey(r.Status), Trim(r.Response?.Description), ErrorBodies(r, baseName)))
                .ToEquatableArray();
            var parameters = required.Concat(optional).ToList();
            var idempotent = IdempotentMethods.Contains(httpMethod);
            if (Extension(operation.Extensions, "x-idempotent") is JsonValue idempotentValue && idempotentValue.TryGetValue<bool>(out var flag)) idempotent = flag;

            var (pathOnly, fixedQuery) = SplitQuery(path);
            return new OperationModel(
                operationId!,
                methodName,
                httpMethod,
                pathOnly,
                Trim(operation.Summary),
                Trim(operation.Description),
                operation.Deprecated,
                idempotent,
                parameters.ToEquatableArray(),
                response,
                errors,
                response.Kind == ResponseKind.Json && response.EmptyStatuses.IsEmpty ? NamePagingMethods(Paging(operation, operationId!, pointer, parameters, response.Type!), stem, operationId!, pointer, methodNames) : null,
                fixedQuery,
                stream);
        }

        /// <summary>
        /// A path key with a query part (<c>/items?beta=true</c>, which some specs use to tell variants of one path
        /// apart): the path, and the query's pairs (decoded; the runtime encodes them again beside the parameters).
        /// </summary>
        private static (string Path, EquatableArray<QueryPairModel> Query) SplitQuery(string path)
        {
            var mark = path.IndexOf('?');
            if (mark < 0) return (path, EquatableArray<QueryPairModel>.Empty);
            var pairs = path.Substring(mark + 1)
                .Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split(new[] { '=' }, 2))
                .Select(parts => new QueryPairModel(Unescape(parts[0]), parts.Length > 1 ? Unescape(parts[1]) : ""))
                .ToEquatableArray();
            return (path.Substring(0, mark), pairs);

            static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
        }

        /// <summary>
        /// <paramref name="baseName"/>, or it with the lowest number (after <c>_</c> when it ends in a digit) such
        /// that stem + <paramref name="suffix"/> is not in <paramref name="used"/>; adds stem + suffix.
        /// The number goes before the suffix: <c>GetRun2Async</c>, not <c>GetRunAsync2</c>.
        /// </summary>
        private static string UniqueMethodStem(string baseName, string suffix, HashSet<string> used)
        {
            if (used.Add(baseName + suffix)) return baseName;
            var separator = baseName.Length > 0 && char.IsDigit(baseName[baseName.Length - 1]) ? "_" : "";
            for (var i = 2; ; i++)
            {
                var stem = baseName + separator + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (used.Add(stem + suffix)) return stem;
            }
        }

        /// <summary>Claims the names of the paging methods, only for an operation that pages.</summary>
        private PagingModel? NamePagingMethods(PagingModel? paging, string stem, string operationId, string pointer, HashSet<string> methodNames)
        {
            if (paging is null) return null;
            var all = UniqueMethodStem(stem, "AllAsync", methodNames) + "AllAsync";
            var pages = UniqueMethodStem(stem, "PagesAsync", methodNames) + "PagesAsync";
            foreach (var (name, wanted) in new[] { (all, stem + "AllAsync"), (pages, stem + "PagesAsync") })
            {
                if (name != wanted) _diagnostics.Add(DiagnosticDescriptors.NameConflict, pointer, "Paging method of operation", operationId, name, "another method is already named '" + wanted + "'");
            }
            return paging with { AllMethodName = all, PagesMethodName = pages };
        }

        private static IEnumerable<(IOpenApiParameter Parameter, string Pointer)> Parameters(IOpenApiPathItem item, OpenApiOperation operation, string pointer)
        {
            var own = operation.Parameters ?? new List<IOpenApiParameter>();
            var shared = item.Parameters ?? new List<IOpenApiParameter>();
            var pathPointer = pointer.Substring(0, pointer.LastIndexOf('/'));
            for (var i = 0; i < shared.Count; i++)
            {
                if (own.Any(p => p.Name == shared[i].Name && p.In == shared[i].In)) continue;
                yield return (shared[i], pathPointer + "/parameters/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            for (var i = 0; i < own.Count; i++) yield return (own[i], pointer + "/parameters/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        /// <summary>
        /// A parameter's schema and where it is; when the parameter has <c>content</c> instead (OpenAPI's alternative to a
        /// schema and a style: the value in that media type), the schema of its first media type, and whether that is JSON.
        /// </summary>
        private static (IOpenApiSchema? Schema, string Pointer, bool JsonContent) ParameterSchema(IOpenApiParameter parameter, string pointer)
        {
            if (parameter.Schema is not null || parameter.Content is not { Count: > 0 } content) return (parameter.Schema, pointer + "/schema", false);
            var first = content.First();
            return (first.Value?.Schema, pointer + "/content/" + SpecPositionMap.Escape(first.Key) + "/schema", IsJson(first.Key));
        }

        /// <summary>
        /// How the items of an array parameter are joined, by its <c>style</c> (checked for its location by
        /// <see cref="Style"/>) and <c>explode</c>: null to repeat the query key (<c>form</c>, exploded: <c>?id=1&amp;id=2</c>),
        /// else the separator of one value (<c>form</c> not exploded and every path and header array: <c>,</c>;
        /// <c>spaceDelimited</c>: a space; <c>pipeDelimited</c>: <c>|</c>).
        /// </summary>
        private string? Delimiter(IOpenApiParameter parameter, ParameterLocation where, string pointer) => Style(parameter, where, pointer) switch
        {
            ParameterStyle.SpaceDelimited => " ",
            ParameterStyle.PipeDelimited => "|",
            ParameterStyle.Form => parameter.Explode ? null : ",",
            // deepObject is defined for objects only; for an array (Stripe's expand) the key is repeated, as before.
            ParameterStyle.DeepObject => null,
            // simple (label and matrix arrays are spread by the runtime, see IsStructured's caller).
            _ => ",",
        };

        /// <summary>A simple parameter travels as text; bytes (binary, which has none) become a string.</summary>
        private TypeRef ParameterType(TypeRef type, string pointer, string name)
        {
            if (IsScalar(type)) return type;
            if (type.Kind == TypeKind.List && type.Element is { } element && IsScalar(element)) return type;
            Unsupported(pointer, "The parameter '" + name + "'", "a parameter of this schema has no text form", "string");
            return new TypeRef(TypeKind.String, Nullable: type.Nullable);
        }

        /// <summary>A type a parameter sends as one text, the way it always has (a string, a number, an enum, …).</summary>
        private static bool IsScalar(TypeRef type) => type.Kind is not (TypeKind.Json or TypeKind.Object or TypeKind.Union or TypeKind.List or TypeKind.Map or TypeKind.Bytes);

        /// <summary>A parameter value the runtime spreads by its style: an object, a map, a union, or an array of those.</summary>
        private static bool IsStructured(TypeRef type) =>
            type.Kind is TypeKind.Object or TypeKind.Map or TypeKind.Union
            || (type.Kind == TypeKind.List && type.Element is { } element && (IsStructured(element) || element.Kind == TypeKind.List || element.Kind == TypeKind.Json));

        /// <summary>
        /// The parameter's style, as OpenAPI defaults it (<c>form</c> in the query, else <c>simple</c>); a style the location
        /// does not allow is reported and replaced by the default.
        /// </summary>
        private ParameterStyle Style(IOpenApiParameter parameter, ParameterLocation where, string pointer)
        {
            var fallback = where == ParameterLocation.Query ? ParameterStyle.Form : ParameterStyle.Simple;
            ParameterStyle? style = (where, parameter.Style) switch
            {
                (_, null) => fallback,
                (ParameterLocation.Query, Microsoft.OpenApi.ParameterStyle.Form) => ParameterStyle.Form,
                (ParameterLocation.Query, Microsoft.OpenApi.ParameterStyle.SpaceDelimited) => ParameterStyle.SpaceDelimited,
                (ParameterLocation.Query, Microsoft.OpenApi.ParameterStyle.PipeDelimited) => ParameterStyle.PipeDelimited,
                (ParameterLocation.Query, Microsoft.OpenApi.ParameterStyle.DeepObject) => ParameterStyle.DeepObject,
                (ParameterLocation.Path or ParameterLocation.Header, Microsoft.OpenApi.ParameterStyle.Simple) => ParameterStyle.Simple,
                (ParameterLocation.Path, Microsoft.OpenApi.ParameterStyle.Label) => ParameterStyle.Label,
                (ParameterLocation.Path, Microsoft.OpenApi.ParameterStyle.Matrix) => ParameterStyle.Matrix,
                _ => null,
            };
            if (style is { } known) return known;
            Unsupported(pointer, "The parameter style '" + parameter.Style.ToString()!.ToLowerInvariant() + "' of '" + parameter.Name + "'",
                "a " + where.ToString().ToLowerInvariant() + " parameter is sent in the styles " + (where switch
                {
                    ParameterLocation.Query => "form, spaceDelimited, pipeDelimited and deepObject",
                    ParameterLocation.Path => "simple, label and matrix",
                    _ => "simple",
                }), "style " + fallback.ToString().ToLowerInvariant());
            return fallback;
        }

        /// <summary>
        /// Reports a value nested deeper than <paramref name="style"/> spreads (an object or array inside the object or
        /// array it spreads; only <c>deepObject</c> nests): the runtime sends such a value as its JSON text.
        /// </summary>
        private void ReportNesting(TypeRef type, string name, ParameterStyle style, string pointer)
        {
            var nested = Nested(type, new HashSet<string>(StringComparer.Ordinal));
            if (nested is null) return;
            Unsupported(pointer, "The parameter '" + name + "'", "the style " + Naming.Camel(style.ToString()) + " has no form for " + nested, "that value's JSON text");

            // What the style cannot spread: a property, item or value that is itself an object or array.
            string? Nested(TypeRef t, HashSet<string> unions)
            {
                switch (t.Kind)
                {
                    case TypeKind.List or TypeKind.Map:
                        return IsSpreadable(t.Element!) ? (t.Kind == TypeKind.List ? "the items" : "the values") + " of this " + (t.Kind == TypeKind.List ? "array" : "map") : null;
                    case TypeKind.Object when _types.TryGetValue(t.Name!, out var model) && model is ObjectModel obj:
                        return obj.Properties.FirstOrDefault(p => IsSpreadable(p.Type)) is { } property ? "the property '" + property.JsonName + "'" : null;
                    case TypeKind.Union when unions.Add(t.Name!) && _types.TryGetValue(t.Name!, out var model) && model is KindUnionModel union:
                        return union.Variants.Select(v => Nested(v.Type, unions)).FirstOrDefault(n => n is not null);
                    default:
                        return null;
                }
            }

            // A union by kind of scalars only (a string or a number) has a text form; any other union holds objects.
            bool IsSpreadable(TypeRef t) => t.Kind switch
            {
                TypeKind.Object or TypeKind.Map or TypeKind.List => true,
                TypeKind.Union => !(_types.TryGetValue(t.Name!, out var model) && model is KindUnionModel union && union.Variants.All(v => v.Kind is not (JsonKind.Object or JsonKind.Array))),
                _ => false,
            };
        }

        private readonly Dictionary<string, TypeRef> _bodyTypes = new(StringComparer.Ordinal);

        /// <summary>
        /// A response body's type, made once per place the body is written: an operation whose response points into
        /// another's (<see cref="PointedResponse"/>) gets that operation's type, not a copy named after itself.
        /// </summary>
        private TypeRef ResolveBody(IOpenApiSchema? schema, string contextName, string pointer)
        {
            if (_bodyTypes.TryGetValue(pointer, out var known)) return known;
            return _bodyTypes[pointer] = Resolve(schema, contextName, pointer);
        }

        /// <summary>A response of an operation, with where it is written (see <see cref="PointedResponse"/>).</summary>
        private sealed record ResponseAt(string Status, IOpenApiResponse? Response, string Pointer);

        /// <summary>An operation's responses in spec order, each with where it is written.</summary>
        private List<ResponseAt> Responses(OpenApiOperation operation, string pointer) =>
            (operation.Responses ?? new OpenApiResponses())
                .Select(r => PointedResponse(new ResponseAt(r.Key, r.Value, pointer + "/responses/" + SpecPositionMap.Escape(r.Key))))
                .ToList();

        /// <summary>
        /// The models an error response's JSON body is read as: its schema's type, or, for a oneOf/anyOf whose
        /// variants are all object components (inline or as a component without a discriminator), each variant
        /// with its required properties, in spec order. Empty for a status key the runtime cannot match, or no JSON body.
        /// </summary>
        private EquatableArray<ErrorBodyModel> ErrorBodies(ResponseAt written, string baseName)
        {
            var (status, response, pointer) = written;
            if (ErrorStatusKey(status) is null) return EquatableArray<ErrorBodyModel>.Empty;
            // A shared component response is read as one type, not one per operation that uses it.
            if (response is OpenApiResponseReference { Reference.Id: { } responseId })
            {
                if (_componentResponseBodies.TryGetValue(responseId, out var shared)) return shared;
                return _componentResponseBodies[responseId] = ErrorBodies(status, response.Content, Naming.Pascal("error response " + responseId), "#/components/responses/" + SpecPositionMap.Escape(responseId));
            }
            var context = baseName + Naming.Pascal(status == "default" ? "Error" : "Error " + status);
            return ErrorBodies(status, response?.Content, context, pointer);
        }

        private readonly Dictionary<string, EquatableArray<ErrorBodyModel>> _componentResponseBodies = new(StringComparer.Ordinal);

        private EquatableArray<ErrorBodyModel> ErrorBodies(string status, IDictionary<string, IOpenApiMediaType>? contentOrNull, string contextName, string responsePointer)
        {
            if (contentOrNull is not { Count: > 0 } content) return EquatableArray<ErrorBodyModel>.Empty;
            var json = content.FirstOrDefault(c => IsJson(c.Key));
            if (json.Key is null || json.Value?.Schema is not { } schema) return EquatableArray<ErrorBodyModel>.Empty;
            var at = responsePointer + "/content/" + SpecPositionMap.Escape(json.Key) + "/schema";

            if (ErrorVariants(schema) is { } variants)
            {
                return variants
                    .Select(id => new ErrorBodyModel(ResolveComponent(id).WithNullable(false), RequiredJsonNames(ComponentSchemas[id]).ToEquatableArray()))
                    .ToEquatableArray();
            }
            var type = ResolveBody(schema, contextName, at);
            return new[] { new ErrorBodyModel(type.WithNullable(false), EquatableArray<string>.Empty) }.ToEquatableArray();
        }

        /// <summary>The component ids of a oneOf/anyOf without a discriminator whose variants are all object components; else null.</summary>
        private List<string>? ErrorVariants(IOpenApiSchema schema)
        {
            var target = schema;
            if (schema is OpenApiSchemaReference { Reference.Id: { } id } && ComponentSchemas.TryGetValue(id, out var component) && component is not null)
            {
                // A component that became a discriminated union is read as that union; one chosen by required properties
                // keeps the error convention (each variant registered, the runtime tries them by their required names).
                if (ResolveComponent(id).Kind != TypeKind.Json && !_kindUnions.Contains(id)) return null;
                target = component;
            }
            if (!IsUnionOnly(target)) return null;
            var choices = Choices(target).Where(c => !IsNullOnly(c)).ToList();
            if (choices.Count < 2) return null;
            var ids = new List<string>();
            foreach (var choice in choices)
            {
                if (choice is not OpenApiSchemaReference { Reference.Id: { } refId } || !ComponentSchemas.TryGetValue(refId, out var variant) || variant is null || !IsObjectLike(variant)) return null;
                if (ResolveComponent(refId).Kind is not (TypeKind.Object or TypeKind.Union)) return null;
                ids.Add(refId);
            }
            return ids;
        }

        /// <summary>The JSON names of a schema's required properties: declared ones in order, then any others, ordinal.</summary>
        private IEnumerable<string> RequiredJsonNames(IOpenApiSchema schema)
        {
            var merged = MergedProperties(schema);
            var declared = merged.Properties.Select(p => p.Name).Where(merged.Required.Contains).Distinct(StringComparer.Ordinal).ToList();
            return declared.Concat(merged.Required.Where(r => !declared.Contains(r)).OrderBy(r => r, StringComparer.Ordinal));
        }

        /// <summary>
        /// How the runtime keys an error status: the number for <c>100</c>-<c>599</c>, <c>-n</c> for the range <c>nXX</c>,
        /// <c>0</c> for <c>default</c>; null for a key it cannot match (a malformed key, or a 2xx).
        /// </summary>
        private static int? ErrorStatusKey(string status)
        {
            if (status == "default") return 0;
            if (status.Length == 3 && status[0] is >= '1' and <= '5' && status[0] != '2')
            {
                if ((status[1] is 'X' or 'x') && (status[2] is 'X' or 'x')) return -(status[0] - '0');
                if (char.IsDigit(status[1]) && char.IsDigit(status[2])) return int.Parse(status, System.Globalization.CultureInfo.InvariantCulture);
            }
            return null;
        }

        /// <summary>
        /// The success response; <paramref name="streamResponse"/> is set when the response is an event stream, and
        /// stays set beside a JSON response when the spec offers both (the request decides which comes).
        /// </summary>
        private ResponseModel BuildResponse(List<ResponseAt> responses, string operationId, string baseName, out ResponseModel? streamResponse)
        {
            streamResponse = null;
            // The first 2xx with a body types the method; 2xx statuses without one (204) make it answer null.
            var successes = responses.Where(r => r.Status.StartsWith("2", StringComparison.Ordinal)).ToList();
            var success = successes.FirstOrDefault(r => r.Response?.Content is { Count: > 0 }) ?? successes.FirstOrDefault();
            var differing = success is null ? new List<ResponseAt>() : OtherSuccessBodies(successes, success).ToList();
            if (differing.Count > 0 && SuccessResult(successes, operationId, baseName) is { } byStatus) return byStatus;
            foreach (var other in differing)
            {
                _diagnostics.Add(DiagnosticDescriptors.SeveralSuccessBodies, other.Pointer, operationId, other.Status, success!.Status);
            }
            if (success?.Response?.Content is not { Count: > 0 } content) return new ResponseModel(ResponseKind.None, null, Trim(success?.Response?.Description));
            var empty = successes.Where(r => r.Response?.Content is not { Count: > 0 }).Select(r => r.Status).ToList();
            var emptyStatuses = empty.ToEquatableArray();
            var at = success.Pointer + "/content/";

            var stream = content.FirstOrDefault(c => Essence(c.Key) == "text/event-stream");
            var json = content.FirstOrDefault(c => IsJson(c.Key));
            if (stream.Key is not null)
            {
                var schema = stream.Value?.ItemSchema ?? stream.Value?.Schema;
                var type = ResolveBody(schema, baseName + "Event", at + SpecPositionMap.Escape(stream.Key) + "/schema");
                streamResponse = new ResponseModel(ResponseKind.EventStream, type, Trim(success.Response.Description));
                // JSON or a stream, as the request asks (a `stream` flag): the JSON method plus a stream method.
                if (json.Key is null) return streamResponse;
            }
            if (json.Key is not null)
            {
                var type = ResolveBody(json.Value?.Schema, baseName + "Response", at + SpecPositionMap.Escape(json.Key) + "/schema");
                return new ResponseModel(ResponseKind.Json, emptyStatuses.IsEmpty ? type : type.WithNullable(true), Trim(success.Response.Description), EmptyStatuses: emptyStatuses);
            }
            var mediaType = content.Keys.First();
            return IsText(mediaType)
                ? new ResponseModel(ResponseKind.Text, new TypeRef(TypeKind.String), Trim(success.Response.Description), mediaType)
                : new ResponseModel(ResponseKind.Binary, new TypeRef(TypeKind.Bytes), Trim(success.Response.Description), mediaType);
        }

        /// <summary>
        /// For 2xx responses of different JSON bodies: a result type with one record per status, when every 2xx is
        /// an exact status with a JSON body or none; else null (a <c>2XX</c> key or a text body among them).
        /// </summary>
        private ResponseModel? SuccessResult(List<ResponseAt> successes, string operationId, string baseName)
        {
            if (successes.Any(r => r.Status.Length != 3 || !r.Status.All(char.IsDigit)
                || (r.Response?.Content is { Count: > 0 } content && !content.Keys.Any(IsJson))))
            {
                return null;
            }
            var variants = new List<SuccessVariantModel>();
            foreach (var success in successes)
            {
                var (status, response, at) = success;
                var code = int.Parse(status, System.Globalization.CultureInfo.InvariantCulture);
                TypeRef? body = null;
                if (response?.Content is { Count: > 0 } content)
                {
                    var json = content.First(c => IsJson(c.Key));
                    body = ResolveBody(json.Value?.Schema, baseName + "Response" + status,
                        at + "/content/" + SpecPositionMap.Escape(json.Key) + "/schema");
                }
                variants.Add(new SuccessVariantModel(code, SuccessNames.TryGetValue(code, out var name) ? name : "Status" + status, body, Trim(response?.Description)));
            }
            var resultName = Naming.Unique(baseName + "Result", _typeNames);
            var result = new SuccessResultModel(resultName, null, operationId, variants.ToEquatableArray());
            _types[resultName] = result;
            var description = "One record per success status: " + string.Join(", ", variants.Select(v => v.StatusCode + " " + v.CSharpName)) + ".";
            return new ResponseModel(ResponseKind.JsonByStatus, new TypeRef(TypeKind.Object, resultName), description, Result: result);
        }

        private static readonly Dictionary<int, string> SuccessNames = new()
        {
            [200] = "Ok", [201] = "Created", [202] = "Accepted", [203] = "NonAuthoritativeInformation", [204] = "NoContent",
            [205] = "ResetContent", [206] = "PartialContent", [207] = "MultiStatus", [208] = "AlreadyReported", [226] = "ImUsed",
        };

        /// <summary>The other 2xx responses whose JSON schema differs from the first one's.</summary>
        private static IEnumerable<ResponseAt> OtherSuccessBodies(List<ResponseAt> successes, ResponseAt first)
        {
            var firstSchema = JsonSchemaOf(first.Response);
            foreach (var other in successes.Where(r => r != first))
            {
                if (JsonSchemaOf(other.Response) is not { } schema || SameSchema(firstSchema, schema)) continue;
                yield return other;
            }

            static IOpenApiSchema? JsonSchemaOf(IOpenApiResponse? response) =>
                response?.Content?.FirstOrDefault(c => IsJson(c.Key)).Value?.Schema;

            static bool SameSchema(IOpenApiSchema? a, IOpenApiSchema b) =>
                ReferenceEquals(a, b)
                || (a is OpenApiSchemaReference { Reference.Id: { } x } && b is OpenApiSchemaReference { Reference.Id: { } y } && x == y);
        }

        /// <summary>A media type without its parameters, lower case: <c>Text/Plain; charset=x</c> → <c>text/plain</c>.</summary>
        private static string Essence(string mediaType) => mediaType.Split(';')[0].Trim().ToLowerInvariant();

        private static bool IsJson(string mediaType)
        {
            var type = Essence(mediaType);
            return type == "application/json" || type.EndsWith("+json", StringComparison.Ordinal) || type == "*/*" || type == "text/json";
        }

        /// <summary>A media type read or sent as text: <c>text/*</c>, XML, YAML, JavaScript.</summary>
        private static bool IsText(string mediaType)
        {
            var type = Essence(mediaType);
            return type.StartsWith("text/", StringComparison.Ordinal)
                || type is "application/xml" or "application/yaml" or "application/x-yaml" or "application/javascript"
                || type.EndsWith("+xml", StringComparison.Ordinal) || type.EndsWith("+yaml", StringComparison.Ordinal);
        }

        /// <summary>A request body sent as it is (not a form, whose fields need encoding).</summary>
        private static bool IsRaw(string mediaType) => !IsMultipart(mediaType) && !IsForm(mediaType);

        private static bool IsMultipart(string mediaType) => Essence(mediaType).StartsWith("multipart/", StringComparison.Ordinal);

        private static bool IsForm(string mediaType) => Essence(mediaType) == "application/x-www-form-urlencoded";

        private static JsonNode? Extension(IDictionary<string, IOpenApiExtension>? extensions, string name) =>
            extensions is not null && extensions.TryGetValue(name, out var extension) && extension is JsonNodeExtension node ? node.Node : null;

        private static string? Trim(string? text) => string.IsNullOrWhiteSpace(text) ? null : text!.Trim();

        // ---- Paging ---------------------------------------------------------------------------

        private PagingModel? Paging(OpenApiOperation operation, string operationId, string pointer, List<ParameterModel> parameters, TypeRef responseType)
        {
            var extension = Extension(operation.Extensions, "x-pagination");
            if (extension is JsonValue off && off.TryGetValue<bool>(out var enabled) && !enabled) return null;
            var explicitSettings = extension as JsonObject;
            if (extension is not null && explicitSettings is null && !(extension is JsonValue v && v.TryGetValue<bool>(out _)))
            {
                _diagnostics.Add(DiagnosticDescriptors.InvalidPagination, pointer + "/x-pagination", operationId, "it must be false or an object");
                return null;
            }
            string? Setting(string name) => explicitSettings?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            void Invalid(string reason) => _diagnostics.Add(DiagnosticDescriptors.InvalidPagination, pointer + "/x-pagination", operationId, reason);
            var isExplicit = extension is not null;

            var cursorName = Setting("cursorParameter");
            var cursor = cursorName is not null
                ? parameters.FirstOrDefault(p => p.Location == ParameterLocation.Query && p.WireName == cursorName)
                : parameters.FirstOrDefault(p => p.Location == ParameterLocation.Query && p.Type.Kind == TypeKind.String && CursorParameterNames.Contains(Key(p.WireName)));
            if (cursor is null || cursor.Type.Kind != TypeKind.String || cursor.Required)
            {
                if (isExplicit) Invalid(cursorName is null ? "no optional string query parameter looks like a cursor; name it in 'cursorParameter'" : "'" + cursorName + "' is not an optional string query parameter");
                return null;
            }
            if (responseType.Kind != TypeKind.Object || !_types.TryGetValue(responseType.Name!, out var pageModel) || pageModel is not ObjectModel page)
            {
                if (isExplicit) Invalid("the success response is not an object");
                return null;
            }

            var items = Setting("items") is { } itemsPath
                ? FollowPath(page, itemsPath)
                : FindProperty(page, ItemsPropertyNames, TypeKind.List, allowSingle: true);
            var next = Setting("nextCursor") is { } nextPath
                ? FollowPath(page, nextPath)
                : FindNested(page, NextCursorPropertyNames, TypeKind.String);
            var hasMore = Setting("hasMore") is { } hasMorePath
                ? FollowPath(page, hasMorePath)
                : next is null ? null : FindSibling(page, next.Value, HasMorePropertyNames, TypeKind.Boolean);

            if (items is null || items.Value.Type.Kind != TypeKind.List || items.Value.Type.Element is null)
            {
                if (isExplicit) Invalid("'items' does not name an array property of the response");
                return null;
            }
            if (next is null || next.Value.Type.Kind != TypeKind.String)
            {
                if (isExplicit) Invalid("'nextCursor' does not name a string property of the response");
                return null;
            }
            if (Setting("hasMore") is not null && (hasMore is null || hasMore.Value.Type.Kind != TypeKind.Boolean))
            {
                Invalid("'hasMore' does not name a boolean property of the response");
                return null;
            }

            return new PagingModel(
                cursor.CSharpName,
                items.Value.Path.ToEquatableArray(),
                items.Value.Type.Element,
                next.Value.Path.ToEquatableArray(),
                (hasMore?.Path ?? new List<PathSegment>()).ToEquatableArray());
        }

        private (List<PathSegment> Path, TypeRef Type)? FollowPath(ObjectModel page, string dotted)
        {
            var path = new List<PathSegment>();
            ObjectModel? current = page;
            TypeRef? type = null;
            foreach (var name in dotted.Split('.'))
            {
                var property = current?.Properties.FirstOrDefault(p => p.JsonName == name);
                if (property is null) return null;
                path.Add(new PathSegment(property.CSharpName, property.Type.Nullable || !property.Required));
                type = property.Type;
                current = type.Kind == TypeKind.Object && _types.TryGetValue(type.Name!, out var next) ? next as ObjectModel : null;
            }
            return type is null ? null : (path, type);
        }

        private static (List<PathSegment> Path, TypeRef Type)? FindProperty(ObjectModel model, string[] names, TypeKind kind, bool allowSingle)
        {
            var candidates = model.Properties.Where(p => p.Type.Kind == kind).ToList();
            var match = names.Select(n => candidates.FirstOrDefault(p => Key(p.JsonName) == n)).FirstOrDefault(p => p is not null)
                ?? (allowSingle && candidates.Count == 1 ? candidates[0] : null);
            return match is null ? null : (new List<PathSegment> { new(match.CSharpName, match.Type.Nullable || !match.Required) }, match.Type);
        }

        /// <summary>A property at the top level, or one level down (e.g. <c>pagination.next_cursor</c>).</summary>
        private (List<PathSegment> Path, TypeRef Type)? FindNested(ObjectModel page, string[] names, TypeKind kind)
        {
            if (FindProperty(page, names, kind, allowSingle: false) is { } direct) return direct;
            foreach (var property in page.Properties.Where(p => p.Type.Kind == TypeKind.Object))
            {
                if (!_types.TryGetValue(property.Type.Name!, out var nested) || nested is not ObjectModel nestedModel) continue;
                if (FindProperty(nestedModel, names, kind, allowSingle: false) is { } found)
                {
                    found.Path.Insert(0, new PathSegment(property.CSharpName, property.Type.Nullable || !property.Required));
                    return found;
                }
            }
            return null;
        }

        /// <summary>A property beside the next cursor (same object).</summary>
        private (List<PathSegment> Path, TypeRef Type)? FindSibling(ObjectModel page, (List<PathSegment> Path, TypeRef Type) next, string[] names, TypeKind kind)
        {
            var owner = page;
            for (var i = 0; i < next.Path.Count - 1; i++)
            {
                var property = owner.Properties.First(p => p.CSharpName == next.Path[i].CSharpName);
                owner = (ObjectModel)_types[property.Type.Name!];
            }
            if (FindProperty(owner, names, kind, allowSingle: false) is not { } found) return null;
            var path = next.Path.Take(next.Path.Count - 1).Concat(found.Path).ToList();
            return (path, found.Type);
        }

        // ---- Credential -----------------------------------------------------------------------

        private CredentialModel BuildCredential()
        {
            var schemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
            foreach (var entry in _document.Components?.SecuritySchemes ?? new Dictionary<string, IOpenApiSecurityScheme>())
            {
                if (entry.Value is not null) schemes[entry.Key] = entry.Value;
                else _diagnostics.Add(DiagnosticDescriptors.UnsupportedSecurity, "#/components/securitySchemes/" + SpecPositionMap.Escape(entry.Key), entry.Key, "not a security scheme object");
            }
            var requirement = (_document.Security ?? new List<OpenApiSecurityRequirement>())
                .Concat(Operations().SelectMany(o => o.Operation?.Security ?? new List<OpenApiSecurityRequirement>()))
                .Where(r => r is not null)
                .SelectMany(r => r.Keys)
                .Select(k => k?.Reference?.Id)
                .FirstOrDefault(id => id is not null && schemes.ContainsKey(id));
            var id = requirement ?? schemes.Keys.OrderBy(k => k, StringComparer.Ordinal).FirstOrDefault();
            if (id is null) return new CredentialModel(CredentialKind.None, "");
            var scheme = schemes[id];
            var pointer = "#/components/securitySchemes/" + SpecPositionMap.Escape(id);
            if (scheme.Type == SecuritySchemeType.ApiKey && scheme.In == Microsoft.OpenApi.ParameterLocation.Header && !string.IsNullOrEmpty(scheme.Name))
            {
                return new CredentialModel(CredentialKind.Header, scheme.Name!);
            }
            if (scheme.Type == SecuritySchemeType.Http && string.Equals(scheme.Scheme, "bearer", StringComparison.OrdinalIgnoreCase))
            {
                return new CredentialModel(CredentialKind.Bearer, "Authorization");
            }
            var kind = scheme.Type == SecuritySchemeType.ApiKey ? "apiKey in " + scheme.In?.ToString().ToLowerInvariant() : scheme.Type?.ToString() + (scheme.Scheme is null ? "" : " " + scheme.Scheme);
            _diagnostics.Add(DiagnosticDescriptors.UnsupportedSecurity, pointer, id, kind);
            return new CredentialModel(CredentialKind.None, "");
        }
    }
}
