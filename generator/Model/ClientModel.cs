namespace TinyFish.Toolkit.Generator.Model;

/// <summary>What the generator emits for one spec: the client, its operations and its types.</summary>
/// <remarks>
/// Every pipeline model is a value: records built only from strings, numbers, booleans, enums, other
/// model records and <see cref="EquatableArray{T}"/>. No OpenAPI.NET object, no Roslyn symbol,
/// syntax node, compilation, location or additional text is reachable from here, so equal specs give
/// equal models and the incremental driver can skip the emit step. Positions live only in
/// <see cref="DiagnosticInfo"/>, which travels in a separate output: a whitespace-only edit of the
/// spec changes diagnostics' positions but leaves this model, and so the generated source, unchanged.
/// </remarks>
internal sealed record ClientModel(
    string Namespace,
    string ClientName,
    string JsonClassName,
    string? Title,
    string? Description,
    string? ApiVersion,
    CredentialModel Credential,
    EquatableArray<OperationGroupModel> Groups,
    EquatableArray<TypeModel> Types);

/// <summary>The result of parsing one spec: the client (null when nothing can be generated) and the diagnostics.</summary>
internal sealed record ParseResult(ClientModel? Client, EquatableArray<DiagnosticInfo> Diagnostics);

internal enum CredentialKind { None, Header, Bearer }

internal sealed record CredentialModel(CredentialKind Kind, string HeaderName);

/// <summary>Operations of one tag (a property of the client), or the client's own operations when <see cref="PropertyName"/> is null.</summary>
internal sealed record OperationGroupModel(string? PropertyName, string? ClassName, string? Description, EquatableArray<OperationModel> Operations);

internal sealed record OperationModel(
    string OperationId,
    string MethodName,
    string HttpMethod,
    string Path,
    string? Summary,
    string? Description,
    bool Deprecated,
    bool Idempotent,
    EquatableArray<ParameterModel> Parameters,
    ResponseModel Response,
    EquatableArray<ErrorResponseModel> Errors,
    PagingModel? Paging,
    EquatableArray<QueryPairModel> FixedQuery,
    StreamMethodModel? Stream);

/// <summary>
/// The second method of an operation whose success response is JSON or an event stream, as the request asks:
/// <see cref="MethodName"/> (<c>{Operation}StreamAsync</c>) returns the stream.
/// </summary>
internal sealed record StreamMethodModel(string MethodName, ResponseModel Response);

/// <summary>A query parameter the spec's path key carries itself (<c>/items?beta=true</c>), sent on every call.</summary>
internal sealed record QueryPairModel(string Name, string Value);

/// <summary>Where a parameter travels; a request body is JSON, a URL-encoded form or multipart (a model), text (<c>string</c>) or bytes (<c>byte[]</c>).</summary>
internal enum ParameterLocation { Path, Query, Header, Body, FormBody, MultipartBody, TextBody, BinaryBody }

/// <summary>
/// A C# parameter of an operation method, in declaration order. <see cref="WireName"/> is its name on the
/// wire; for a <see cref="ParameterLocation.TextBody"/> or <see cref="ParameterLocation.BinaryBody"/>, the body's media type.
/// <see cref="Delimiter"/> joins the items of an array parameter into one value; null repeats the query key per item.
/// <see cref="BinaryProperties"/> are the JSON names of a multipart body's properties sent as files.
/// <see cref="Style"/> is set for a path, query or header parameter whose value is not a simple type (an object, a
/// union, an array of those): the runtime writes it to JSON and spreads it by that style and <see cref="Explode"/>.
/// </summary>
internal sealed record ParameterModel(
    string WireName,
    string CSharpName,
    ParameterLocation Location,
    TypeRef Type,
    bool Required,
    string? Description,
    string? Delimiter = null,
    EquatableArray<string> BinaryProperties = default,
    ParameterStyle? Style = null,
    bool Explode = false);

/// <summary>OpenAPI's parameter styles, and <c>Json</c> for a parameter described by <c>content</c> (the runtime's <c>ApiParameterStyle</c>, member for member).</summary>
internal enum ParameterStyle { Form, SpaceDelimited, PipeDelimited, DeepObject, Simple, Label, Matrix, Json }

/// <summary>
/// What the method returns: nothing, a JSON model, a stream of events, text (<c>string</c>), bytes (<c>byte[]</c>),
/// or, for several 2xx responses with different bodies, a <see cref="SuccessResultModel"/> (its name in <c>Type</c>).
/// </summary>
internal enum ResponseKind { None, Json, EventStream, Text, Binary, JsonByStatus }

/// <summary>
/// The success response; <see cref="MediaType"/> is what a text or binary response is asked for with (Accept);
/// <see cref="EmptyStatuses"/> are other 2xx statuses the spec gives no body (e.g. 204): the method then returns null for them;
/// <see cref="Result"/> is the result record of a <see cref="ResponseKind.JsonByStatus"/> response.
/// </summary>
internal sealed record ResponseModel(
    ResponseKind Kind,
    TypeRef? Type,
    string? Description,
    string? MediaType = null,
    EquatableArray<string> EmptyStatuses = default,
    SuccessResultModel? Result = null);

/// <summary>
/// A non-2xx response: its status key as the spec writes it (<c>404</c>, <c>4XX</c>, <c>default</c>), how the runtime
/// keys it (<see cref="StatusKey"/>: the number for 100-599, <c>-n</c> for the range <c>nXX</c>, 0 for <c>default</c>;
/// null for a key it cannot match, which gets no body reader) and the models its JSON body may be read as, tried in
/// order (several only for a oneOf/anyOf of object schemas).
/// </summary>
internal sealed record ErrorResponseModel(string Status, int? StatusKey, string? Description, EquatableArray<ErrorBodyModel> Bodies);

/// <summary>
/// One model an error body may be read as; <see cref="RequiredProperties"/> (JSON names) are checked before
/// reading when the body is one variant of several.
/// </summary>
internal sealed record ErrorBodyModel(TypeRef Type, EquatableArray<string> RequiredProperties);

/// <summary>How an operation pages: the cursor parameter, and where in the response the items and next cursor are.</summary>
internal sealed record PagingModel(
    string CursorParameter,
    EquatableArray<PathSegment> Items,
    TypeRef ItemType,
    EquatableArray<PathSegment> NextCursor,
    EquatableArray<PathSegment> HasMore)
{
    /// <summary>The method over every item of every page (<c>ListRunsAllAsync</c>).</summary>
    public string AllMethodName { get; init; } = "";

    /// <summary>The method over every page (<c>ListRunsPagesAsync</c>).</summary>
    public string PagesMethodName { get; init; } = "";
}

/// <summary>One property access on the way to a value; <see cref="MayBeNull"/> makes the next access conditional.</summary>
internal sealed record PathSegment(string CSharpName, bool MayBeNull);
