using Microsoft.Extensions.DependencyInjection;
using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs;

/// <summary>Registers <see cref="TinyFishClient"/> with dependency injection.</summary>
public static class TinyFishServiceCollectionExtensions
{
    /// <summary>The name of the HTTP client behind <see cref="TinyFishClient"/>.</summary>
    public const string HttpClientName = "TinyFish";

    /// <summary>
    /// Registers <see cref="TinyFishClient"/> (transient) on <c>IHttpClientFactory</c>. Options start
    /// from the environment (<c>TINYFISH_API_KEY</c>, <c>TINYFISH_BASE_URL</c>, production by default),
    /// take the container's <c>ILoggerFactory</c> and <see cref="TimeProvider"/>, then
    /// <paramref name="configure"/>. Retries (idempotency-aware) are the client's own: do not add a
    /// retrying handler to the returned builder.
    /// </summary>
    /// <example>
    /// <code>
    /// services.AddTinyFishClient(o => o.Timeout = TimeSpan.FromMinutes(2));
    /// // later: public MyService(TinyFishClient tinyFish) { ... }
    /// </code>
    /// </example>
    /// <returns>The HTTP client builder, e.g. to set the primary handler in tests.</returns>
    /// <remarks>Resolving the client throws <see cref="InvalidOperationException"/> when no API key is set.</remarks>
    public static IHttpClientBuilder AddTinyFishClient(this IServiceCollection services, Action<ApiClientOptions>? configure = null) =>
        services.AddApiClient(
            HttpClientName,
            TinyFishClient.CredentialScheme,
            TinyFishClient.ErrorConventions,
            (_, options) =>
            {
                options.BaseAddress = TinyFishClient.DefaultBaseAddress;
                options.ApplyEnvironment(TinyFishClient.ApiKeyVariable, TinyFishClient.BaseUrlVariable);
                configure?.Invoke(options);
                TinyFishClient.RequireApiKey(options);
            },
            static (_, pipeline) => new TinyFishClient(pipeline));
}
