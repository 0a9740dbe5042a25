using System.Net;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// The API answered with an error status. Carries the status, the parsed error envelope
/// (<c>{"error":{"code","message","details"}}</c>) when the body has one, and the raw body.
/// The pipeline throws the most specific subclass (see <see cref="Create(string, HttpStatusCode, ApiError?, string, TimeSpan?)"/>) once retries are exhausted.
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
    }

    /// <summary>The spec's id of the operation that failed.</summary>
    public string OperationId { get; }

    /// <summary>The HTTP status of the response.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The error envelope, when the body carried one.</summary>
    public ApiError? Error { get; }

    /// <summary>The envelope's machine-readable code (e.g. <c>INVALID_INPUT</c>), when there is one.</summary>
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
    /// body's hint (<see cref="RetryOptions.RetryAfterFromBody"/>). Not capped by <see cref="RetryOptions.MaxDelay"/>.
    /// </summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// The exception that fits the status (and, for a status without its own type, the envelope's code):
    /// 400/422 <see cref="ApiInvalidInputException"/>, 401 <see cref="ApiAuthenticationException"/>,
    /// 403 <see cref="ApiPermissionDeniedException"/>, 404 <see cref="ApiNotFoundException"/>,
    /// 409 <see cref="ApiConflictException"/>, 429 <see cref="ApiRateLimitedException"/>,
    /// 5xx <see cref="ApiServerException"/>, anything else <see cref="ApiException"/>.
    /// </summary>
    public static ApiException Create(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    {
        var status = (int)statusCode;
        return status switch
        {
            400 or 422 => new ApiInvalidInputException(operationId, statusCode, error, rawBody, retryAfter),
            401 => new ApiAuthenticationException(operationId, statusCode, error, rawBody, retryAfter),
            403 => new ApiPermissionDeniedException(operationId, statusCode, error, rawBody, retryAfter),
            404 => new ApiNotFoundException(operationId, statusCode, error, rawBody, retryAfter),
            409 => new ApiConflictException(operationId, statusCode, error, rawBody, retryAfter),
            429 => new ApiRateLimitedException(operationId, statusCode, error, rawBody, retryAfter),
            >= 500 and <= 599 => new ApiServerException(operationId, statusCode, error, rawBody, retryAfter),
            _ => error?.Code switch
            {
                "MISSING_API_KEY" or "INVALID_API_KEY" or "UNAUTHORIZED" => new ApiAuthenticationException(operationId, statusCode, error, rawBody, retryAfter),
                "FORBIDDEN" => new ApiPermissionDeniedException(operationId, statusCode, error, rawBody, retryAfter),
                "NOT_FOUND" => new ApiNotFoundException(operationId, statusCode, error, rawBody, retryAfter),
                "INVALID_INPUT" => new ApiInvalidInputException(operationId, statusCode, error, rawBody, retryAfter),
                "RATE_LIMIT_EXCEEDED" => new ApiRateLimitedException(operationId, statusCode, error, rawBody, retryAfter),
                _ => new ApiException(operationId, statusCode, error, rawBody, retryAfter),
            },
        };
    }

    /// <summary>
    /// Like <see cref="Create(string, HttpStatusCode, ApiError?, string, TimeSpan?)"/>, with the body read as
    /// the spec's model for the status (<see cref="Body"/>).
    /// </summary>
    public static ApiException Create(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter, object? body)
    {
        var exception = Create(operationId, statusCode, error, rawBody, retryAfter);
        exception.Body = body;
        return exception;
    }

    private static string FormatMessage(string operationId, HttpStatusCode statusCode, ApiError? error) =>
        error is null
            ? $"{operationId} failed with HTTP {(int)statusCode} ({statusCode})."
            : $"{operationId} failed with HTTP {(int)statusCode} {error.Code}: {error.Message}";
}

/// <summary>
/// The API key is missing or not accepted (HTTP 401; <see cref="ApiException.Code"/> is
/// <c>MISSING_API_KEY</c>, <c>INVALID_API_KEY</c> or <c>UNAUTHORIZED</c>). Retrying does not help.
/// </summary>
public sealed class ApiAuthenticationException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    : ApiException(operationId, statusCode, error, rawBody, retryAfter)
{
    /// <summary>Whether the request carried no key at all (<c>MISSING_API_KEY</c>).</summary>
    public bool IsKeyMissing => Code == "MISSING_API_KEY";
}

/// <summary>The key is valid but not allowed to do this (HTTP 403, <c>FORBIDDEN</c>).</summary>
public sealed class ApiPermissionDeniedException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    : ApiException(operationId, statusCode, error, rawBody, retryAfter);

/// <summary>The addressed resource does not exist (HTTP 404).</summary>
public sealed class ApiNotFoundException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    : ApiException(operationId, statusCode, error, rawBody, retryAfter);

/// <summary>The request conflicts with the resource's current state (HTTP 409).</summary>
public sealed class ApiConflictException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    : ApiException(operationId, statusCode, error, rawBody, retryAfter);

/// <summary>The server rejected the input (HTTP 400 or 422, <c>INVALID_INPUT</c>); change the request.</summary>
public sealed class ApiInvalidInputException(string operationId, HttpStatusCode statusCode, ApiError? error, string rawBody, TimeSpan? retryAfter = null)
    : ApiException(operationId, statusCode, error, rawBody, retryAfter)
{
    /// <summary>The envelope's <c>details</c> (which fields are wrong and why), as the server sent them.</summary>
    public System.Text.Json.JsonElement? Details => Error?.Details;
}

/// <summary>
/// Too many requests (HTTP 429, <c>RATE_LIMIT_EXCEEDED</c>), still so after every retry.
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
