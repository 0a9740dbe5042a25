using Microsoft.Extensions.Logging;

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

    /// <summary>Whether the options belong to a client and can no longer change.</summary>
    public bool IsFrozen { get; private set; }

    /// <summary>The API's base address. Required.</summary>
    public Uri? BaseAddress { get => _baseAddress; set => Set(ref _baseAddress, value); }

    /// <summary>The API key sent with every request. It never appears in a log or an exception.</summary>
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
    private Func<ReadOnlyMemory<byte>, TimeSpan?>? _retryAfterFromBody = ReadRetryAfterFromJson;
    private bool _frozen;

    /// <summary>Retries after the first attempt. Default 2, as TinyFish's own SDKs do; 0 turns retries off.</summary>
    public int MaxRetries { get => _maxRetries; set => Set(ref _maxRetries, value); }

    /// <summary>The first backoff delay; each retry doubles it, with jitter. Default 500 ms.</summary>
    public TimeSpan BaseDelay { get => _baseDelay; set => Set(ref _baseDelay, value); }

    /// <summary>The longest delay taken, also when the server asks for longer. Default 30 s.</summary>
    public TimeSpan MaxDelay { get => _maxDelay; set => Set(ref _maxDelay, value); }

    /// <summary>
    /// Reads a wait hint from an error response's body when the response has no <c>Retry-After</c>
    /// header; null ignores bodies. Default <see cref="ReadRetryAfterFromJson"/>, which understands
    /// <c>retry_after</c> in seconds at the top level or inside <c>error</c>.
    /// </summary>
    public Func<ReadOnlyMemory<byte>, TimeSpan?>? RetryAfterFromBody { get => _retryAfterFromBody; set => Set(ref _retryAfterFromBody, value); }

    /// <summary>
    /// Reads <c>retry_after</c> (or <c>retryAfter</c>), a number of seconds or a string holding one, from the
    /// top level of a JSON object body or from its <c>error</c> object. Null when absent, null, negative or
    /// the body is not JSON.
    /// </summary>
    public static TimeSpan? ReadRetryAfterFromJson(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object) return null;
            return Seconds(root)
                ?? (root.TryGetProperty("error", out var error) && error.ValueKind == System.Text.Json.JsonValueKind.Object ? Seconds(error) : null);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        static TimeSpan? Seconds(System.Text.Json.JsonElement element)
        {
            if (!element.TryGetProperty("retry_after", out var value) && !element.TryGetProperty("retryAfter", out value)) return null;
            double seconds;
            if (value.ValueKind == System.Text.Json.JsonValueKind.Number) seconds = value.GetDouble();
            else if (value.ValueKind != System.Text.Json.JsonValueKind.String
                     || !double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out seconds)) return null;
            return seconds is >= 0 and <= 86_400 ? TimeSpan.FromSeconds(seconds) : null;
        }
    }

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
