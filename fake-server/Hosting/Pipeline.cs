using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Control;
using TinyFish.FakeServer.Endpoints;
using TinyFish.FakeServer.Faults;
using TinyFish.FakeServer.Journal;
using TinyFish.FakeServer.SelfChecking;
using TinyFish.FakeServer.Time;

namespace TinyFish.FakeServer.Hosting;

/// <summary>
/// The middleware in front of the endpoints, outermost first: clock accounting, the self-check of
/// every answer against the spec (when on), a guard that turns any exception into a 500 envelope,
/// the journal (which also reads the body once), faults, authentication, the refusal of a body that
/// cannot be used (too large, too slow, unreadable), and a last line that gives a bare error status
/// (405 from routing) the envelope.
/// </summary>
internal static class Pipeline
{
    public const string LivePrefix = "/live/";

    /// <summary>
    /// Adds the middleware in order, each given only what it uses (captured once here, nothing made
    /// per request): <paramref name="selfCheck"/> is null when the self-check is off;
    /// <paramref name="maxRequestBodyBytes"/> and <paramref name="maxJournalBodyBytes"/> are
    /// <see cref="FakeTinyFishOptions.MaxRequestBodyBytes"/> and <see cref="FakeTinyFishOptions.MaxJournalBodyBytes"/>;
    /// <paramref name="stopping"/> is cancelled when the fake shuts down.
    /// </summary>
    public static void Use(IApplicationBuilder app, ClockCoordinator clock, SelfCheckLog? selfCheck, RequestJournal journal, FaultInjector faults,
        string apiKey, int maxRequestBodyBytes, int maxJournalBodyBytes, CancellationToken stopping)
    {
        app.Use((context, next) => ExchangeMiddleware.InvokeAsync(context, next, clock));
        if (selfCheck is not null) app.Use((context, next) => SelfCheckMiddleware.InvokeAsync(context, next, selfCheck));
        app.Use((context, next) => GuardAsync(context, next, stopping));
        app.Use((context, next) => JournalAsync(context, next, journal, clock, maxRequestBodyBytes, maxJournalBodyBytes));
        app.Use((context, next) => FaultsAsync(context, next, faults, clock, stopping));
        var apiKeyBytes = Encoding.UTF8.GetBytes(apiKey);
        app.Use((context, next) => AuthenticateAsync(context, next, apiKeyBytes));
        app.Use((context, next) => RefuseUnusableBodyAsync(context, next, maxRequestBodyBytes));
        app.Use(EnvelopeBareErrorsAsync);
    }

    private static async Task GuardAsync(HttpContext context, Func<Task> next, CancellationToken stopping)
    {
        try
        {
            await next().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody is left to answer.
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The fake is shutting down: a waiting request ends like a dropped connection.
            context.Abort();
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await HttpResponses.ErrorAsync(context, StatusCodes.Status500InternalServerError, "INTERNAL_ERROR",
                $"The fake failed: {exception.GetType().Name}: {exception.Message}").ConfigureAwait(false);
        }
    }

    private static async Task JournalAsync(HttpContext context, Func<Task> next, RequestJournal journal, ClockCoordinator clock, int maxRequestBodyBytes, int maxJournalBodyBytes)
    {
        var body = await RequestBody.ReadAsync(context, maxRequestBodyBytes).ConfigureAwait(false);
        // The journal is what the API received: the fake's own control routes are not part of it.
        if (context.Request.Path.StartsWithSegments(ControlRoutes.Prefix, StringComparison.Ordinal))
        {
            await next().ConfigureAwait(false);
            return;
        }
        var (text, truncated) = JournalText(body.Bytes.Span, maxJournalBodyBytes, body.Received);
        var entry = new JournalEntry(
            journal.NextSequence(),
            clock.Now,
            context.Request.Method.ToUpperInvariant(),
            context.Request.Path.Value ?? "/",
            context.Request.QueryString.Value ?? "",
            context.Request.Query.ToDictionary(static pair => pair.Key, static pair => pair.Value.ToString(), StringComparer.Ordinal),
            context.Request.Headers.ToDictionary(
                static pair => pair.Key,
                static pair => string.Equals(pair.Key, "X-API-Key", StringComparison.OrdinalIgnoreCase) ? JournalEntry.Redacted : pair.Value.ToString(),
                StringComparer.OrdinalIgnoreCase),
            text,
            body.Received,
            truncated);
        journal.Add(entry);
        // The status that actually goes out: whatever replaced the answer on the way (the guard's 500,
        // the self-check's), read as the headers leave. A dropped connection never starts: null.
        context.Response.OnStarting(static value =>
        {
            var (journaled, http) = ((JournalEntry, HttpContext))value;
            journaled.StatusCode = http.Response.StatusCode;
            return Task.CompletedTask;
        }, (entry, context));
        await next().ConfigureAwait(false);
    }

