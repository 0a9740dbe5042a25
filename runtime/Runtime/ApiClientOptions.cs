using Microsoft.Extensions.Logging;
using Polly;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// Settings of a generated client. Set them, then hand them to the client: the client validates
/// them and freezes them, so a later change cannot alter a client in use.
/// </summary>
public sealed class ApiClientOptions
{
    private Uri? _baseAddress;
    private string? _apiKey;
    private TimeSpan _timeout = TimeSpan.FromSeconds(60);
    private RetryOptions _retry = new();
    private TimeProvider _timeProvider = TimeProvider.System;
    private ILoggerFactory? _loggerFactory;
    private Action<ResiliencePipelineBuilder<HttpResponseMessage>>? _perCall;
    private Action<ResiliencePipelineBuilder<HttpResponseMessage>>? _perAttempt;

    /// <summary>Whether the options belong to a client and can no longer change.</summary>
    public bool IsFrozen { get; private set; }

    /// <summary>The API's base address. Required.</summary>
    public Uri? BaseAddress { get => _baseAddress; set => Set(ref _baseAddress, value); }

    /// <summary>
    /// The API key sent with every request, as the spec's security scheme says (an <c>apiKey</c> header or <c>http</c>
    /// bearer). It never appears in a log or an exception. A client whose spec declares neither refuses a key when it is
    /// made (<see cref="ArgumentException"/>): it could never be sent.
    /// </summary>
    public string? ApiKey { get => _apiKey; set => Set(ref _apiKey, value); }

    /// <summary>How long one attempt may take before it fails. Default 60 seconds.</summary>
    public TimeSpan Timeout { get => _timeout; set => Set(ref _timeout, value); }

    /// <summary>When and how often a failed request is sent again.</summary>
    public RetryOptions Retry { get => _retry; set => Set(ref _retry, value); }

    /// <summary>The clock used for timeouts and retry delays. Tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get => _timeProvider; set => Set(ref _timeProvider, value); }

    /// <summary>Where the client logs its requests. Null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get => _loggerFactory; set => Set(ref _loggerFactory, value); }

    /// <summary>
    /// Adds Polly strategies around each whole call, outside the retries: they see the call once, whatever
    /// the number of attempts (e.g. a circuit breaker, a concurrency or rate limiter, a total timeout).
    /// The builder already has the client's <see cref="TimeProvider"/>.
    /// </summary>
    /// <example><c>options.PerCallResilience = b => b.AddConcurrencyLimiter(4);</c></example>
    public Action<ResiliencePipelineBuilder<HttpResponseMessage>>? PerCallResilience { get => _perCall; set => Set(ref _perCall, value); }

    /// <summary>
    /// Adds Polly strategies around each attempt, inside the retries: they see every attempt (e.g. a
    /// limiter per request sent, a fallback answer for one failed attempt). The attempt's own
    /// <see cref="Timeout"/> stays innermost.
    /// </summary>
    public Action<ResiliencePipelineBuilder<HttpResponseMessage>>? PerAttemptResilience { get => _perAttempt; set => Set(ref _perAttempt, value); }

    /// <summary>
    /// Options whose key and base address come from environment variables, for clients that follow the
    /// usual SDK convention (e.g. <c>TINYFISH_API_KEY</c>, <c>TINYFISH_BASE_URL</c>). Nothing is read
    /// from the environment unless a caller asks for it here.
    /// </summary>
    /// <param name="apiKeyVariable">The variable holding the API key; unset or empty leaves <see cref="ApiKey"/> null.</param>
    /// <param name="baseUrlVariable">The variable holding the base URL, or null to always use <paramref name="defaultBaseAddress"/>.</param>
    /// <param name="defaultBaseAddress">The base address when the variable is unset or empty.</param>
    /// <exception cref="ArgumentException">The base URL variable holds something that is not an absolute URL; the message names the variable.</exception>
    public static ApiClientOptions FromEnvironment(string apiKeyVariable, string? baseUrlVariable, Uri defaultBaseAddress)
    {
        ArgumentNullException.ThrowIfNull(defaultBaseAddress);
        var options = new ApiClientOptions { BaseAddress = defaultBaseAddress };
        options.ApplyEnvironment(apiKeyVariable, baseUrlVariable);
        return options;
    }

