using System.Text.RegularExpressions;

namespace TinyFish.FakeServer.Faults;

/// <summary>
/// One fault on demand, built as a sentence and armed by its last verb:
/// <c>fake.Faults.NextRequests(2).To("GET", "/v1/runs/*").AreRateLimited(TimeSpan.FromSeconds(5))</c>.
/// </summary>
public sealed class FaultRule
{
    private readonly FaultInjector _owner;
    private readonly double _probability;
    private int? _remaining;
    private string? _method;
    private Regex? _path;
    private int _hits;

    internal FaultRule(FaultInjector owner, int? count, double probability)
    {
        _owner = owner;
        _remaining = count;
        _probability = probability;
    }

    /// <summary>What the fault does (set by the verb that armed it).</summary>
    public FaultKind Kind { get; private set; }

    /// <summary>For <see cref="FaultKind.RateLimited"/>: the Retry-After; for <see cref="FaultKind.Latency"/>: the delay.</summary>
    public TimeSpan Duration { get; private set; }

    /// <summary>How many requests the fault hit so far.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>
    /// Only requests with this method (null: any) whose path matches <paramref name="pathPattern"/>,
    /// where <c>*</c> stands for one path segment and a trailing <c>**</c> for any rest.
    /// </summary>
    public FaultRule To(string? method, string pathPattern)
    {
        ArgumentNullException.ThrowIfNull(pathPattern);
        _method = method;
        var pattern = "^" + Regex.Escape(pathPattern).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]+", StringComparison.Ordinal) + "$";
        _path = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        return this;
    }

    /// <summary>Only requests to this path pattern, any method (see <see cref="To(string?, string)"/>).</summary>
    public FaultRule To(string pathPattern) => To(null, pathPattern);

    /// <summary>Answer 429 <c>RATE_LIMIT_EXCEEDED</c> with <c>Retry-After</c> in whole seconds.</summary>
    public FaultRule AreRateLimited(TimeSpan retryAfter) => Arm(FaultKind.RateLimited, retryAfter);

    /// <summary>Answer 500 <c>INTERNAL_ERROR</c>.</summary>
    public FaultRule FailWithInternalError() => Arm(FaultKind.InternalError, TimeSpan.Zero);

    /// <summary>Drop the connection without an answer.</summary>
    public FaultRule DropTheConnection() => Arm(FaultKind.DroppedConnection, TimeSpan.Zero);

    /// <summary>Hold each request for <paramref name="delay"/> on the fake's clock, then serve it.</summary>
    public FaultRule AreDelayed(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return Arm(FaultKind.Latency, delay);
    }

    /// <summary>
    /// Answer with <paramref name="statusCode"/> and <paramref name="body"/> (sent as
    /// <c>application/json</c>, whatever it holds) instead of serving the request; the store is not touched.
    /// With <see cref="FakeTinyFishOptions.SelfCheck"/> on, a body that breaks the spec is caught as the
    /// fake's own broken answer: turn the self-check off to let it reach the client.
    /// </summary>
    public FaultRule AnswerWith(int statusCode, string body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 200);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        ArgumentNullException.ThrowIfNull(body);
        AnswerStatusCode = statusCode;
        AnswerBody = body;
        return Arm(FaultKind.Answer, TimeSpan.Zero);
    }

    /// <summary>For <see cref="FaultKind.Answer"/>: the status sent.</summary>
    public int AnswerStatusCode { get; private set; }

    /// <summary>For <see cref="FaultKind.Answer"/>: the body sent.</summary>
    public string? AnswerBody { get; private set; }

    private FaultRule Arm(FaultKind kind, TimeSpan duration)
    {
        Kind = kind;
        Duration = duration;
        _owner.Add(this);
        return this;
    }

    /// <summary>Called under the injector's lock: does this fault take the request (and use up one of its times)?</summary>
    internal bool TryTake(string method, string path, Random random)
    {
        if (_remaining == 0) return false;
        if (_method is not null && !string.Equals(_method, method, StringComparison.OrdinalIgnoreCase)) return false;
        if (_path is not null && !_path.IsMatch(path)) return false;
        if (_probability < 1 && random.NextDouble() >= _probability) return false;
        if (_remaining is { } remaining) _remaining = remaining - 1;
        _hits++;
        return true;
    }
}
