using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs;

public partial class TinyFishClient
{
    /// <summary>The environment variable the API key is read from, as TinyFish's own SDKs do.</summary>
    public const string ApiKeyVariable = "TINYFISH_API_KEY";

    /// <summary>The environment variable that may override the base address.</summary>
    public const string BaseUrlVariable = "TINYFISH_BASE_URL";

    /// <summary>The production API.</summary>
    public static Uri DefaultBaseAddress { get; } = new("https://agent.tinyfish.ai");

    /// <summary>
    /// Options for the production API with the key from <c>TINYFISH_API_KEY</c> and, when set, the
    /// base address from <c>TINYFISH_BASE_URL</c>.
    /// </summary>
    public static ApiClientOptions OptionsFromEnvironment() =>
        ApiClientOptions.FromEnvironment(ApiKeyVariable, BaseUrlVariable, DefaultBaseAddress);

    /// <summary>
    /// A client configured from the environment (see <see cref="OptionsFromEnvironment"/>), with
    /// <paramref name="configure"/> applied last.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (e.g. <c>TINYFISH_BASE_URL</c> is not an absolute URL).</exception>
    /// <exception cref="InvalidOperationException">No API key: <c>TINYFISH_API_KEY</c> is not set and <paramref name="configure"/> set none.</exception>
    public static TinyFishClient FromEnvironment(Action<ApiClientOptions>? configure = null)
    {
        var options = OptionsFromEnvironment();
        configure?.Invoke(options);
        RequireApiKey(options);
        return new TinyFishClient(options);
    }

    // Without a key every call would come back 401 MISSING_API_KEY; saying so at construction is kinder.
    internal static void RequireApiKey(ApiClientOptions options)
    {
        if (string.IsNullOrEmpty(options.ApiKey))
        {
            throw new InvalidOperationException(
                $"No TinyFish API key: set the {ApiKeyVariable} environment variable, or set ApiClientOptions.ApiKey when configuring the client.");
        }
    }
}
