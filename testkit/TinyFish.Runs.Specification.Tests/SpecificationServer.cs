using System.Globalization;

namespace TinyFish.Runs.Specification;

/// <summary>
/// A server that <see cref="RunsApiSpecification"/> checks over the network: the real TinyFish API, a
/// staging deployment, or the standalone fake (<c>tinyfish-fake</c>), possibly behind a validating proxy.
/// Runs take real time there, and a failed goal or a failed run can be forced only on a standalone fake
/// whose own address is given in <see cref="FakeControlAddress"/>.
/// </summary>
/// <param name="BaseAddress">The API's base address, e.g. <c>https://agent.tinyfish.ai</c>.</param>
/// <param name="ApiKey">The key the checks send. It appears in no message.</param>
public sealed record SpecificationServer(Uri BaseAddress, string ApiKey)
{
    /// <summary>The variable naming how long one check may wait for runs, in seconds (default 300).</summary>
    public const string TimeoutVariable = "TINYFISH_CONTRACT_TIMEOUT_SECONDS";

    /// <summary>The variable that, set to 1, says a validating proxy sits in front of the server.</summary>
    public const string ValidatingProxyVariable = "TINYFISH_CONTRACT_VALIDATING_PROXY";

    /// <summary>The variable holding a standalone fake's own address, to force outcomes through its <c>/_fake</c> routes.</summary>
    public const string FakeControlVariable = "TINYFISH_CONTRACT_FAKE_URL";

    /// <summary>
    /// A standalone fake's own address (not a proxy's in front of it), where the checks add scenarios
    /// through <c>POST /_fake/scenarios</c>; null on any other server, whose checks that need one are ignored.
    /// </summary>
    public Uri? FakeControlAddress { get; init; }

    /// <summary>
    /// Whether a validating proxy (e.g. Stoplight Prism) answers requests that break the spec itself;
    /// the checks that send such requests on purpose are then ignored.
    /// </summary>
    public bool BehindValidatingProxy { get; init; }

    /// <summary>How long one check may wait for runs before it fails. Default 5 minutes.</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The server named by <c>TINYFISH_BASE_URL</c> and <c>TINYFISH_API_KEY</c> (plus the optional
    /// <see cref="FakeControlVariable"/>, <see cref="ValidatingProxyVariable"/> and <see cref="TimeoutVariable"/>);
    /// null when either of the two is unset, which <see cref="RunsApiSpecification"/> takes as "check the in-process fake".
    /// </summary>
    /// <exception cref="ArgumentException">A variable holds something that is not an absolute URL.</exception>
    public static SpecificationServer? FromEnvironment()
    {
        var url = Environment.GetEnvironmentVariable(TinyFishClient.BaseUrlVariable);
        var key = Environment.GetEnvironmentVariable(TinyFishClient.ApiKeyVariable);
        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(key)) return null;
        return new SpecificationServer(AbsoluteUrl(TinyFishClient.BaseUrlVariable, url), key)
        {
            FakeControlAddress = Environment.GetEnvironmentVariable(FakeControlVariable) is { Length: > 0 } fake ? AbsoluteUrl(FakeControlVariable, fake) : null,
            BehindValidatingProxy = Environment.GetEnvironmentVariable(ValidatingProxyVariable) is { Length: > 0 } proxy && proxy is not ("0" or "false" or "False"),
            Patience = double.TryParse(Environment.GetEnvironmentVariable(TimeoutVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.FromMinutes(5),
        };
    }

    /// <summary>The server without its key, for messages.</summary>
    public override string ToString() => BaseAddress.ToString();

    private static Uri AbsoluteUrl(string variable, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException($"The environment variable {variable} must hold an absolute http(s) URL, got '{value}'.", nameof(variable));
}
