using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace TinyFish.Toolkit.Runtime;

/// <summary>
/// Registers a generated client on <c>IHttpClientFactory</c>: the factory supplies (and recycles) the
/// handler, the <see cref="ApiPipeline"/> supplies retries, timeouts and logging. The building block a
/// client's own <c>AddXxxClient</c> method calls.
/// </summary>
public static class ApiClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TClient"/> as a transient service built on the named HTTP client
    /// <paramref name="name"/>. Each resolution gets fresh <see cref="ApiClientOptions"/> (logger factory
    /// and <see cref="TimeProvider"/> taken from the container when registered), which
    /// <paramref name="configure"/> completes and the pipeline then validates and freezes.
    /// </summary>
    /// <remarks>
    /// Retries belong to the pipeline, which knows which requests are idempotent and reads the server's
    /// wait hints. Do not add a retrying handler (e.g. <c>AddStandardResilienceHandler</c>) to the returned
    /// builder; if you must, set <see cref="RetryOptions.MaxRetries"/> to 0 so requests are not retried twice over.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The name of the HTTP client, also usable with <c>IHttpClientFactory.CreateClient</c>.</param>
    /// <param name="credential">How the API key travels (generated clients expose theirs).</param>
    /// <param name="configure">Completes the options, e.g. sets the key and base address.</param>
    /// <param name="create">Builds the client on a pipeline, e.g. <c>(_, pipeline) =&gt; new MyClient(pipeline)</c>.</param>
    /// <returns>The HTTP client builder, to add handlers or replace the primary handler.</returns>
    public static IHttpClientBuilder AddApiClient<TClient>(
        this IServiceCollection services,
        string name,
        ApiCredentialScheme credential,
        Action<IServiceProvider, ApiClientOptions> configure,
        Func<IServiceProvider, ApiPipeline, TClient> create)
        where TClient : class =>
        services.AddApiClient(name, credential, ApiErrorConventions.Default, configure, create);

    /// <summary>
    /// Like <see cref="AddApiClient{TClient}(IServiceCollection, string, ApiCredentialScheme, Action{IServiceProvider, ApiClientOptions}, Func{IServiceProvider, ApiPipeline, TClient})"/>,
    /// for an API with its own error conventions (a generated client's <c>ErrorConventions</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The name of the HTTP client.</param>
    /// <param name="credential">How the API key travels.</param>
    /// <param name="errors">How the API reports errors.</param>
    /// <param name="configure">Completes the options.</param>
    /// <param name="create">Builds the client on a pipeline.</param>
    /// <returns>The HTTP client builder.</returns>
    public static IHttpClientBuilder AddApiClient<TClient>(
        this IServiceCollection services,
        string name,
        ApiCredentialScheme credential,
        ApiErrorConventions errors,
        Action<IServiceProvider, ApiClientOptions> configure,
        Func<IServiceProvider, ApiPipeline, TClient> create)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(create);

        var builder = services.AddHttpClient(name);
        services.TryAddTransient(provider =>
        {
            var options = new ApiClientOptions
            {
                LoggerFactory = provider.GetService<ILoggerFactory>(),
                TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System,
            };
            configure(provider, options);
            var httpClient = provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);
            return create(provider, new ApiPipeline(options, credential, httpClient, errors));
        });
        return builder;
    }
}
