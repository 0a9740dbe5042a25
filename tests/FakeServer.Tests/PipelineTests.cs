using TinyFish.FakeServer;

namespace FakeServer.Tests;

public sealed class PipelineTests
{
    [Test]
    public async Task An_unknown_path_gets_the_404_envelope()
    {
        await using var fake = FakeTinyFish.Create();
        var http = fake.CreateHttpClient(withApiKey: true);
        using var response = await http.GetAsync("/v2/nothing/here");
        await response.AssertErrorAsync(404, "NOT_FOUND");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
    }

    [TestCase("DELETE", "/v1/runs", "GET")]
    [TestCase("GET", "/v1/automation/run-async", "POST")]
    [TestCase("PUT", "/v1/runs/run_1/cancel", "POST")]
    public async Task A_wrong_method_gets_405_with_the_envelope_and_Allow(string method, string path, string allowed)
    {
        await using var fake = FakeTinyFish.Create();
        var http = fake.CreateHttpClient(withApiKey: true);
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await response.AssertErrorAsync(405, "METHOD_NOT_ALLOWED");
        Assert.That(response.Content.Headers.Allow, Does.Contain(allowed));
    }

    [Test]
    public async Task Authentication_comes_before_routing()
    {
        await using var fake = FakeTinyFish.Create();
        var http = fake.CreateHttpClient();
        using var response = await http.GetAsync("/v2/nothing/here");
        await response.AssertErrorAsync(401, "MISSING_API_KEY");
    }
}
