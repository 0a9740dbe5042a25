using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using TinyFish.FakeServer.Endpoints;
using TinyFish.FakeServer.Json;

namespace TinyFish.FakeServer.SelfChecking;

/// <summary>
/// Checks every response against the spec before the client sees it (<see cref="FakeTinyFishOptions.SelfCheck"/>).
/// A JSON answer that breaks the spec is replaced by a 500 <c>SELF_CHECK_FAILED</c> envelope naming the
/// JSON path and the rule; a stream event that breaks it drops the connection. Either way the
/// violation is recorded in <see cref="SelfCheckLog"/>, and the next
/// <see cref="FakeTinyFish.AdvanceAsync"/>, <see cref="FakeTinyFish.WhenIdleAsync"/> or
/// <see cref="FakeTinyFish.DisposeAsync"/> throws <see cref="SelfCheckFailedException"/>.
/// </summary>
internal static class SelfCheckMiddleware
{
    public const string FailureCode = "SELF_CHECK_FAILED";

    public static async Task InvokeAsync(HttpContext context, Func<Task> next, SelfCheckLog log)
    {
        var check = new ResponseCheck(context, SpecSchemas.Embedded, log);
        var originalBody = context.Features.Get<IHttpResponseBodyFeature>()!;
        var originalResponse = context.Features.Get<IHttpResponseFeature>()!;
        var stream = new CheckedResponseStream(context, check, originalBody.Stream);
        var body = new StreamResponseBodyFeature(stream, originalBody);
        context.Features.Set<IHttpResponseBodyFeature>(body);
        // A held-back JSON body has not reached the client, but the endpoints must see the response as
        // started (or the last-line middleware would add a second envelope after it).
        context.Features.Set<IHttpResponseFeature>(new StartedWhenWritten(originalResponse, stream));
        try
        {
            await next().ConfigureAwait(false);
            await body.CompleteAsync().ConfigureAwait(false);
            await stream.FinishEventsAsync(context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            context.Features.Set(originalBody);
            context.Features.Set(originalResponse);
        }
        if (context.RequestAborted.IsCancellationRequested || stream.Mode is BodyMode.Events or BodyMode.PassThrough) return;

        var violations = check.Found;
        if (stream.AnyWritten)
        {
            if (check.CheckBody(stream.Held) is { } violation) violations.Add(violation);
        }
        else
        {
            check.Decide(hasBody: false);
            check.CheckEmpty();
        }
        if (violations.Count == 0)
        {
            if (stream.AnyWritten) await originalBody.Stream.WriteAsync(stream.Held, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        foreach (var violation in violations) check.Record(violation);
        await FailAsync(context, violations).ConfigureAwait(false);
    }

    /// <summary>Answers 500 <c>SELF_CHECK_FAILED</c> instead, with one detail per broken rule.</summary>
    private static async Task FailAsync(HttpContext context, IReadOnlyList<SelfCheckViolation> violations)
    {
        var response = context.Response;
        response.Headers.Clear();
        // The same request fails the same way again: a client that retries 500s need not wait for it
        // (on a fake clock nobody moves, it would wait for ever).
        response.Headers.RetryAfter = "0";
        var first = violations[0];
        var details = violations.SelectMany(static violation => violation.Errors.Select(error =>
            new ErrorDetail(error.Path, $"{violation.Part}: {error.Rule}: {error.Message} [{error.SchemaLocation}]"))).ToList();
        var message = $"The fake's {first.StatusCode} answer to {first.Method} {first.Path} breaks the spec (self-check): " +
            string.Join("; ", violations.SelectMany(static violation => violation.Errors).Select(static error => $"{error.Path}: {error.Rule}: {error.Message}"));
        await HttpResponses.ErrorAsync(context, StatusCodes.Status500InternalServerError, FailureCode, message, details).ConfigureAwait(false);
    }

    /// <summary>The server's response feature, but started as soon as the endpoint wrote a byte.</summary>
    private sealed class StartedWhenWritten(IHttpResponseFeature inner, CheckedResponseStream stream) : IHttpResponseFeature
    {
        public int StatusCode
        {
            get => inner.StatusCode;
            set => inner.StatusCode = value;
        }

        public string? ReasonPhrase
        {
            get => inner.ReasonPhrase;
            set => inner.ReasonPhrase = value;
        }

        public IHeaderDictionary Headers
        {
            get => inner.Headers;
            set => inner.Headers = value;
        }

        [Obsolete("Use IHttpResponseBodyFeature.Stream.")]
        public Stream Body
        {
            get => inner.Body;
            set => inner.Body = value;
        }

        public bool HasStarted => inner.HasStarted || stream.AnyWritten;

        public void OnStarting(Func<object, Task> callback, object state) => inner.OnStarting(callback, state);

        public void OnCompleted(Func<object, Task> callback, object state) => inner.OnCompleted(callback, state);
    }
}
