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

    [Test]
    public void Resolving_without_an_API_key_says_which_variable_to_set()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TinyFishClient.ApiKeyVariable)))
        {
            Assert.Ignore($"{TinyFishClient.ApiKeyVariable} is set in this environment.");
        }
        var services = new ServiceCollection();
        services.AddTinyFishClient();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<TinyFishClient>());
        Assert.That(error!.Message, Does.Contain("TINYFISH_API_KEY"));
    }

    [Test]
    public void FromEnvironment_without_an_API_key_says_which_variable_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TinyFishClient.FromEnvironment(o => o.ApiKey = null));
        Assert.That(error!.Message, Does.Contain("TINYFISH_API_KEY"));
    }

    [Test]
    public void FromEnvironment_takes_a_key_given_in_code()
    {
        using var client = TinyFishClient.FromEnvironment(o => o.ApiKey = "sk-in-code");
        Assert.That(client.Pipeline.Options.ApiKey, Is.EqualTo("sk-in-code"));
    }
}