    /// <summary>The body as the journal keeps it: UTF-8 text, cut (at a character boundary) after <paramref name="limit"/> bytes and marked.</summary>
    private static (string Text, bool Truncated) JournalText(ReadOnlySpan<byte> bytes, int limit, long received)
    {
        if (bytes.Length <= limit && received <= bytes.Length) return (Encoding.UTF8.GetString(bytes), false);
        var cut = Math.Min(limit, bytes.Length);
        while (cut > 0 && cut < bytes.Length && (bytes[cut] & 0xC0) == 0x80) cut--;
        return (Encoding.UTF8.GetString(bytes[..cut]) + JournalEntry.TruncationMarker, true);
    }

    /// <summary>A body the fake cannot use is answered here, after authentication, whatever the route.</summary>
    private static Task RefuseUnusableBodyAsync(HttpContext context, Func<Task> next, int maxRequestBodyBytes)
    {
        if (RequestBody.Of(context).Failure is not { } failure) return next();
        // The rest of a refused body is not read: the connection cannot carry another request.
        context.Response.Headers.Connection = "close";
        return failure.Kind switch
        {
            RequestBodyFailureKind.TooLarge => HttpResponses.InvalidInputAsync(context, "body",
                $"must not exceed {maxRequestBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes (received at least {RequestBody.Of(context).Received.ToString(CultureInfo.InvariantCulture)})"),
            RequestBodyFailureKind.TooSlow => HttpResponses.ErrorAsync(context, StatusCodes.Status408RequestTimeout, "REQUEST_TIMEOUT",
                $"The request body stopped arriving before it was complete: {failure.ServerMessage}"),
            _ => HttpResponses.InvalidInputAsync(context, "body", $"could not be read: {failure.ServerMessage}"),
        };
    }

