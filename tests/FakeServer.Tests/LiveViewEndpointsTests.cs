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
            Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("frame-ancestors *;"));
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

    [Test]
    public async Task The_page_shows_the_goal_and_url_as_text_and_asks_for_no_favicon()
    {
        await using var fake = FakeTinyFish.Create();
        var id = await fake.Http.QueueAsync("""{"url":"https://example.com/?a=1&b=2","goal":"Find <b>the</b> price & stock"}""");
        await fake.AdvanceAsync(TimeSpan.FromSeconds(2));
        using var browser = fake.CreateHttpClient();
        var html = await browser.GetStringAsync((await fake.Http.GetRunAsync(id)).Str("streaming_url"));
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<dd id=\"goal\">Find &lt;b&gt;the&lt;/b&gt; price &amp; stock</dd>"));
            Assert.That(html, Does.Contain("<dd id=\"url\">https://example.com/?a=1&amp;b=2</dd>"));
            Assert.That(html, Does.Contain("<link rel=\"icon\" href=\"data:,\">"), "no /favicon.ico request, which would be a 401");
            Assert.That(html, Does.Contain("Finished: ").And.Contain("/screenshot.png"));
        });
    }

    [Test]
    public async Task The_live_view_expires_24_hours_after_the_run_finished()
    {
        await using var fake = FakeTinyFish.Create();
        var id = await fake.Http.QueueAsync();
        await fake.AdvanceAsync(TimeSpan.FromSeconds(11)); // finished at 11 s
        var run = await fake.Http.GetRunAsync(id);
        var page = run.Str("streaming_url");
        var screenshot = run.GetProperty("steps")[0].Str("screenshot");
        using var browser = fake.CreateHttpClient();

        await fake.AdvanceAsync(TimeSpan.FromHours(24));
        using (var lastSecond = await browser.GetAsync(page)) Assert.That((int)lastSecond.StatusCode, Is.EqualTo(200), "exactly 24 h after: still valid");
        await fake.AdvanceAsync(TimeSpan.FromSeconds(1));
        foreach (var url in new[] { page, page.Replace("?token=", "/events?token=", StringComparison.Ordinal), screenshot })
        {
            using var expired = await browser.GetAsync(url);
            await expired.AssertErrorAsync(410, "LIVE_VIEW_EXPIRED");
        }
        Assert.That((await fake.Http.GetRunAsync(id)).Str("streaming_url"), Is.EqualTo(page), "the run still names its link");
    }

    [Test]
    public async Task A_token_cannot_be_worked_out_from_the_seed()
    {
        await using var first = FakeTinyFish.Create();
        await using var second = FakeTinyFish.Create();
        var id = await first.Http.QueueAsync();
        Assert.That(await second.Http.QueueAsync(), Is.EqualTo(id), "same seed, same run id");
        await first.AdvanceAsync(TimeSpan.FromSeconds(2));
        await second.AdvanceAsync(TimeSpan.FromSeconds(2));
        var url = (await first.Http.GetRunAsync(id)).Str("streaming_url");
        Assert.That((await second.Http.GetRunAsync(id)).Str("streaming_url"), Is.Not.EqualTo(url));
        using var browser = second.CreateHttpClient();
        using var foreign = await browser.GetAsync(url);
        await foreign.AssertErrorAsync(404, "NOT_FOUND");
    }

    [Test]
    public async Task Each_step_has_its_own_screenshot_of_a_page()
    {
        await using var fake = FakeTinyFish.Create();
        var id = await fake.Http.QueueAsync();
        await fake.AdvanceAsync(TimeSpan.FromSeconds(11));
        var steps = (await fake.Http.GetRunAsync(id)).GetProperty("steps").EnumerateArray().Select(step => step.Str("screenshot")).ToList();
        using var browser = fake.CreateHttpClient();
        var images = new List<byte[]>();
        foreach (var url in steps) images.Add(await browser.GetByteArrayAsync(url));
        Assert.That(images, Has.Count.EqualTo(3));
        Assert.That(images.Select(image => (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(20)))),
            Has.All.EqualTo((320, 200)), "IHDR width and height");
        Assert.That(images.Select(Convert.ToBase64String).Distinct().Count(), Is.EqualTo(3), "each step shows something else");
        var inline = (await fake.Http.GetRunAsync(id + "?screenshots=base64")).GetProperty("steps")[1].Str("screenshot");
        Assert.That(inline, Is.EqualTo(Convert.ToBase64String(images[1])));
    }
}
