using System.Net;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// The API answered with an error status. Carries the status, the error the body reports (read by the
/// API's <see cref="ApiErrorConventions"/>) when it reports one, and the raw body.
/// The pipeline throws the most specific subclass (see <see cref="Create"/>) once retries are exhausted.
/// </summary>
public class ApiException : Exception
{
    /// <summary>Creates the exception for one failed response.</summary>
    public ApiException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
        : base(FormatMessage(operationId, statusCode, error))
    {
        OperationId = operationId;
        StatusCode = statusCode;
        Error = error;
        RawBody = rawBody;
        RetryAfter = retryAfter;
        Kind = KindOf((int)statusCode, ApiErrorKind.Unknown);
    }

    /// <summary>The spec's id of the operation that failed.</summary>
    public string OperationId { get; }

    /// <summary>The HTTP status of the response.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The error envelope, when the body carried one.</summary>
    public ApiError? Error { get; }

    /// <summary>The error's machine-readable code (e.g. <c>INVALID_INPUT</c>), when the body has one.</summary>
    public string? Code => Error?.Code;

    /// <summary>The response body as text.</summary>
    public string RawBody { get; }

    /// <summary>
    /// The body read as the model the spec declares for this status (the generated method's docs say which
    /// type goes with which status); null when the spec declares none or the body does not fit it.
    /// <see cref="Error"/> and <see cref="RawBody"/> are set either way.
    /// </summary>
    public object? Body { get; private set; }

