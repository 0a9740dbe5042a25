using Microsoft.Extensions.Logging;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// The pipeline's log lines. Each names the operation and the path template only: no path or query
/// values, no headers, no bodies, so neither the API key nor user data can reach a log.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug,
        Message = "{OperationId} {Method} {PathTemplate} attempt {Attempt}: {Outcome} in {ElapsedMs} ms")]
    public static partial void AttemptSucceeded(ILogger logger, string operationId, string method, string pathTemplate, int attempt, string outcome, long elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "{OperationId} {Method} {PathTemplate} attempt {Attempt}: {Outcome} in {ElapsedMs} ms; retrying in {RetryDelayMs} ms")]
    public static partial void AttemptRetried(ILogger logger, string operationId, string method, string pathTemplate, int attempt, string outcome, long elapsedMs, long retryDelayMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "{OperationId} {Method} {PathTemplate} attempt {Attempt}: {Outcome} in {ElapsedMs} ms; not retried")]
    public static partial void AttemptFailed(ILogger logger, string operationId, string method, string pathTemplate, int attempt, string outcome, long elapsedMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "{OperationId} {Method} {PathTemplate} event stream interrupted after {EventsReceived} event(s): {ExceptionType}")]
    public static partial void StreamInterrupted(ILogger logger, string operationId, string method, string pathTemplate, int eventsReceived, string exceptionType);
}