    private static async Task FaultsAsync(HttpContext context, Func<Task> next, FaultInjector faults, ClockCoordinator clock, CancellationToken stopping)
    {
        // Faults are for the API: the control routes that arm them are never hit by one.
        var fault = context.Request.Path.StartsWithSegments(ControlRoutes.Prefix, StringComparison.Ordinal)
            ? null
            : faults.Take(context.Request.Method, context.Request.Path.Value ?? "/");
        switch (fault?.Kind)
        {
            case null:
                await next().ConfigureAwait(false);
                return;
            case FaultKind.Latency:
                using (var lifetime = RequestLifetime.Of(context, stopping))
                {
                    await clock.WaitAsync(context, clock.Now + fault.Duration, CancellationToken.None, lifetime.Token).ConfigureAwait(false);
                }
                await next().ConfigureAwait(false);
                return;
            case FaultKind.RateLimited:
                context.Response.Headers.RetryAfter = ((long)Math.Ceiling(fault.Duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await HttpResponses.ErrorAsync(context, StatusCodes.Status429TooManyRequests, "RATE_LIMIT_EXCEEDED", "Rate limit exceeded").ConfigureAwait(false);
                return;
            case FaultKind.InternalError:
                await HttpResponses.ErrorAsync(context, StatusCodes.Status500InternalServerError, "INTERNAL_ERROR", "An unexpected error occurred").ConfigureAwait(false);
                return;
            case FaultKind.DroppedConnection:
                context.Abort();
                return;
            case FaultKind.Answer:
                context.Response.StatusCode = fault.AnswerStatusCode;
                context.Response.ContentType = "application/json";
                // Through Body, as every answer is written, so the self-check (which wraps it) sees this one too.
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(fault.AnswerBody!), context.RequestAborted).ConfigureAwait(false);
                return;
        }
    }

    private static Task AuthenticateAsync(HttpContext context, Func<Task> next, byte[] apiKey)
    {
        // The live view is opened by browsers (iframes send no X-API-Key); its URL carries its own token.
        if (context.Request.Path.StartsWithSegments(LivePrefix.TrimEnd('/'), StringComparison.Ordinal)) return next();
        var key = context.Request.Headers["X-API-Key"].ToString();
        if (key.Length == 0)
        {
            return HttpResponses.ErrorAsync(context, StatusCodes.Status401Unauthorized, "MISSING_API_KEY", "X-API-Key header is required");
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), apiKey))
        {
            return HttpResponses.ErrorAsync(context, StatusCodes.Status401Unauthorized, "INVALID_API_KEY", "Invalid API key");
        }
        return next();
    }

    private static async Task EnvelopeBareErrorsAsync(HttpContext context, Func<Task> next)
    {
        await next().ConfigureAwait(false);
        if (context.Response.HasStarted || context.Response.StatusCode < 400 || context.RequestAborted.IsCancellationRequested) return;
        if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
        {
            await HttpResponses.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "METHOD_NOT_ALLOWED",
                $"{context.Request.Method} is not allowed on {context.Request.Path}").ConfigureAwait(false);
            return;
        }
        await HttpResponses.ErrorAsync(context, context.Response.StatusCode, context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => "NOT_FOUND",
            StatusCodes.Status400BadRequest => "INVALID_INPUT",
            _ => "INTERNAL_ERROR",
        }, $"{context.Request.Method} {context.Request.Path} answered {context.Response.StatusCode}").ConfigureAwait(false);
    }

    // The API's routes and their methods, to tell "wrong method" (405) from "no such path" (404).
    private static readonly (Regex Path, string Method)[] Routes =
    [
        (new Regex("^/v1/automation/(run|run-async|run-sse|run-batch)$", RegexOptions.CultureInvariant), "POST"),
        (new Regex("^/v1/runs/batch(/cancel)?$", RegexOptions.CultureInvariant), "POST"),
        (new Regex("^/v1/runs/[^/]+/cancel$", RegexOptions.CultureInvariant), "POST"),
        (new Regex("^/v1/runs(/[^/]+)?$", RegexOptions.CultureInvariant), "GET"),
        (new Regex("^/live/[^/]+(/events|/steps/[0-9]+/screenshot\\.png)?$", RegexOptions.CultureInvariant), "GET"),
        (new Regex("^/_fake/(faults|scenarios)$", RegexOptions.CultureInvariant), "POST"),
        (new Regex("^/_fake/(faults|scenarios|journal)$", RegexOptions.CultureInvariant), "DELETE"),
        (new Regex("^/_fake/journal$", RegexOptions.CultureInvariant), "GET"),
    ];

    /// <summary>Answers what no route matched: 405 when the path exists with another method, else 404.</summary>
    public static Task NoRouteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var allowed = Routes.Where(route => route.Path.IsMatch(path)).Select(static route => route.Method).Distinct().ToList();
        if (allowed.Count == 0 || allowed.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            return HttpResponses.NotFoundAsync(context, $"No endpoint {context.Request.Method} {path}");
        }
        context.Response.Headers.Allow = string.Join(", ", allowed);
        return HttpResponses.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "METHOD_NOT_ALLOWED",
            $"{context.Request.Method} is not allowed on {path}; use {string.Join(" or ", allowed)}");
    }
}