    /// <summary>Whether <see cref="Body"/> is a <typeparamref name="T"/>, and if so that body.</summary>
    /// <param name="body">The typed body, when there is one of that type.</param>
    public bool TryGetBody<T>([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T body)
    {
        if (Body is T typed)
        {
            body = typed;
            return true;
        }
        body = default;
        return false;
    }

    /// <summary>
    /// How long the server asked the client to wait, when it did: the <c>Retry-After</c> header, else the
    /// body's hint (<see cref="ApiErrorConventions.ReadRetryAfter"/>). Not capped by <see cref="RetryOptions.MaxDelay"/>.
    /// </summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// What the failure is, from the status and, where the status cannot tell, the API's error code
    /// (<see cref="ApiErrorConventions.Codes"/>). The exception's type follows it.
    /// </summary>
    public ApiErrorKind Kind { get; private set; }

    /// <summary>
    /// The exception that fits the status and the API's <paramref name="conventions"/>. The status picks the
    /// type: 400/422 <see cref="ApiInvalidInputException"/>, 401 <see cref="ApiAuthenticationException"/>,
    /// 403 <see cref="ApiPermissionDeniedException"/>, 404 <see cref="ApiNotFoundException"/>,
    /// 409 <see cref="ApiConflictException"/>, 429 <see cref="ApiRateLimitedException"/>,
    /// 5xx <see cref="ApiServerException"/>. For any other status the error code's <see cref="ApiErrorKind"/>
    /// (<see cref="ApiErrorConventions.Codes"/>) picks it, else <see cref="ApiException"/>; a 401 whose code
    /// means <see cref="ApiErrorKind.MissingCredential"/> says so in <see cref="ApiAuthenticationException.IsKeyMissing"/>.
    /// </summary>
    /// <param name="operationId">The spec's id of the operation that failed.</param>
    /// <param name="statusCode">The response's status.</param>
    /// <param name="error">The error the body reports, if any.</param>
    /// <param name="rawBody">The body as text.</param>
    /// <param name="retryAfter">How long the server asked to wait, if it did.</param>
    /// <param name="body">The body read as the spec's model for the status (<see cref="Body"/>), if any.</param>
    /// <param name="conventions">The API's error conventions; null is <see cref="ApiErrorConventions.Default"/> (no codes).</param>
    public static ApiException Create(
        string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null, object? body = null, ApiErrorConventions? conventions = null)
    {
        conventions ??= ApiErrorConventions.Default;
        var kind = KindOf((int)statusCode, conventions.KindOf(error));
        ApiException exception = kind switch
        {
            ApiErrorKind.InvalidInput => new ApiInvalidInputException(operationId, statusCode, error, rawBody, retryAfter),
            ApiErrorKind.Authentication or ApiErrorKind.MissingCredential => new ApiAuthenticationException(operationId, statusCode, error, rawBody, retryAfter),
            ApiErrorKind.PermissionDenied => new ApiPermissionDeniedException(operationId, statusCode, error, rawBody, retryAfter),
            ApiErrorKind.NotFound => new ApiNotFoundException(operationId, statusCode, error, rawBody, retryAfter),
            ApiErrorKind.Conflict => new ApiConflictException(operationId, statusCode, error, rawBody, retryAfter),
            ApiErrorKind.RateLimited => new ApiRateLimitedException(operationId, statusCode, error, rawBody, retryAfter),
            ApiErrorKind.Server => new ApiServerException(operationId, statusCode, error, rawBody, retryAfter),
            _ => new ApiException(operationId, statusCode, error, rawBody, retryAfter),
        };
        exception.Kind = kind;
        exception.Body = body;
        return exception;
    }

    private static ApiErrorKind KindOf(int status, ApiErrorKind byCode)
    {
        var byStatus = status switch
        {
            400 or 422 => ApiErrorKind.InvalidInput,
            401 => ApiErrorKind.Authentication,
            403 => ApiErrorKind.PermissionDenied,
            404 => ApiErrorKind.NotFound,
            409 => ApiErrorKind.Conflict,
            429 => ApiErrorKind.RateLimited,
            >= 500 and <= 599 => ApiErrorKind.Server,
            _ => ApiErrorKind.Unknown,
        };
        if (byStatus == ApiErrorKind.Unknown) return byCode;
        return byStatus == ApiErrorKind.Authentication && byCode == ApiErrorKind.MissingCredential ? byCode : byStatus;
    }

    private static string FormatMessage(string operationId, HttpStatusCode statusCode, ApiError? error) =>
        error is null
            ? $"{operationId} failed with HTTP {(int)statusCode} ({statusCode})."
            : $"{operationId} failed with HTTP {(int)statusCode} {error.Code}: {error.Message}";
}

/// <summary>
/// The API key is missing or not accepted (HTTP 401, or a code the API's conventions give
/// <see cref="ApiErrorKind.Authentication"/>). Retrying does not help.
/// </summary>
public sealed class ApiAuthenticationException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    : ApiException(operationId, statusCode, error, rawBody, retryAfter)
{
    /// <summary>Whether the request carried no key at all, as the API's error code says (<see cref="ApiErrorKind.MissingCredential"/>).</summary>
    public bool IsKeyMissing => Kind == ApiErrorKind.MissingCredential;
}

/// <summary>The key is valid but not allowed to do this (HTTP 403).</summary>
public sealed class ApiPermissionDeniedException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    : ApiException(operationId, statusCode, error, rawBody, retryAfter);

/// <summary>The addressed resource does not exist (HTTP 404).</summary>
public sealed class ApiNotFoundException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    : ApiException(operationId, statusCode, error, rawBody, retryAfter);

/// <summary>The request conflicts with the resource's current state (HTTP 409).</summary>
public sealed class ApiConflictException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    : ApiException(operationId, statusCode, error, rawBody, retryAfter);

/// <summary>The server rejected the input (HTTP 400 or 422); change the request.</summary>
public sealed class ApiInvalidInputException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    : ApiException(operationId, statusCode, error, rawBody, retryAfter)
{
    /// <summary>The envelope's <c>details</c> (which fields are wrong and why), as the server sent them.</summary>
    public System.Text.Json.JsonElement? Details => Error?.Details;
}

/// <summary>
/// Too many requests (HTTP 429), still so after every retry.
/// <see cref="ApiException.RetryAfter"/> says how long the server asked to wait, when it did.
/// </summary>
public sealed class ApiRateLimitedException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    : ApiException(operationId, statusCode, error, rawBody, retryAfter);

/// <summary>
/// The server failed (HTTP 5xx). For a request that is not idempotent the server may have acted on
/// it before failing, which is why such a request is not retried after a 5xx.
/// </summary>
public sealed class ApiServerException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    : ApiException(operationId, statusCode, error, rawBody, retryAfter);