    /// <summary>
    /// Fills <see cref="ApiKey"/> and <see cref="BaseAddress"/> from environment variables, each only
    /// when the variable is set and non-empty; settings made in code before this call are overwritten
    /// only by a set variable. Returns these options.
    /// </summary>
    /// <param name="apiKeyVariable">The variable holding the API key.</param>
    /// <param name="baseUrlVariable">The variable holding the base URL, or null to leave <see cref="BaseAddress"/> alone.</param>
    /// <exception cref="ArgumentException">The base URL variable holds something that is not an absolute URL.</exception>
    public ApiClientOptions ApplyEnvironment(string apiKeyVariable, string? baseUrlVariable)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKeyVariable);
        var key = Environment.GetEnvironmentVariable(apiKeyVariable);
        if (!string.IsNullOrEmpty(key)) ApiKey = key;
        if (baseUrlVariable is null) return this;
        var url = Environment.GetEnvironmentVariable(baseUrlVariable);
        if (string.IsNullOrEmpty(url)) return this;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"The environment variable {baseUrlVariable} must hold an absolute http(s) URL, got '{url}'.", nameof(baseUrlVariable));
        BaseAddress = uri;
        return this;
    }

    /// <summary>Checks every setting and makes the options read-only.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    public void ValidateAndFreeze()
    {
        if (IsFrozen) return;
        if (BaseAddress is null) throw new ArgumentException("ApiClientOptions.BaseAddress is required.", nameof(BaseAddress));
        if (!BaseAddress.IsAbsoluteUri) throw new ArgumentException($"ApiClientOptions.BaseAddress must be absolute, got '{BaseAddress}'.", nameof(BaseAddress));
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentException($"ApiClientOptions.Timeout must be positive, got {Timeout}.", nameof(Timeout));
        if (Timeout.TotalMilliseconds > int.MaxValue)
            throw new ArgumentException($"ApiClientOptions.Timeout must be at most {TimeSpan.FromMilliseconds(int.MaxValue)} (or infinite), got {Timeout}.", nameof(Timeout));
        Retry.Validate();
        if (!BaseAddress.AbsoluteUri.EndsWith('/')) _baseAddress = new Uri(BaseAddress.AbsoluteUri + "/");
        Retry.Freeze();
        IsFrozen = true;
    }

    private void Set<T>(ref T field, T value)
    {
        if (IsFrozen) throw new InvalidOperationException("ApiClientOptions cannot change once a client uses them.");
        field = value;
    }
}

/// <summary>When and how often a failed request is sent again.</summary>
public sealed class RetryOptions
{
    private int _maxRetries = 2;
    private TimeSpan _baseDelay = TimeSpan.FromMilliseconds(500);
    private TimeSpan _maxDelay = TimeSpan.FromSeconds(30);
    private Func<ApiAttemptOutcome, bool> _shouldRetry = ApiRetryRule.Default;
    private bool _frozen;

    /// <summary>Retries after the first attempt. Default 2, as TinyFish's own SDKs do; 0 turns retries off.</summary>
    public int MaxRetries { get => _maxRetries; set => Set(ref _maxRetries, value); }

    /// <summary>The first backoff delay; each retry doubles it, with jitter. Default 500 ms.</summary>
    public TimeSpan BaseDelay { get => _baseDelay; set => Set(ref _baseDelay, value); }

    /// <summary>The longest delay taken, also when the server asks for longer. Default 30 s.</summary>
    public TimeSpan MaxDelay { get => _maxDelay; set => Set(ref _maxDelay, value); }

    /// <summary>
    /// Whether an attempt's outcome is retried. Default <see cref="ApiRetryRule.Default"/> (safe for
    /// requests that are not idempotent); replace it, or wrap it to add or remove cases. Caller
    /// cancellation is never retried, whatever the rule says.
    /// </summary>
    public Func<ApiAttemptOutcome, bool> ShouldRetry { get => _shouldRetry; set => Set(ref _shouldRetry, value ?? throw new ArgumentNullException(nameof(value))); }

    internal void Validate()
    {
        if (MaxRetries < 0) throw new ArgumentException($"RetryOptions.MaxRetries must be 0 or more, got {MaxRetries}.", nameof(MaxRetries));
        if (BaseDelay < TimeSpan.Zero) throw new ArgumentException($"RetryOptions.BaseDelay must not be negative, got {BaseDelay}.", nameof(BaseDelay));
        if (BaseDelay > TimeSpan.FromDays(1)) throw new ArgumentException($"RetryOptions.BaseDelay must be at most one day, got {BaseDelay}.", nameof(BaseDelay));
        if (MaxDelay < BaseDelay) throw new ArgumentException($"RetryOptions.MaxDelay ({MaxDelay}) must not be below BaseDelay ({BaseDelay}).", nameof(MaxDelay));
    }

    internal void Freeze() => _frozen = true;

    private void Set<T>(ref T field, T value)
    {
        if (_frozen) throw new InvalidOperationException("RetryOptions cannot change once a client uses them.");
        field = value;
    }
}
