using System.Net;
using System.Net.Sockets;

namespace TinyFish.Toolkit.Runtime;

/// <summary>What one attempt of a call came to, as a retry rule sees it.</summary>
/// <param name="OperationId">The spec's id of the operation.</param>
/// <param name="IsIdempotent">Whether sending the request twice has the effect of sending it once.</param>
/// <param name="Attempt">The attempt's number, 1 for the first.</param>
/// <param name="StatusCode">The status the server answered, or null when there was no answer.</param>
/// <param name="Exception">
/// Why there was no answer: an <see cref="HttpRequestException"/> or <see cref="IOException"/> from the
/// transport, an <see cref="ApiTimeoutException"/>, or what a resilience strategy threw; null with an answer.
/// </param>
public readonly record struct ApiAttemptOutcome(string OperationId, bool IsIdempotent, int Attempt, HttpStatusCode? StatusCode, Exception? Exception);

/// <summary>
/// The rule that decides whether an attempt is retried (<see cref="RetryOptions.ShouldRetry"/>): the
/// default below, or any <see cref="Func{ApiAttemptOutcome, Boolean}"/> that replaces or wraps it. How
/// many times and how long to wait stay with <see cref="RetryOptions"/> and the server's wait hints.
/// </summary>
public static class ApiRetryRule
{
    /// <summary>
    /// 429 and a connection that could not be opened are retried for every request; 408, 5xx, timeouts and
    /// other transport failures only for idempotent ones, since the server may have acted on the others
    /// (e.g. created something). Nothing else is retried.
    /// </summary>
    public static bool Default(ApiAttemptOutcome outcome)
    {
        if (outcome.StatusCode is { } statusCode)
        {
            var status = (int)statusCode;
            if (status == 429) return true;
            return outcome.IsIdempotent && (status == 408 || status >= 500);
        }

        return outcome.Exception switch
        {
            HttpRequestException e when NotSent(e) => true,
            HttpRequestException or IOException or ApiTimeoutException => outcome.IsIdempotent,
            _ => false,
        };
    }

    /// <summary>
    /// Whether the transport failed before any byte of the request reached the server: the connection
    /// could not be opened (refused, host not resolved). Everything else may have been processed.
    /// </summary>
    public static bool NotSent(HttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError) return true;
        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound }) return true;
        }
        return false;
    }
}
