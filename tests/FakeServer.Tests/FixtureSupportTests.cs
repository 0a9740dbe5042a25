using System.Net;
using TinyFish.FakeServer;

namespace FakeServer.Tests;

/// <summary>The documented NUnit patterns: a fresh fake per test, or one per fixture.</summary>
public sealed class FixtureSupportTests
{
    private FakeTinyFish _fake = null!;

    [SetUp]
    public void SetUp() => _fake = FakeTinyFish.Create();

    [TearDown]
    public async Task TearDown() => await _fake.DisposeAsync();

    [Test]
    public async Task Http_is_ready_with_the_base_address_and_the_key()
    {
        Assert.That(_fake.Http.BaseAddress, Is.EqualTo(new Uri("http://localhost/")));
        var first = _fake.Http;
        Assert.That(_fake.Http, Is.SameAs(first), "one client per fake");
        using var response = await _fake.Http.GetAsync("/v1/runs");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Each_test_gets_a_fresh_fake_and_clock()
    {
        Assert.That(_fake.RunCount, Is.Zero);
        Assert.That(_fake.Clock.GetUtcNow(), Is.EqualTo(FakeTinyFishOptions.DefaultStartTime));
        await _fake.Http.QueueAsync();
        await _fake.AdvanceAsync(TimeSpan.FromMinutes(1));
    }

    [Test]
    public async Task The_handler_serves_any_client_built_on_it()
    {
        using var client = new HttpClient(_fake.CreateHandler()) { BaseAddress = _fake.BaseAddress };
        client.DefaultRequestHeaders.Add("X-API-Key", _fake.ApiKey);
        using var response = await client.GetAsync("/v1/runs");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_disposed_fake_refuses_new_handlers()
    {
        await using var fake = FakeTinyFish.Create();
        await fake.DisposeAsync();
        Assert.That(() => fake.CreateHandler(), Throws.InstanceOf<ObjectDisposedException>());
    }
}
