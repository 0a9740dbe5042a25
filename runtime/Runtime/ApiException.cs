using System.Net;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// The API answered with an error status. Carries the status, the parsed error envelope
/// (<c>{"error":{"code","message","details"}}</c>) when the body has one, and the raw body.
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

    /// <summary>How long the server asked the client to wait (the <c>Retry-After</c> header), when it did.</summary>
    public TimeSpan? RetryAfter { get; }

    private static string FormatMessage(string operationId, HttpStatusCode statusCode, ApiError? error) =>
        error is null
            ? $"{operationId} failed with HTTP {(int)statusCode} ({statusCode})."
            : $"{operationId} failed with HTTP {(int)statusCode} {error.Code}: {error.Message}";
}
