using System.Net;
using TinyFish.FakeServer;

namespace FakeServer.Tests;

public sealed class LiveViewEndpointsTests
{
    [Test]
    public async Task The_streaming_url_is_an_embeddable_page_following_the_run_without_the_api_key()
    {
        await using var fake = FakeTinyFish.Create();
        var id = await fake.Http.QueueAsync();
        await fake.AdvanceAsync(TimeSpan.FromSeconds(2));
        var url = (await fake.Http.GetRunAsync(id)).Str("streaming_url");

        using var browser = fake.CreateHttpClient(); // no X-API-Key, like an iframe
        using var page = await browser.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(page.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(page.Headers.Contains("X-Frame-Options"), Is.False);
            Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo("frame-ancestors *"));
            Assert.That(html, Does.Contain($"/live/{id}/events?token=").And.Contain("new EventSource"));
        });
    }

    [Test, CancelAfter(20_000)]
    public async Task The_page_event_stream_replays_the_past_then_follows_live(CancellationToken cancellationToken)
    {
        await using var fake = FakeTinyFish.Create();
        var id = await fake.Http.QueueAsync();
        await fake.AdvanceAsync(TimeSpan.FromSeconds(4), cancellationToken);
        var url = (await fake.Http.GetRunAsync(id)).Str("streaming_url");
        var events = url.Replace("?token=", "/events?token=", StringComparison.Ordinal);

        using var browser = fake.CreateHttpClient();
        using var response = await browser.GetAsync(events, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var replayed = new[] { await reader.NextAsync(cancellationToken), await reader.NextAsync(cancellationToken), await reader.NextAsync(cancellationToken) };
        Assert.That(replayed.Select(e => e!.Value.Str("type")), Is.EqualTo(new[] { "STARTED", "STREAMING_URL", "PROGRESS" }));
        await fake.AdvanceAsync(TimeSpan.FromSeconds(7), cancellationToken);
        var rest = await reader.ReadToEndAsync(cancellationToken);
        Assert.That(rest.Select(e => e.Str("type")), Is.EqualTo(new[] { "PROGRESS", "PROGRESS", "HEARTBEAT", "COMPLETE" }), "progress at 6 s and 8.5 s, a heartbeat 5 s after the stream opened at 4 s");
    }

    [TestCase("")]
    [TestCase("?token=wrong")]
    public async Task Without_the_right_token_the_live_view_is_404(string query)
    {
        await using var fake = FakeTinyFish.Create();
        var id = await fake.Http.QueueAsync();
        using var browser = fake.CreateHttpClient();
        using var page = await browser.GetAsync($"/live/{id}{query}");
        await page.AssertErrorAsync(404, "NOT_FOUND");
    }

    [Test]
    public async Task Step_screenshots_are_served_as_png()
    {
        await using var fake = FakeTinyFish.Create();
        var id = await fake.Http.QueueAsync();
        await fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        var screenshot = (await fake.Http.GetRunAsync(id)).GetProperty("steps")[0].Str("screenshot");
        using var browser = fake.CreateHttpClient();
        using var image = await browser.GetAsync(screenshot);
        var bytes = await image.Content.ReadAsByteArrayAsync();
        Assert.That(image.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(bytes.Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
    }
}
