namespace TinyFish.FakeServer;

/// <summary>
/// How a <see cref="FakeTinyFish"/> behaves. Every default is chosen so two fakes built the same way
/// answer the same requests with the same bytes (cursors and live-view tokens aside, see
/// <see cref="CursorSecret"/> and <see cref="LiveViewSecret"/>).
/// </summary>
public sealed class FakeTinyFishOptions
{
    /// <summary>The key accepted when none is configured: <c>test-key</c>.</summary>
    public const string DefaultApiKey = "test-key";

    /// <summary>The instant the fake's clock starts at: 2025-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStartTime = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The only <c>X-API-Key</c> value accepted (default <see cref="DefaultApiKey"/>).</summary>
    public string ApiKey { get; init; } = DefaultApiKey;

    /// <summary>Seed of everything made up: run ids, default results, progress purposes (default 1).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where the clock starts (default <see cref="DefaultStartTime"/>).</summary>
    public DateTimeOffset StartTime { get; init; } = DefaultStartTime;

    /// <summary>How long a run stays PENDING unless a scenario says otherwise (default 1 s).</summary>
    public TimeSpan DefaultQueuedFor { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a run stays RUNNING before it is COMPLETED, unless a scenario says otherwise (default 10 s).</summary>
    public TimeSpan DefaultRunningFor { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many PROGRESS events (= steps) a run reports unless a scenario says otherwise (default 3).</summary>
    public int DefaultProgressEvents { get; init; } = 3;

    /// <summary>The interval of PROGRESS events of a run that never finishes (default 1 s).</summary>
    public TimeSpan ProgressIntervalWhenEndless { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The interval of HEARTBEAT events on an event stream, counted from when the stream opened (default 5 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether runs also carry the deprecated <c>streamingUrl</c> key beside <c>streaming_url</c>
    /// (default true, as the spec describes; false sends <c>streaming_url</c> only).
    /// </summary>
    public bool SendStreamingUrlAlias { get; init; } = true;

    /// <summary>
    /// The base of the absolute URLs the fake hands out — <c>streaming_url</c> and step screenshots
    /// (default null: <c>http://localhost</c> in process, the first listen address standalone).
    /// Never taken from the request's <c>Host</c> header. An absolute http(s) URL without query or
    /// fragment; set it when clients reach the fake through another name (a proxy, a container).
    /// </summary>
    public Uri? PublicBaseUrl
    {
        get => _publicBaseUrl;
        init
        {
            if (value is not null && !Hosting.PublicUrl.IsValid(value))
            {
                throw new ArgumentException($"PublicBaseUrl must be an absolute http or https URL without user, query or fragment, not '{value}'.", nameof(value));
            }
            _publicBaseUrl = value;
        }
    }

    private readonly Uri? _publicBaseUrl;

    /// <summary>
    /// Whether a FAILED blocking <c>/v1/automation/run</c> answers HTTP 500 with the run-shaped body
    /// (the spec allows it) instead of 200 (default false: 200).
    /// </summary>
    public bool SyncFailureAsHttp500 { get; init; }

    /// <summary>
    /// Request bodies larger than this are a 400 <c>INVALID_INPUT</c> on <c>body</c> (default 1 MiB);
    /// one whose <c>Content-Length</c> says so is refused without being read.
    /// </summary>
    public int MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>How many requests the journal keeps; older entries are dropped first (default 10,000).</summary>
    public int MaxJournalEntries
    {
        get => _maxJournalEntries;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxJournalEntries = value;
        }
    }

    private readonly int _maxJournalEntries = 10_000;

    /// <summary>
    /// About how many bytes of memory the journal's entries may hold in all; older entries are
    /// dropped first (default 32 MiB). With <see cref="MaxJournalBodyBytes"/> it bounds the journal
    /// whatever the fake is sent.
    /// </summary>
    public long MaxJournalBytes
    {
        get => _maxJournalBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1024);
            _maxJournalBytes = value;
        }
    }

    private readonly long _maxJournalBytes = 32L * 1024 * 1024;

    /// <summary>
    /// How much of each request body the journal keeps, in bytes (default 64 KiB); a longer body is
    /// cut there, ends with <see cref="Journal.JournalEntry.TruncationMarker"/> and is marked
    /// <see cref="Journal.JournalEntry.BodyTruncated"/>.
    /// </summary>
    public int MaxJournalBodyBytes
    {
        get => _maxJournalBodyBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxJournalBodyBytes = value;
        }
    }

    private readonly int _maxJournalBodyBytes = 64 * 1024;

    /// <summary>
    /// Whether the fake checks every answer it sends — each JSON body by operation and status, each
    /// event of a stream, documented headers — against the schemas of
    /// <c>openapi/tinyfish-runs.openapi.yaml</c> (default true). A JSON answer that breaks the spec
    /// becomes a 500 <c>SELF_CHECK_FAILED</c> envelope naming the JSON path and the rule; a bad event
    /// drops the stream; every violation lands in <see cref="FakeTinyFish.SelfCheck"/> and makes the
    /// next <see cref="FakeTinyFish.AdvanceAsync"/>, <see cref="FakeTinyFish.WhenIdleAsync"/> or
    /// <see cref="FakeTinyFish.DisposeAsync"/> throw <see cref="SelfChecking.SelfCheckFailedException"/>.
    /// It costs about 50–100 µs per run in an answer (a page of 100 runs: 5–10 ms); false skips it
    /// entirely (no answer is held or wrapped; the spec itself is still read, once per process, for
    /// the request rules).
    /// </summary>
    public bool SelfCheck { get; init; } = true;

    /// <summary>
    /// When true, the clock moves by itself: whenever the fake and the code under test are idle it
    /// jumps to the next due timer, so a test just awaits the call under test (default false: time
    /// moves only with <see cref="FakeTinyFish.AdvanceAsync"/>). A request the fake holds when nothing
    /// can move any more fails with <see cref="VirtualTimeStallException"/>. See <see cref="VirtualClock.AutoAdvance"/>.
    /// </summary>
    public bool AutoAdvance { get; init; }

    /// <summary>Whether unknown JSON properties and query parameters are a 400 (default true: strict).</summary>
    public bool RejectUnknownFields { get; init; } = true;

    /// <summary>
    /// The spec whose request rules the fake enforces (default null: the embedded
    /// <c>openapi/tinyfish-runs.openapi.yaml</c>); for this project's tests of a changed spec.
    /// </summary>
    internal SelfChecking.OpenApiSpec? Spec { get; init; }

    /// <summary>
    /// The key of the live-view tokens in <c>streaming_url</c> (default null: a random key per fake,
    /// so a token cannot be worked out from the seed or another fake); set it for byte-identical
    /// links across runs.
    /// </summary>
    public byte[]? LiveViewSecret { get; init; }

    /// <summary>
    /// The key that signs list cursors. Default null: a random key per fake, so a cursor from another
    /// fake is rejected like a forged one; set it to get byte-identical cursors across runs.
    /// </summary>
    public byte[]? CursorSecret { get; init; }
}
