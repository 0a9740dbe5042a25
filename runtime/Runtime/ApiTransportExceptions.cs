using System.Text.Json;

namespace TinyFish.Toolkit.Runtime;

/// <summary>A success response whose body (or one server-sent event) does not fit the type the spec promises.</summary>
public sealed class ApiResponseFormatException : Exception
{
    /// <summary>Creates the exception for a body the JSON reader rejected.</summary>
    public ApiResponseFormatException(string operationId, JsonException inner)
        : this(operationId, (Exception)inner)
    {
    }

    /// <summary>Creates the exception for a body a generated reader rejected (bad JSON, wrong token type, bad format).</summary>
    public ApiResponseFormatException(string operationId, Exception inner)
        : base($"{operationId}: the response body does not match the spec: {inner?.Message}", inner)
    {
        OperationId = operationId;
    }

    /// <summary>The spec's id of the operation whose response did not fit.</summary>
    public string OperationId { get; }
}

/// <summary>
/// One attempt took longer than <see cref="ApiClientOptions.Timeout"/>, and no retry followed (retries
/// exhausted, or the request is not idempotent so the server may be acting on it).
/// </summary>
public sealed class ApiTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public ApiTimeoutException(string operationId, TimeSpan timeout, Exception? inner = null)
        : base($"{operationId} did not answer within {timeout}.", inner)
    {
        OperationId = operationId;
        Timeout = timeout;
    }

    /// <summary>The spec's id of the operation that timed out.</summary>
    public string OperationId { get; }

    /// <summary>The per-attempt timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}

/// <summary>
/// A server-sent event stream broke after it had started (the connection dropped mid-stream).
/// Distinct from a clean end of stream and from cancellation, so a caller can recover, e.g. by polling.
/// </summary>
public sealed class ApiStreamInterruptedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ApiStreamInterruptedException(string operationId, int eventsReceived, Exception inner)
        : base($"{operationId}: the event stream was interrupted after {eventsReceived} event(s): {inner?.Message}", inner)
    {
        OperationId = operationId;
        EventsReceived = eventsReceived;
    }

    /// <summary>The spec's id of the streaming operation.</summary>
    public string OperationId { get; }

    /// <summary>How many events the caller had received before the stream broke.</summary>
    public int EventsReceived { get; }
}
