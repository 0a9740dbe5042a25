using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// The one HTTP path every generated client sends through: base address, credential, per-attempt
/// timeout, retries, logging, status handling and response decoding. Generated operations describe an
/// <see cref="ApiRequest"/> and hand it here with the reader of their response type.
/// </summary>
/// <remarks>
/// Retry rule: 408, 429, 5xx, transport failures and per-attempt timeouts are retried with exponential
/// backoff and jitter, or after the server's <c>Retry-After</c>/body hint (capped at
/// <see cref="RetryOptions.MaxDelay"/>). A request that is not idempotent is retried only when the
/// server cannot have processed it: after a 429, or when the connection could not be opened.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ApiPipeline : IDisposable
{
    private static readonly ResiliencePropertyKey<Call> CallKey = new("TinyFish.Toolkit.Runtime.ApiPipeline.Call");

    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly ApiCredentialScheme _credential;
    private readonly ResiliencePipeline<HttpResponseMessage> _resilience;
    private readonly ILogger _logger;
    private readonly ApiTelemetry.Server _server;
    /// <summary>The base address as text (ending in <c>/</c>) when a request's URI is that text plus its path and query; null when it has a query or fragment to resolve against.</summary>
    private readonly string? _baseText;
    /// <summary>The retry is the only strategy: a first attempt that needs no retry can skip Polly (see <see cref="SendCoreAsync"/>).</summary>
    private readonly bool _firstAttemptDirect;
    /// <summary>One idle per-attempt timeout source, reset and reused (see <see cref="RentTimeout"/>).</summary>
    private CancellationTokenSource? _idleTimeout;

    /// <summary>Builds the pipeline; validates and freezes <paramref name="options"/>.</summary>
    /// <param name="options">The client's settings.</param>
    /// <param name="credential">How the spec says the API key travels.</param>
    /// <param name="httpClient">
    /// The transport, e.g. one from <c>IHttpClientFactory</c>; null makes one the pipeline owns and
    /// disposes. Its own <see cref="HttpClient.Timeout"/> is switched off: the pipeline times each attempt.
    /// Give it no retrying handler of its own, or set <see cref="RetryOptions.MaxRetries"/> to 0.
    /// </param>
    /// <param name="errors">How the API reports errors (generated clients pass their <c>ErrorConventions</c>); null is <see cref="ApiErrorConventions.Default"/>.</param>
    /// <exception cref="ArgumentException"><see cref="ApiClientOptions.ApiKey"/> is set but <paramref name="credential"/> is
    /// <see cref="ApiCredentialScheme.None"/> (the spec declares no scheme the key could be sent with), or the options are invalid.</exception>
    public ApiPipeline(ApiClientOptions options, ApiCredentialScheme credential, HttpClient? httpClient = null, ApiErrorConventions? errors = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        Errors = errors ?? ApiErrorConventions.Default;
        if (credential.HeaderName.Length == 0 && !string.IsNullOrEmpty(options.ApiKey))
        {
            // A key the client can never send is a mistake to say at once, not a 401 to puzzle over later.
            throw new ArgumentException(
                "ApiKey is set, but the OpenAPI document this client was generated from declares no security scheme it can send a key with "
                + "(an apiKey in a header, or http bearer), so the key would never be sent. Leave ApiKey unset and add the credential "
                + "with your own HttpClient (a DelegatingHandler), or declare the scheme in the document.", nameof(options));
        }
        options.ValidateAndFreeze();
        Options = options;
        _credential = credential;
        _ownsHttpClient = httpClient is null;
        _httpClient = httpClient ?? new HttpClient();
        _httpClient.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        _logger = options.LoggerFactory?.CreateLogger("TinyFish.Toolkit.Runtime.ApiPipeline") ?? NullLogger.Instance;
        _server = ApiTelemetry.Server.Of(options.BaseAddress!);
        _baseText = options.BaseAddress!.Query.Length == 0 && options.BaseAddress.Fragment.Length == 0 ? options.BaseAddress.AbsoluteUri : null;
        _resilience = BuildResilience();
        _firstAttemptDirect = options.PerCallResilience is null && options.PerAttemptResilience is null;
    }

    /// <summary>The frozen settings.</summary>
    public ApiClientOptions Options { get; }

    /// <summary>How the API reports errors.</summary>
    public ApiErrorConventions Errors { get; }

    /// <summary>Sends the request and reads the success body with <paramref name="readBody"/>.</summary>
    /// <exception cref="ApiException">The API answered with an error status (a subclass names which), after any retries.</exception>
    /// <exception cref="ApiTimeoutException">The last attempt took longer than <see cref="ApiClientOptions.Timeout"/>.</exception>
    /// <exception cref="HttpRequestException">The transport failed on the last attempt.</exception>
    /// <exception cref="ApiResponseFormatException">The success body does not fit <typeparamref name="T"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<T> SendAsync<T>(ApiRequest request, JsonReadFunc<T> readBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readBody);
        var (_, body) = await ReadSuccessAsync(request, cancellationToken).ConfigureAwait(false);
        using (body) return Decode(body.Span, readBody, request);
    }

    /// <summary>
    /// Sends the request and reads the success body with <paramref name="readBody"/>, or returns
    /// <c>default</c> when the success response has no body (a 204, where the spec allows one).
    /// </summary>
    /// <exception cref="ApiException">The API answered with an error status (a subclass names which), after any retries.</exception>
    /// <exception cref="ApiTimeoutException">The last attempt took longer than <see cref="ApiClientOptions.Timeout"/>.</exception>
    /// <exception cref="HttpRequestException">The transport failed on the last attempt.</exception>
    /// <exception cref="ApiResponseFormatException">The success body does not fit <typeparamref name="T"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<T?> SendOrDefaultAsync<T>(ApiRequest request, JsonReadFunc<T> readBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readBody);
        var (_, body) = await ReadSuccessAsync(request, cancellationToken).ConfigureAwait(false);
        using (body) return body.Length == 0 ? default : Decode(body.Span, readBody, request);
    }

    /// <summary>
    /// Sends the request and reads the success body by its status: <paramref name="readBodyOf"/> gives the
    /// reader for a status with a body, <paramref name="emptyBodyOf"/> the result for a status without one
    /// (null: none documented). For operations whose 2xx responses have different bodies.
    /// </summary>
    /// <exception cref="ApiException">The API answered with an error status (a subclass names which), after any retries.</exception>
    /// <exception cref="ApiTimeoutException">The last attempt took longer than <see cref="ApiClientOptions.Timeout"/>.</exception>
    /// <exception cref="HttpRequestException">The transport failed on the last attempt.</exception>
    /// <exception cref="ApiResponseFormatException">The body does not fit its status's type, or the status is not a documented one.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<T> SendAsync<T>(ApiRequest request, Func<int, JsonReadFunc<T>?> readBodyOf, Func<int, T?> emptyBodyOf, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(readBodyOf);
        ArgumentNullException.ThrowIfNull(emptyBodyOf);
        var (status, body) = await ReadSuccessAsync(request, cancellationToken).ConfigureAwait(false);
        using var _ = body;
        if (body.Length == 0 && emptyBodyOf(status) is { } empty) return empty;
        if (readBodyOf(status) is { } read) return Decode(body.Span, read, request);
        throw new ApiResponseFormatException(request.OperationId,
            new InvalidDataException($"The API answered {status}{(body.Length == 0 ? " without a body" : " with a body")}, which the spec does not document for this operation."));
    }

    /// <summary>Sends the request and returns the success body as text, decoded by its charset (UTF-8 when it names none).</summary>
    /// <exception cref="ApiException">The API answered with an error status (a subclass names which), after any retries.</exception>
    /// <exception cref="ApiTimeoutException">The last attempt took longer than <see cref="ApiClientOptions.Timeout"/>.</exception>
    /// <exception cref="HttpRequestException">The transport failed on the last attempt.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<string> SendForTextAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the request and returns the success body's bytes as they came.</summary>
    /// <exception cref="ApiException">The API answered with an error status (a subclass names which), after any retries.</exception>
    /// <exception cref="ApiTimeoutException">The last attempt took longer than <see cref="ApiClientOptions.Timeout"/>.</exception>
    /// <exception cref="HttpRequestException">The transport failed on the last attempt.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<byte[]> SendForBytesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var (_, body) = await ReadSuccessAsync(request, cancellationToken).ConfigureAwait(false);
        using (body) return body.ToArray();
    }

    /// <summary>
    /// Sends the request (with retries) and returns the success status and body, which the caller
    /// disposes; errors have thrown by then. Each attempt reads the body itself (headers first, then
    /// the stream into a pooled buffer), so the per-attempt timeout and the retry rule cover it as before.
    /// </summary>
    private async ValueTask<(int Status, PooledBody Body)> ReadSuccessAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var body = new PooledBody();
        try
        {
            using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken, body).ConfigureAwait(false);
            // A resilience strategy (a fallback, a cache) may answer with a response no attempt read.
            if (!ReferenceEquals(body.Source, response.Content)) await body.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
            return ((int)response.StatusCode, body);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>Sends the request and ignores any success body.</summary>
    /// <exception cref="ApiException">The API answered with an error status (a subclass names which), after any retries.</exception>
    /// <exception cref="ApiTimeoutException">The last attempt took longer than <see cref="ApiClientOptions.Timeout"/>.</exception>
    /// <exception cref="HttpRequestException">The transport failed on the last attempt.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the request and yields each server-sent event's <c>data</c> read as <typeparamref name="T"/>.
    /// Events with empty data and comment lines are skipped; an event whose data is <c>[DONE]</c> (the end
    /// marker of OpenAI-style streams) ends the stream. A JSON answer instead of a stream (an API whose
    /// request flag turned streaming off) is read as the one item. Opening the stream is retried like any
    /// request; once events flow, nothing is retried.
    /// </summary>
    /// <exception cref="ApiException">The API answered with an error status instead of a stream.</exception>
    /// <exception cref="ApiResponseFormatException">An event's data does not fit <typeparamref name="T"/>.</exception>
    /// <exception cref="ApiStreamInterruptedException">The connection broke after the stream had started.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<T> StreamAsync<T>(ApiRequest request, JsonReadFunc<T> readEvent, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(readEvent);
        request.WithAccept("text/event-stream");
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var received = 0;
        Stream stream;
        try
        {
            stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new ApiStreamInterruptedException(request.OperationId, received, e);
        }

        await using (stream.ConfigureAwait(false))
        {
            if (IsJsonAnswer(response))
            {
                var body = new MemoryStream();
                await stream.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
                yield return Decode(body.GetBuffer().AsSpan(0, (int)body.Length), readEvent, request);
                yield break;
            }

            var parser = SseParser.Create(stream, (_, data) => ParseEvent(data, readEvent, request));
            var events = parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (events.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await events.MoveNextAsync().ConfigureAwait(false)) break;
                    }
                    catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                    {
                        Log.StreamInterrupted(_logger, request.OperationId, request.Method.Method, request.PathTemplate, received, e.GetType().Name);
                        throw new ApiStreamInterruptedException(request.OperationId, received, e);
                    }

                    var item = events.Current.Data;
                    if (item.IsEnd) break;
                    if (!item.HasValue) continue;
                    received++;
                    yield return item.Value;
                }
            }
        }
    }

    /// <summary>Sends the call (its attempts, with retries) inside the operation's span and duration measurement.</summary>
    private async ValueTask<HttpResponseMessage> SendCoreAsync(ApiRequest request, HttpCompletionOption completion, CancellationToken cancellationToken, PooledBody? successBody = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var call = new Call(request, completion, successBody);
        using var operation = ApiTelemetry.StartOperation(request, _server);
        var started = Options.TimeProvider.GetTimestamp();
        try
        {
            Outcome<HttpResponseMessage> outcome;
            if (_firstAttemptDirect)
            {
                // What the retry strategy would do with the first attempt, without its machinery: an
                // outcome it would not retry is final as it is. One it would retry goes to Polly as the
                // first outcome (replayed, not sent again), so delays, retries and events stay Polly's.
                outcome = await AttemptAsync(cancellationToken, call).ConfigureAwait(false);
                if (ShouldRetry(call, outcome, cancellationToken))
                {
                    call.Replay = outcome;
                    outcome = await ExecuteResilienceAsync(call, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                outcome = await ExecuteResilienceAsync(call, cancellationToken).ConfigureAwait(false);
            }
            var response = Finish(call, outcome, cancellationToken);
            ApiTelemetry.EndOperation(operation, request, _server, (int)response.StatusCode, failure: null, call.Attempt, Options.TimeProvider.GetElapsedTime(started));
            return response;
        }
        catch (Exception e)
        {
            ApiTelemetry.EndOperation(operation, request, _server, call.Status is { } status ? (int)status : null, e, call.Attempt, Options.TimeProvider.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary>The call's last outcome as the caller sees it: the success response, or the exception it throws.</summary>
    private HttpResponseMessage Finish(Call call, Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        var request = call.Request;
        if (outcome.Exception is { } exception)
        {
            if (exception is not OperationCanceledException) LogAttempt(call, retryDelay: null);
            ExceptionDispatchInfo.Throw(exception);
        }

        var response = outcome.Result!;
        if (cancellationToken.IsCancellationRequested)
        {
            response.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
        }

        LogAttempt(call, retryDelay: null);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            throw CreateException(request, response, call.ErrorBody ?? ErrorBody.Empty);
        }
    }

    private async ValueTask<Outcome<HttpResponseMessage>> ExecuteResilienceAsync(Call call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(call.Request.OperationId, cancellationToken);
        try
        {
            context.Properties.Set(CallKey, call);
            return await _resilience.ExecuteOutcomeAsync(
                static (ctx, state) => state.Call.TakeReplay() is { } first ? ValueTask.FromResult(first) : state.Pipeline.AttemptAsync(ctx.CancellationToken, state.Call),
                context,
                (Pipeline: this, Call: call)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The retry strategy's own rule (its <c>ShouldHandle</c>), when there is a retry strategy.</summary>
    private bool ShouldRetry(Call call, Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) =>
        Options.Retry.MaxRetries > 0 && !cancellationToken.IsCancellationRequested && Options.Retry.ShouldRetry(OutcomeOf(call, outcome));

    private async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(CancellationToken cancellationToken, Call call)
    {
        call.BeginAttempt(Options.TimeProvider.GetTimestamp());
        // The timeout runs on the options' clock so tests can drive it; for a stream it covers the
        // response headers only (the source is reset when the attempt returns), never the events.
        var timeout = RentTimeout();
        // Linked only when the caller's token can fire at all: one source fewer per call otherwise.
        var linked = timeout is null || !cancellationToken.CanBeCanceled ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked?.Token ?? timeout?.Token ?? cancellationToken;
        HttpResponseMessage? response = null;
        Activity? span = null;
        Exception? failure = null;
        try
        {
            using var message = CreateMessage(call.Request);
            span = ApiTelemetry.StartAttempt(call.Request, message.RequestUri!, _server, call.Attempt);
            response = await _httpClient.SendAsync(message, call.Completion, token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                call.ErrorBody = new ErrorBody(await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false));
            }
            else if (call.SuccessBody is { } body)
            {
                try
                {
                    await body.ReadAsync(response.Content, token).ConfigureAwait(false);
                }
                catch
                {
                    response.Dispose();
                    throw;
                }
            }
            call.EndAttempt(Options.TimeProvider, response.StatusCode, failure: null);
            return Outcome.FromResult(response);
        }
        catch (OperationCanceledException e) when (timeout is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            call.EndAttempt(Options.TimeProvider, status: null, failure: "timeout");
            failure = new ApiTimeoutException(call.Request.OperationId, Options.Timeout, e);
            return Outcome.FromException<HttpResponseMessage>(failure);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            call.EndAttempt(Options.TimeProvider, status: null, failure: e is HttpRequestException h ? $"{e.GetType().Name}({h.HttpRequestError})" : e.GetType().Name);
            failure = e;
            return Outcome.FromException<HttpResponseMessage>(e);
        }
        catch (Exception e)
        {
            // Cancelled by the caller, or a handler threw something else: the attempt still ends in the
            // telemetry, and the exception is the outcome (as Polly makes of an exception thrown to it).
            failure = e;
            return Outcome.FromException<HttpResponseMessage>(e);
        }
        finally
        {
            ApiTelemetry.EndAttempt(span, call.Request, _server, call.Status is { } status ? (int)status : null, failure, Options.TimeProvider.GetElapsedTime(call.AttemptStarted));
            span?.Dispose();
            linked?.Dispose();
            ReturnTimeout(timeout, call.BodyReadInAttempt);
        }
    }

    /// <summary>
    /// The per-attempt timeout source, started. On the system clock one idle source is kept and reused:
    /// <see cref="CancellationTokenSource.TryReset"/> succeeds only for a source whose timer never fired
    /// and that nobody cancelled, so a reused source is as good as a new one. On another clock (a test's
    /// fake) every attempt gets its own, as that clock's timers cannot be reset that way.
    /// </summary>
    private CancellationTokenSource? RentTimeout()
    {
        if (Options.Timeout == System.Threading.Timeout.InfiniteTimeSpan) return null;
        if (Options.TimeProvider != TimeProvider.System) return new CancellationTokenSource(Options.Timeout, Options.TimeProvider);
        var timeout = Interlocked.Exchange(ref _idleTimeout, null) ?? new CancellationTokenSource();
        timeout.CancelAfter(Options.Timeout);
        return timeout;
    }

    /// <summary>
    /// Keeps the attempt's timeout source for the next attempt, or disposes it. Only when the response was
    /// read whole within the attempt: a stream lives on after it, and although HttpClient links its own
    /// source to ours and lets go of it once the headers are in, nothing that outlives the attempt should
    /// be able to see a later attempt's timeout (a disposed source, as before, never fires).
    /// </summary>
    private void ReturnTimeout(CancellationTokenSource? timeout, bool responseDone)
    {
        if (timeout is null) return;
        if (responseDone && Options.TimeProvider == TimeProvider.System && timeout.TryReset() && Interlocked.CompareExchange(ref _idleTimeout, timeout, null) is null) return;
        timeout.Dispose();
    }

    /// <summary>
    /// The caller's per-call strategies, the retry, then the caller's per-attempt strategies: Polly runs
    /// them outermost first, so the per-attempt ones see each attempt and the per-call ones the call.
    /// </summary>
    private ResiliencePipeline<HttpResponseMessage> BuildResilience()
    {
        var retry = Options.Retry;
        if (retry.MaxRetries == 0 && Options.PerCallResilience is null && Options.PerAttemptResilience is null)
            return ResiliencePipeline<HttpResponseMessage>.Empty;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = "TinyFish.Toolkit.Runtime.ApiPipeline",
            TimeProvider = Options.TimeProvider,
            TelemetryListener = new ApiTelemetry.PollyListener(),
        };
        Options.PerCallResilience?.Invoke(builder);
        if (retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                ShouldHandle = args => new ValueTask<bool>(
                    !args.Context.CancellationToken.IsCancellationRequested
                    && retry.ShouldRetry(OutcomeOf(GetCall(args.Context), args.Outcome))),
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Result is { } response ? ServerDelay(response, GetCall(args.Context).ErrorBody) : null),
                OnRetry = args =>
                {
                    LogAttempt(GetCall(args.Context), args.RetryDelay);
                    return default;
                },
            });
        }
        Options.PerAttemptResilience?.Invoke(builder);
        return builder.Build();
    }

    private static Call GetCall(ResilienceContext context) =>
        context.Properties.TryGetValue(CallKey, out var call) ? call : throw new InvalidOperationException("The resilience context carries no call.");

    private static ApiAttemptOutcome OutcomeOf(Call call, Outcome<HttpResponseMessage> outcome) =>
        new(call.Request.OperationId, call.Request.IsIdempotent, call.Attempt, outcome.Result?.StatusCode, outcome.Exception);

    private TimeSpan? ServerDelay(HttpResponseMessage response, ErrorBody? errorBody)
    {
        var hint = RetryAfter(response, errorBody);
        if (hint is not { } delay) return null;
        return delay > Options.Retry.MaxDelay ? Options.Retry.MaxDelay : delay;
    }

    /// <summary>The <c>Retry-After</c> header (seconds or a date on the client's clock), else the body's hint by the API's conventions.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response, ErrorBody? errorBody)
    {
        if (response.Headers.RetryAfter is { } header)
        {
            if (header.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            if (header.Date is { } date)
            {
                var wait = date - Options.TimeProvider.GetUtcNow();
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

        if (Errors.ReadRetryAfter is { } fromBody && errorBody?.Json is { } json)
        {
            try
            {
                return fromBody(json) is { } hint && hint >= TimeSpan.Zero ? hint : null;
            }
            catch (Exception e) when (IsReaderFailure(e))
            {
                return null;
            }
        }
        return null;
    }

    private ApiException CreateException(ApiRequest request, HttpResponseMessage response, ErrorBody body)
    {
        var error = ReadError(body);
        if (error is not null) error = error with { Message = Redact(error.Message), Code = Redact(error.Code) };
        var text = Encoding.UTF8.GetString(body.Bytes);
        var redacted = Redact(text);
        // The typed body is read from the redacted text too, so an echoed key cannot leak through it.
        var typed = request.ReadErrorBody((int)response.StatusCode, ReferenceEquals(text, redacted) ? body.Bytes : Encoding.UTF8.GetBytes(redacted));
        return ApiException.Create(request.OperationId, response.StatusCode, error, redacted, RetryAfter(response, body), typed, Errors);
    }

    private ApiError? ReadError(ErrorBody body)
    {
        if (body.Json is not { } json) return null;
        try
        {
            return Errors.ReadError(json);
        }
        catch (Exception e) when (IsReaderFailure(e))
        {
            // A reader that does not understand this body leaves the error unread; status and raw body still tell.
            return null;
        }
    }

    /// <summary>How a reader of JSON says the body is not what it expected (a missing property, a wrong kind of value).</summary>
    private static bool IsReaderFailure(Exception e) =>
        e is FormatException or ArgumentException or InvalidOperationException or JsonException or KeyNotFoundException or IndexOutOfRangeException;

    /// <summary>A server that echoes the key back must not put it into an exception message or log.</summary>
    private string Redact(string text)
    {
        var key = Options.ApiKey;
        return string.IsNullOrEmpty(key) || key.Length < 4 || !text.Contains(key, StringComparison.Ordinal)
            ? text
            : text.Replace(key, "***", StringComparison.Ordinal);
    }

    private HttpRequestMessage CreateMessage(ApiRequest request)
    {
        // One parse of the whole URI text rather than resolving the relative one against the base (two parses).
        var uri = _baseText is null ? new Uri(Options.BaseAddress!, request.RelativeUri) : new Uri(request.UriText(_baseText), UriKind.Absolute);
        var message = new HttpRequestMessage(request.Method, uri);
        // Added as text, not parsed into header objects: the transport writes the text either way.
        message.Headers.TryAddWithoutValidation("Accept", request.Accept);
        _credential.Apply(message, Options.ApiKey);
        if (request.Headers is { } headers)
        {
            foreach (var header in headers) message.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.BodyMediaType);
        }
        return message;
    }

    private static SseData<T> ParseEvent<T>(ReadOnlySpan<byte> data, JsonReadFunc<T> read, ApiRequest request)
    {
        var trimmed = data.Trim(" \t\r\n"u8);
        // Keep-alive frames ("data:" with nothing after it) carry no event.
        if (trimmed.IsEmpty) return default;
        if (trimmed.SequenceEqual("[DONE]"u8)) return new SseData<T>(false, default!, IsEnd: true);
        return new SseData<T>(true, Decode(data, read, request));
    }

    /// <summary>A success answer in JSON (<c>application/json</c>, <c>*+json</c>) where a stream was asked for.</summary>
    private static bool IsJsonAnswer(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } type
        && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static T Decode<T>(ReadOnlySpan<byte> body, JsonReadFunc<T> read, ApiRequest request)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read()) throw new JsonException("The response body is empty.");
            return read(ref reader);
        }
        catch (JsonException e)
        {
            throw new ApiResponseFormatException(request.OperationId, e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            // Generated readers surface a wrong token type or an unparsable value this way.
            throw new ApiResponseFormatException(request.OperationId, e);
        }
    }

    private void LogAttempt(Call call, TimeSpan? retryDelay)
    {
        if (!_logger.IsEnabled(LogLevel.Debug) && retryDelay is null && call.Status is { } s && (int)s < 400) return;
        var request = call.Request;
        var outcome = call.Status is { } status ? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) : call.Failure ?? "unknown";
        var elapsedMs = (long)call.Elapsed.TotalMilliseconds;
        if (retryDelay is { } delay)
            Log.AttemptRetried(_logger, request.OperationId, request.Method.Method, request.PathTemplate, call.Attempt, outcome, elapsedMs, (long)delay.TotalMilliseconds);
        else if (call.Status is { } ok && (int)ok < 400)
            Log.AttemptSucceeded(_logger, request.OperationId, request.Method.Method, request.PathTemplate, call.Attempt, outcome, elapsedMs);
        else
            Log.AttemptFailed(_logger, request.OperationId, request.Method.Method, request.PathTemplate, call.Attempt, outcome, elapsedMs);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Interlocked.Exchange(ref _idleTimeout, null)?.Dispose();
        if (_ownsHttpClient) _httpClient.Dispose();
    }

    /// <summary>What the attempts of one call share: the request and the latest attempt's result.</summary>
    private sealed class Call(ApiRequest request, HttpCompletionOption completion, PooledBody? successBody)
    {

        public ApiRequest Request { get; } = request;
        public HttpCompletionOption Completion { get; } = completion;
        /// <summary>Where a success body is read within the attempt; null when the caller reads it (streams) or ignores it.</summary>
        public PooledBody? SuccessBody { get; } = successBody;
        /// <summary>Whether an attempt's response is read whole before the attempt returns (not a stream the caller reads later).</summary>
        public bool BodyReadInAttempt => SuccessBody is not null || Completion == HttpCompletionOption.ResponseContentRead;
        public int Attempt { get; private set; }
        public long AttemptStarted { get; private set; }
        public HttpStatusCode? Status { get; private set; }
        public string? Failure { get; private set; }
        public TimeSpan Elapsed { get; private set; }
        public ErrorBody? ErrorBody { get; set; }
        /// <summary>The first attempt's outcome, made outside Polly, that Polly's first execution returns instead of sending again.</summary>
        public Outcome<HttpResponseMessage>? Replay { get; set; }

        public Outcome<HttpResponseMessage>? TakeReplay()
        {
            var replay = Replay;
            Replay = null;
            return replay;
        }

        public void BeginAttempt(long timestamp)
        {
            Attempt++;
            AttemptStarted = timestamp;
            Status = null;
            Failure = null;
            ErrorBody = null;
        }

        public void EndAttempt(TimeProvider clock, HttpStatusCode? status, string? failure)
        {
            Elapsed = clock.GetElapsedTime(AttemptStarted);
            Status = status;
            Failure = failure;
        }
    }

    private readonly record struct SseData<T>(bool HasValue, T Value, bool IsEnd = false);

    /// <summary>An error response's body, parsed as JSON at most once for every reader that needs it.</summary>
    private sealed class ErrorBody(byte[] bytes)
    {
        public static readonly ErrorBody Empty = new([]);

        private JsonElement? _json;
        private bool _parsed;

        public byte[] Bytes { get; } = bytes;

        /// <summary>The body's JSON root; null when the body is empty or not JSON.</summary>
        public JsonElement? Json
        {
            get
            {
                if (_parsed) return _json;
                _parsed = true;
                if (Bytes.Length == 0) return null;
                try
                {
                    using var document = JsonDocument.Parse(Bytes);
                    _json = document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    _json = null;
                }
                return _json;
            }
        }
    }
}
