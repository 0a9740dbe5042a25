using Microsoft.Extensions.DependencyInjection;
using TinyFish.FakeServer;
using TinyFish.Runs;

namespace Integration.Tests;

public class TinyFishServiceCollectionExtensionsTests
{
    [Test]
    public async Task AddTinyFishClient_resolves_a_working_client_on_the_factorys_handler()
    {
        await using var fake = new FakeTinyFish();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fake.Clock);
        services.AddTinyFishClient(o =>
            {
                o.BaseAddress = fake.BaseAddress;
                o.ApiKey = fake.ApiKey;
            })
            .ConfigurePrimaryHttpMessageHandler(fake.CreateHandler);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<TinyFishClient>();
        var queued = await client.Automation.QueueRunAsync(new RunRequest { Url = new Uri("https://example.com"), Goal = "Read the title" });
        await fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        var run = await client.Runs.GetRunAsync(queued.RunId!);

        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(client.Pipeline.Options.TimeProvider, Is.SameAs(fake.Clock), "the container's clock is used");
        });
    }

    [Test]
    public void AddTinyFishClient_defaults_to_the_production_address()
    {
        var services = new ServiceCollection();
        services.AddTinyFishClient(o => o.ApiKey = "k");
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<TinyFishClient>();

        var expected = Environment.GetEnvironmentVariable(TinyFishClient.BaseUrlVariable) is { Length: > 0 } url ? new Uri(url.TrimEnd('/') + "/") : new Uri("https://agent.tinyfish.ai/");
        Assert.That(client.Pipeline.Options.BaseAddress, Is.EqualTo(expected));
    }
}
