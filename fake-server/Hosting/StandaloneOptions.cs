using System.Globalization;

namespace TinyFish.FakeServer.Hosting;

/// <summary>The command line of the standalone server, parsed and checked.</summary>
internal sealed record StandaloneOptions
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public string Urls { get; init; } = DefaultUrls;

    public string? ApiKey { get; init; }

    public Uri? PublicUrl { get; init; }

    public int Seed { get; init; } = 1;

    public int History { get; init; }

    public double TimeScale { get; init; } = 1;

    public double? QueuedSeconds { get; init; }

    public double? RunningSeconds { get; init; }

    public double? HeartbeatSeconds { get; init; }

    public bool SelfCheck { get; init; } = true;

    public int BodyTimeoutSeconds { get; init; } = 5;

    public bool Help { get; init; }

    public static string Usage { get; } = $$"""
        TinyFish fake runs API — a deterministic fake of https://agent.tinyfish.ai for clients in any language.

        Usage: tinyfish-fake [options]      (from a clone: dotnet run --project fake-server -- [options])

        Options:
          --urls URLS              Where to listen (default {{DefaultUrls}}; several separated by ';').
          --api-key KEY            The only X-API-Key accepted (default "{{FakeTinyFishOptions.DefaultApiKey}}").
          --public-url URL         Base of the links the fake hands out (streaming_url, screenshots);
                                   default the first --urls address (never the request's Host header).
          --seed N                 Seed for run ids, results and progress texts (default 1).
          --history N              Made-up finished runs to start with (default 0).
          --time-scale X           Run the clock X times faster than real time (default 1 = real time).
          --queued-seconds S       How long a new run stays PENDING (default 1, on the scaled clock).
          --running-seconds S      How long a new run stays RUNNING (default 10, on the scaled clock).
          --heartbeat-seconds S    HEARTBEAT interval on event streams (default 5, on the scaled clock).
          --body-timeout-seconds S Headers not complete after S real seconds, or a body arriving at under
                                   240 bytes/s after S seconds, are answered 408 REQUEST_TIMEOUT
                                   (default 5, at least 2).
          --self-check on|off      Check every answer against the spec; a broken one becomes a 500
                                   SELF_CHECK_FAILED and is printed to stderr (default on).
          -h, --help               Show this text.

        The clock starts at the real current time and runs --time-scale times faster. Runs end
        COMPLETED with a made-up result. Each run's streaming_url opens a live view in a browser.

        Telling the fake what to do (same X-API-Key; not part of the API; 204, or 400 changing nothing):
          POST /_fake/faults       {"kind":"rate_limited","retry_after_seconds":7,"count":2,"method":"GET","path":"/v1/runs/*"}
                                   kind: rate_limited | internal_error | dropped_connection |
                                   latency (delay_ms) | answer (status, body); count default 1;
                                   method and path optional ('*' one segment, trailing '**' any rest).
          POST /_fake/scenarios    {"goal_contains":"products","fails_goal":"No products found"}
                                   match: goal_contains | url_contains | nth (none: any run);
                                   ending: result | fails_goal | fails_with {category, message,
                                   retry_after_seconds, code} | never_finishes | refused_with;
                                   also queued_seconds, after_seconds, progress (count or purposes), times.
          GET /_fake/journal       {"entries":[...]}: the API requests received, oldest first (key
                                   redacted); filters ?method=GET&path_prefix=/v1/runs.
          DELETE /_fake/faults, DELETE /_fake/scenarios, DELETE /_fake/journal   Remove them all.
        """;

    /// <summary>The options, or null with a message in <paramref name="error"/>.</summary>
    public static StandaloneOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new StandaloneOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help" or "-?")
            {
                options = options with { Help = true };
                continue;
            }
            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value (or is unknown); see --help.";
                return null;
            }
            var value = args[++i];
            switch (name)
            {
                case "--urls": options = options with { Urls = value }; break;
                case "--api-key" when value.Length > 0: options = options with { ApiKey = value }; break;
                case "--public-url" when Uri.TryCreate(value, UriKind.Absolute, out var url) && Hosting.PublicUrl.IsValid(url): options = options with { PublicUrl = url }; break;
                case "--seed" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed): options = options with { Seed = seed }; break;
                case "--history" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var history): options = options with { History = history }; break;
                case "--time-scale" when Positive(value) is { } scale: options = options with { TimeScale = scale }; break;
                case "--queued-seconds" when NonNegative(value) is { } queued: options = options with { QueuedSeconds = queued }; break;
                case "--running-seconds" when NonNegative(value) is { } running: options = options with { RunningSeconds = running }; break;
                case "--heartbeat-seconds" when Positive(value) is { } heartbeat: options = options with { HeartbeatSeconds = heartbeat }; break;
                case "--body-timeout-seconds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var timeout) && timeout is >= 2 and <= 3600: options = options with { BodyTimeoutSeconds = timeout }; break;
                case "--self-check" when value is "on" or "off": options = options with { SelfCheck = value == "on" }; break;
                default:
                    error = $"Unknown option or bad value: {name} {value}; see --help.";
                    return null;
            }
        }
        return options;
    }

    public FakeTinyFishOptions ToFakeOptions(DateTimeOffset start)
    {
        var defaults = new FakeTinyFishOptions();
        return new FakeTinyFishOptions
        {
            ApiKey = ApiKey ?? FakeTinyFishOptions.DefaultApiKey,
            PublicBaseUrl = PublicUrl,
            Seed = Seed,
            StartTime = start,
            DefaultQueuedFor = QueuedSeconds is { } queued ? TimeSpan.FromSeconds(queued) : defaults.DefaultQueuedFor,
            DefaultRunningFor = RunningSeconds is { } running ? TimeSpan.FromSeconds(running) : defaults.DefaultRunningFor,
            HeartbeatInterval = HeartbeatSeconds is { } heartbeat ? TimeSpan.FromSeconds(heartbeat) : defaults.HeartbeatInterval,
            SelfCheck = SelfCheck,
        };
    }

    private static double? Positive(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 && double.IsFinite(number) ? number : null;

    private static double? NonNegative(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0 && double.IsFinite(number) ? number : null;
}
