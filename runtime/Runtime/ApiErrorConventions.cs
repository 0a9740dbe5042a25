using System.Collections.Frozen;
using System.Text.Json;

namespace TinyFish.Toolkit.Runtime;

/// <summary>What kind of failure an error response reports, whatever words the API uses for it.</summary>
public enum ApiErrorKind
{
    /// <summary>Nothing more specific is known.</summary>
    Unknown = 0,

    /// <summary>The request is wrong (400, 422): change it before sending it again.</summary>
    InvalidInput,

    /// <summary>The credential is not accepted (401).</summary>
    Authentication,

    /// <summary>The request carried no credential at all (a 401 the API tells apart by its code).</summary>
    MissingCredential,

    /// <summary>The credential is valid but not allowed to do this (403).</summary>
    PermissionDenied,

    /// <summary>The addressed resource does not exist (404).</summary>
    NotFound,

    /// <summary>The request conflicts with the resource's state (409).</summary>
    Conflict,

    /// <summary>Too many requests (429).</summary>
    RateLimited,

    /// <summary>The server failed (5xx).</summary>
    Server,
}

/// <summary>
/// How one API reports errors: how its error body reads as an <see cref="ApiError"/>, which of its
/// error codes mean which <see cref="ApiErrorKind"/>, and where its body says how long to wait before
/// a retry. The runtime knows no API; a generated client supplies its API's conventions (its
/// <c>ErrorConventions</c>, which a partial part of the client can set through
/// <c>ConfigureErrorConventions</c>), and <see cref="Default"/> applies otherwise.
/// </summary>
/// <remarks>
/// The pipeline parses an error body once, as JSON, and hands the same root element to
/// <see cref="ReadError"/> and <see cref="ReadRetryAfter"/>; neither is called for a body that is empty
/// or not JSON. Instances are immutable.
/// </remarks>
public sealed class ApiErrorConventions
{
    private static readonly FrozenDictionary<string, ApiErrorKind> NoCodes = FrozenDictionary<string, ApiErrorKind>.Empty;

    /// <summary>
    /// Neutral conventions: the widespread <c>{"error":{"code","message","details"}}</c> object (or the same
    /// fields at the top level) and RFC 9457 problem details (<c>type</c>, <c>title</c>, <c>detail</c>, see
    /// <see cref="ReadConventionalError"/>); no error codes with a meaning; no wait hint in bodies (the
    /// <c>Retry-After</c> header still counts).
    /// </summary>
    public static ApiErrorConventions Default { get; } = new();

    /// <summary>Reads an error body (its JSON root) as an <see cref="ApiError"/>; null when it is not one.</summary>
    public Func<JsonElement, ApiError?> ReadError { get; init; } = ReadConventionalError;

    /// <summary>
    /// Reads how long the server asks the client to wait from an error body, used when the response has no
    /// <c>Retry-After</c> header; null (the default) reads no body.
    /// </summary>
    public Func<JsonElement, TimeSpan?>? ReadRetryAfter { get; init; }

    /// <summary>
    /// The API's error codes (<see cref="ApiError.Code"/>, compared exactly) and what they mean. A code picks
    /// the exception type for a status that has none of its own (e.g. 499), and refines it where the status
    /// cannot tell (a missing credential is a 401 like a wrong one).
    /// </summary>
    public IReadOnlyDictionary<string, ApiErrorKind> Codes { get => _codes; init => _codes = value?.ToFrozenDictionary(StringComparer.Ordinal) ?? NoCodes; }

    private FrozenDictionary<string, ApiErrorKind> _codes = NoCodes;

    /// <summary>The kind the code of <paramref name="error"/> means, or <see cref="ApiErrorKind.Unknown"/>.</summary>
    public ApiErrorKind KindOf(ApiError? error) =>
        error is not null && _codes.TryGetValue(error.Code, out var kind) ? kind : ApiErrorKind.Unknown;

    /// <summary>
    /// Reads <c>{"error":{"code","message","details"}}</c>, the same three fields at the top level, or an
    /// RFC 9457 problem (<c>type</c> as the code unless it is <c>about:blank</c>, <c>detail</c> or else
    /// <c>title</c> as the message, <c>errors</c> as the details); null when the body is none of these.
    /// </summary>
    public static ApiError? ReadConventionalError(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return null;
        var error = body.TryGetProperty("error", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : body;
        var code = String(error, "code");
        var message = String(error, "message");
        if (code is not null || message is not null)
            return new ApiError(code ?? "", message ?? "", Details(error, "details"));

        var title = String(body, "title");
        var detail = String(body, "detail");
        if (title is null && detail is null) return null;
        var type = String(body, "type");
        return new ApiError(type is null or "about:blank" ? "" : type, detail ?? title!, Details(body, "errors"));

        static string? String(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        static JsonElement? Details(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.Clone() : null;
    }
}
