using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Runtime.Tests.Support;
using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;

namespace Runtime.Tests;

public class ApiClientServiceCollectionExtensionsTests
{
    /// <summary>Stands in for a generated client: it only wraps its pipeline.</summary>
    private sealed class DemoClient(ApiPipeline pipeline) : IDisposable
    {
        public ApiPipeline Pipeline { get; } = pipeline;

        public Task<Item> GetAsync(CancellationToken cancellationToken) =>
            Pipeline.SendAsync(Pipelines.GetRun(), Item.Read, cancellationToken);

        public void Dispose() => Pipeline.Dispose();
    }

    private static ServiceProvider Build(ScriptedHandler handler, TimeProvider? time = null, ILoggerFactory? logs = null)
    {
        var services = new ServiceCollection();
        if (time is not null) services.AddSingleton(time);
        if (logs is not null) services.AddSingleton(logs);
        services.AddApiClient("demo", ApiCredentialScheme.Header("X-API-Key"),
                (_, o) =>
                {
                    o.BaseAddress = new Uri("https://api.example.test");
                    o.ApiKey = Pipelines.Key;
                },
                (_, pipeline) => new DemoClient(pipeline))
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        return services.BuildServiceProvider();
    }

    [Test]
    public async Task The_client_resolves_on_the_factorys_handler_with_the_configured_key()
    {
        var handler = new ScriptedHandler().ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var provider = Build(handler);

        var client = provider.GetRequiredService<DemoClient>();
        var item = await client.GetAsync(CancellationToken.None).Within();

        Assert.That(item.Id, Is.EqualTo("run_1"));
        Assert.That(handler.Requests.Single().Headers["X-API-Key"], Is.EqualTo(Pipelines.Key));
        Assert.That(client.Pipeline.Options.IsFrozen, Is.True);
    }

    [Test]
    public async Task The_pipeline_takes_the_containers_clock_and_logger_and_retries_once_per_attempt()
    {
        var time = new VirtualClock();
        var logs = new CapturingLoggerFactory();
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.TooManyRequests, "{}", r => Pipelines.RetryAfter(r, 3))
            .ThenJson(HttpStatusCode.OK, """{"id":"run_1"}""");
        using var provider = Build(handler, time, logs);
        var client = provider.GetRequiredService<DemoClient>();

        var call = client.GetAsync(CancellationToken.None);
        await time.AdvanceAsync(TimeSpan.FromSeconds(3));
        await call.Within();

        Assert.That(client.Pipeline.Options.TimeProvider, Is.SameAs(time));
        Assert.That(handler.Count, Is.EqualTo(2), "one retry by the pipeline, none by the factory's handlers");
        Assert.That(logs.Lines, Has.Some.Contain("retrying in 3000 ms"));
    }
}
