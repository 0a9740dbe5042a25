using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Polly.Retry;
using Polly.Telemetry;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// Traces and metrics of every generated client, under the name <see cref="Name"/>, following
/// OpenTelemetry's HTTP client semantic conventions. No OpenTelemetry package is needed: the
/// runtime uses <see cref="ActivitySource"/> and <see cref="Meter"/>, which OpenTelemetry (or any
/// <see cref="ActivityListener"/>/<see cref="MeterListener"/>) picks up with
/// <c>AddSource(ApiTelemetry.Name)</c> and <c>AddMeter(ApiTelemetry.Name)</c>.
/// </summary>
/// <remarks>
/// <para>Spans: one <see cref="ActivityKind.Internal"/> span per operation, named by the operation id
/// (e.g. <c>getRun</c>), and under it one <see cref="ActivityKind.Client"/> span per attempt named
/// <c>{method} {url.template}</c> (e.g. <c>GET /v1/runs/{id}</c>), with <c>http.request.method</c>,
/// <c>url.template</c>, <c>url.full</c> (query values redacted to <c>*</c>), <c>server.address</c>,
/// <c>server.port</c>, <c>url.scheme</c>, <c>http.response.status_code</c>, <c>error.type</c> and, from
/// the second attempt on, <c>http.request.resend_count</c>. The operation span carries
/// <c>api.operation.id</c>, the final status or <c>error.type</c>, and <c>http.request.resend_count</c>:
/// how many times the request was retried. A 4xx, 5xx or failure sets the span status to Error.</para>
/// <para>Metrics: <c>http.client.request.duration</c> (seconds, per attempt, the convention's
/// attributes) and <c>api.client.operation.duration</c> (seconds, per operation, with
/// <c>api.operation.id</c> and <c>http.request.resend_count</c>), both measured on the client's
/// <see cref="TimeProvider"/>; <c>resilience.polly.strategy.events</c> counts Polly's events (a retry
/// is <c>event.name = OnRetry</c>) with the attribute names Polly's own telemetry uses.</para>
/// <para>The API key is never a tag: it travels in a header, and headers are not recorded.</para>
/// </remarks>
public static class ApiTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and of the <see cref="Meter"/>.</summary>
    public const string Name = "TinyFish.Toolkit.Runtime";

    private static readonly string? Version = typeof(ApiTelemetry).Assembly.GetName().Version?.ToString();
    private static readonly ActivitySource Source = new(Name, Version);
    private static readonly Meter Meter = new(Name, Version);

    // The bucket boundaries the HTTP semantic conventions advise for request durations.
    private static readonly InstrumentAdvice<double> DurationAdvice = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60],
    };

    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram(
        "http.client.request.duration", "s", "Duration of one HTTP request attempt.", tags: null, DurationAdvice);

    private static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
        "api.client.operation.duration", "s", "Duration of one API operation, all its attempts and retry delays included.", tags: null, DurationAdvice);

    private static readonly Counter<long> ResilienceEvents = Meter.CreateCounter<long>(
        "resilience.polly.strategy.events", "{event}", "Resilience events (retries, attempts) of the client pipeline.");

    /// <summary>Starts the span of one operation (null when nobody listens).</summary>
    internal static Activity? StartOperation(ApiRequest request, Server server)
    {
        var activity = Source.StartActivity(request.OperationId, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("api.operation.id", request.OperationId);
            activity.SetTag("http.request.method", request.Method.Method);
            activity.SetTag("url.template", request.PathTemplate);
            activity.SetTag("server.address", server.Address);
            activity.SetTag("server.port", server.Port);
        }
        return activity;
    }

    /// <summary>Ends an operation: its span's outcome and the operation duration.</summary>
    internal static void EndOperation(Activity? activity, ApiRequest request, Server server, int? status, Exception? failure, int attempts, TimeSpan elapsed)
    {
        var errorType = ErrorType(status, failure);
        var resends = Math.Max(0, attempts - 1);
        if (activity is { IsAllDataRequested: true })
        {
            if (status is { } s) activity.SetTag("http.response.status_code", s);
            activity.SetTag("http.request.resend_count", resends);
        }
        SetOutcome(activity, errorType);

        if (!OperationDuration.Enabled) return;
        var tags = new TagList
        {
            { "api.operation.id", request.OperationId },
            { "http.request.method", request.Method.Method },
            { "url.template", request.PathTemplate },
            { "server.address", server.Address },
            { "http.request.resend_count", resends },
        };
        if (status is { } code) tags.Add("http.response.status_code", code);
        if (errorType is not null) tags.Add("error.type", errorType);
        OperationDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>Starts the span of one attempt, a child of the operation's (null when nobody listens).</summary>
    internal static Activity? StartAttempt(ApiRequest request, Uri uri, Server server, int attempt)
    {
        // The span's name is made only when someone listens: no string per attempt otherwise.
        if (!Source.HasListeners()) return null;
        var activity = Source.StartActivity(request.Method.Method + " " + request.PathTemplate, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.request.method", request.Method.Method);
            activity.SetTag("url.template", request.PathTemplate);
            activity.SetTag("url.full", RedactQuery(uri));
            activity.SetTag("server.address", server.Address);
            activity.SetTag("server.port", server.Port);
            activity.SetTag("url.scheme", server.Scheme);
            if (attempt > 1) activity.SetTag("http.request.resend_count", attempt - 1);
        }
        return activity;
    }

    /// <summary>Ends an attempt: its span's outcome and the request duration.</summary>
    internal static void EndAttempt(Activity? activity, ApiRequest request, Server server, int? status, Exception? failure, TimeSpan elapsed)
    {
        var errorType = ErrorType(status, failure);
        if (activity is { IsAllDataRequested: true } && status is { } s) activity.SetTag("http.response.status_code", s);
        SetOutcome(activity, errorType);

        if (!RequestDuration.Enabled) return;
        var tags = new TagList
        {
            { "http.request.method", request.Method.Method },
            { "url.template", request.PathTemplate },
            { "server.address", server.Address },
            { "server.port", server.Port },
            { "url.scheme", server.Scheme },
        };
        if (status is { } code) tags.Add("http.response.status_code", code);
        if (errorType is not null) tags.Add("error.type", errorType);
        RequestDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>
    /// <c>error.type</c>: the status code for a 4xx/5xx answer, <c>timeout</c> for an attempt that ran out of
    /// time, the <see cref="HttpRequestError"/> in snake case for a transport failure (as .NET's own
    /// HTTP metrics say it), else the exception's type name; null for a success.
    /// </summary>
    internal static string? ErrorType(int? status, Exception? failure) => failure switch
    {
        null => status is >= 400 ? status.Value.ToString(CultureInfo.InvariantCulture) : null,
        ApiException api => ((int)api.StatusCode).ToString(CultureInfo.InvariantCulture),
        ApiTimeoutException => "timeout",
        HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http => SnakeCase(http.HttpRequestError.ToString()),
        _ => failure.GetType().FullName,
    };

    private static void SetOutcome(Activity? activity, string? errorType)
    {
        if (activity is null || errorType is null) return;
        activity.SetStatus(ActivityStatusCode.Error);
        if (activity.IsAllDataRequested) activity.SetTag("error.type", errorType);
    }

    /// <summary>The URL with every query value replaced by <c>*</c>: values may be personal (a goal, a cursor).</summary>
    private static string RedactQuery(Uri uri)
    {
        var query = uri.Query;
        if (query.Length <= 1) return uri.AbsoluteUri;
        var parts = query[1..].Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            parts[i] = (equals < 0 ? parts[i] : parts[i][..equals]) + "=*";
        }
        return uri.GetLeftPart(UriPartial.Path) + "?" + string.Join('&', parts);
    }

    private static string SnakeCase(string pascal)
    {
        var builder = new System.Text.StringBuilder(pascal.Length + 4);
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && builder.Length > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>Where a pipeline sends its requests, as the span and metric attributes name it.</summary>
    internal readonly record struct Server(string Address, int Port, string Scheme)
    {
        public static Server Of(Uri baseAddress) => new(baseAddress.Host, baseAddress.Port, baseAddress.Scheme);
    }

    /// <summary>
    /// Polly's events (each attempt, each retry) as <c>resilience.polly.strategy.events</c> on this meter
    /// and as events on the operation's span, with the attribute names of Polly's own telemetry.
    /// </summary>
    internal sealed class PollyListener : TelemetryListener
    {
        public override void Write<TResult, TArgs>(in TelemetryEventArguments<TResult, TArgs> args)
        {
            // The pipeline's own start and end are the operation span and duration already.
            if (args.Arguments is PipelineExecutingArguments or PipelineExecutedArguments) return;
            var attempt = args.Arguments switch
            {
                OnRetryArguments<TResult> retry => retry.AttemptNumber,
                ExecutionAttemptArguments execution => execution.AttemptNumber,
                _ => (int?)null,
            };
            if (ResilienceEvents.Enabled)
            {
                var tags = new TagList
                {
                    { "event.name", args.Event.EventName },
                    { "event.severity", args.Event.Severity.ToString() },
                    { "pipeline.name", args.Source.PipelineName },
                    { "strategy.name", args.Source.StrategyName },
                    { "operation.key", args.Context.OperationKey },
                };
                if (attempt is { } a) tags.Add("attempt.number", a);
                if (args.Outcome is { } outcome)
                {
                    if (outcome.Result is HttpResponseMessage response) tags.Add("http.response.status_code", (int)response.StatusCode);
                    if (outcome.Exception is { } e) tags.Add("error.type", ErrorType(null, e));
                }
                ResilienceEvents.Add(1, tags);
            }

            if (args.Arguments is OnRetryArguments<TResult> onRetry && Activity.Current is { IsAllDataRequested: true } span)
            {
                span.AddEvent(new ActivityEvent(args.Event.EventName, tags: new ActivityTagsCollection
                {
                    ["attempt.number"] = onRetry.AttemptNumber,
                    ["retry.delay_ms"] = (long)onRetry.RetryDelay.TotalMilliseconds,
                }));
            }
        }
    }
}
