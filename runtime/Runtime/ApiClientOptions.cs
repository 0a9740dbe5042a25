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

    /// <summary>Checks every setting and makes the options read-only.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    public void ValidateAndFreeze()
    {
        if (IsFrozen) return;
        if (BaseAddress is null) throw new ArgumentException("ApiClientOptions.BaseAddress is required.", nameof(BaseAddress));
        if (!BaseAddress.IsAbsoluteUri) throw new ArgumentException($"ApiClientOptions.BaseAddress must be absolute, got '{BaseAddress}'.", nameof(BaseAddress));
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentException($"ApiClientOptions.Timeout must be positive, got {Timeout}.", nameof(Timeout));
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
    private bool _frozen;

    /// <summary>Retries after the first attempt. Default 2, as TinyFish's own SDKs do; 0 turns retries off.</summary>
    public int MaxRetries { get => _maxRetries; set => Set(ref _maxRetries, value); }

    /// <summary>The first backoff delay; each retry doubles it, with jitter. Default 500 ms.</summary>
    public TimeSpan BaseDelay { get => _baseDelay; set => Set(ref _baseDelay, value); }

    /// <summary>The longest delay taken, also when the server asks for longer. Default 30 s.</summary>
    public TimeSpan MaxDelay { get => _maxDelay; set => Set(ref _maxDelay, value); }

    internal void Validate()
    {
        if (MaxRetries < 0) throw new ArgumentException($"RetryOptions.MaxRetries must be 0 or more, got {MaxRetries}.", nameof(MaxRetries));
        if (BaseDelay < TimeSpan.Zero) throw new ArgumentException($"RetryOptions.BaseDelay must not be negative, got {BaseDelay}.", nameof(BaseDelay));
        if (MaxDelay < BaseDelay) throw new ArgumentException($"RetryOptions.MaxDelay ({MaxDelay}) must not be below BaseDelay ({BaseDelay}).", nameof(MaxDelay));
    }

    internal void Freeze() => _frozen = true;

    private void Set<T>(ref T field, T value)
    {
        if (_frozen) throw new InvalidOperationException("RetryOptions cannot change once a client uses them.");
        field = value;
    }
}
