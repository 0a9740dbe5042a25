using TinyFish.FakeServer;
using TinyFish.FakeServer.Hosting;

namespace FakeServer.Tests;

/// <summary>The links the fake hands out never come from the request's Host header.</summary>
public sealed class PublicUrlTests
{
    [TestCase("evil.example")]
    [TestCase("127.0.0.1:99999")]
    [TestCase("a b")]
    [TestCase("[::1")]
    public async Task A_hostile_host_header_changes_no_link_and_breaks_no_answer(string host)
    {
        await using var fake = FakeTinyFish.Create();
        var id = await fake.Http.QueueAsync();
        await fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/runs/{id}");
        request.Headers.TryAddWithoutValidation("Host", host);

        using var response = await fake.Http.SendAsync(request);

        var run = await response.ReadJsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), run.ToString());
        Assert.That(run.Str("streaming_url"), Does.StartWith($"http://localhost/live/{id}?token="));
        Assert.That(run.GetProperty("steps")[0].Str("screenshot"), Does.StartWith($"http://localhost/live/{id}/steps/1/screenshot.png?token="));
        Assert.That(fake.SelfCheck.Violations, Is.Empty);
    }

    [Test]
    public async Task A_configured_public_base_url_is_the_base_of_every_link()
    {
        await using var fake = FakeTinyFish.Create(new FakeTinyFishOptions { PublicBaseUrl = new Uri("https://fake.example:8443/tinyfish/") });
        var id = await fake.Http.QueueAsync();
        await fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        var run = await fake.Http.GetRunAsync(id);
        Assert.That(run.Str("streaming_url"), Does.StartWith($"https://fake.example:8443/tinyfish/live/{id}?token="));
        Assert.That(run.GetProperty("steps")[0].Str("screenshot"), Does.StartWith("https://fake.example:8443/tinyfish/live/"));
    }

    [TestCase("ftp://fake.example")]
    [TestCase("https://fake.example/?q=1")]
    [TestCase("https://user:pw@fake.example")]
    [TestCase("/relative")]
    public void A_public_base_url_that_is_no_http_base_is_refused(string url)
    {
        Assert.Throws<ArgumentException>(() => _ = new FakeTinyFishOptions { PublicBaseUrl = new Uri(url, UriKind.RelativeOrAbsolute) });
        Assert.That(StandaloneOptions.Parse(["--public-url", url], out var error), Is.Null);
        Assert.That(error, Does.Contain("--public-url"));
    }

    [TestCase("http://0.0.0.0:5080", "http://localhost:5080")]
    [TestCase("http://[::]:5080", "http://localhost:5080")]
    [TestCase("http://+:5080", "http://localhost:5080")]
    [TestCase("http://127.0.0.1:5080", "http://127.0.0.1:5080")]
    public void Without_a_configured_base_the_first_listen_address_is_used(string listening, string expected)
    {
        var url = new PublicUrl(null) { ListenAddresses = () => [listening, "http://10.0.0.1:1"] };
        Assert.That(url.Value, Is.EqualTo(expected));
    }
}
