using System.Net;
using TinyFish.FakeServer.Hosting;

namespace FakeServer.Tests;

/// <summary>The fake on Kestrel with a real (scaled) clock. The only tests that open a port (loopback, ephemeral).</summary>
[Category("Standalone")]
public sealed class StandaloneHostTests
{
    [Test, CancelAfter(30_000)]
    public async Task It_answers_over_a_real_socket_as_the_spec_says(CancellationToken cancellationToken)
    {
        // Zero queue and run time: every run is finished the instant it is created, so nothing waits on the real clock.
        var options = StandaloneOptions.Parse(["--urls", "http://127.0.0.1:0", "--history", "25", "--seed", "4", "--queued-seconds", "0", "--running-seconds", "0"], out var error)!;
        Assert.That(error, Is.Null);
        await using var host = await StandaloneHost.StartAsync(options, cancellationToken);
        var address = host.Addresses.Single();
        Assert.That(host.Banner(options), Does.Contain("accepting X-API-Key: test-key").And.Contain(address));

        using var http = new HttpClient { BaseAddress = new Uri(address) };
        using (var anonymous = await http.GetAsync("/v1/runs", cancellationToken)) await anonymous.AssertErrorAsync(401, "MISSING_API_KEY");
        http.DefaultRequestHeaders.Add("X-API-Key", "test-key");

        var id = await http.QueueAsync();
        var run = await http.GetRunAsync(id);
        Assert.That(run.Str("status"), Is.EqualTo("COMPLETED"));
        Assert.That(run.Str("streaming_url"), Does.StartWith(address + "/live/" + id));

        using (var list = await http.GetAsync("/v1/runs?limit=10", cancellationToken))
        {
            var page = await list.ReadJsonAsync();
            Assert.That(page.GetProperty("pagination").GetProperty("total").GetInt32(), Is.EqualTo(26));
        }

        using (var stream = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/automation/run-sse") { Content = TestHelpers.Json(TestHelpers.MinimalRun) }, HttpCompletionOption.ResponseHeadersRead, cancellationToken))
        {
            using var reader = new SseReader(await stream.Content.ReadAsStreamAsync(cancellationToken));
            var events = await reader.ReadToEndAsync(cancellationToken);
            Assert.That(events.Select(e => e.Str("type")), Is.EqualTo(new[] { "STARTED", "STREAMING_URL", "PROGRESS", "PROGRESS", "PROGRESS", "COMPLETE" }), "zero-length run: every event at one instant, still in order");
        }

        using (var page = await http.GetAsync(run.Str("streaming_url"), cancellationToken))
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await page.Content.ReadAsStringAsync(cancellationToken), Does.Contain("EventSource"));
        }
        using (var missing = await http.GetAsync("/nowhere", cancellationToken)) await missing.AssertErrorAsync(404, "NOT_FOUND");

        using (var armed = await http.PostJsonAsync("/_fake/faults", """{"kind":"rate_limited","retry_after_seconds":3,"method":"GET","path":"/v1/runs"}"""))
            Assert.That(armed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "faults are armed over HTTP");
        using var limited = await http.GetAsync("/v1/runs", cancellationToken);
        await limited.AssertErrorAsync(429, "RATE_LIMIT_EXCEEDED");
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [Test, CancelAfter(60_000)]
    public async Task A_large_history_keeps_arriving_after_the_port_opens(CancellationToken cancellationToken)
    {
        var count = StandaloneHost.HistoryBeforeListening + 3_000;
        var options = StandaloneOptions.Parse(["--urls", "http://127.0.0.1:0", "--history", count.ToString(System.Globalization.CultureInfo.InvariantCulture)], out _)!;
        await using var host = await StandaloneHost.StartAsync(options, cancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri(host.Addresses.Single()) };
        http.DefaultRequestHeaders.Add("X-API-Key", "test-key");
        using (var early = await http.GetAsync("/v1/runs?limit=1", cancellationToken)) Assert.That((int)early.StatusCode, Is.EqualTo(200), "it answers while the rest arrives");

        await host.HistorySeeded.WaitAsync(cancellationToken);

        using var page = await http.GetAsync("/v1/runs?limit=1", cancellationToken);
        Assert.That((await page.ReadJsonAsync()).GetProperty("pagination").GetProperty("total").GetInt32(), Is.EqualTo(count));
        Assert.That(host.Banner(options), Does.Contain($"{count} runs of history"));
    }

    [Test]
    public async Task Help_documents_every_flag_and_its_default()
    {
        using var output = new StringWriter();
        var exit = await StandaloneHost.RunAsync(["--help"], output, TextWriter.Null, CancellationToken.None);
        Assert.That(exit, Is.Zero);
        Assert.That(output.ToString(), Does.Contain("--urls").And.Contain("default http://127.0.0.1:5080")
            .And.Contain("--api-key").And.Contain("\"test-key\"")
            .And.Contain("--seed").And.Contain("--history").And.Contain("--public-url").And.Contain("--body-timeout-seconds").And.Contain("--time-scale").And.Contain("default 1 = real time")
            .And.Contain("POST /_fake/faults").And.Contain("POST /_fake/scenarios").And.Contain("GET /_fake/journal").And.Contain("DELETE /_fake/faults, DELETE /_fake/scenarios, DELETE /_fake/journal"));
    }

    [TestCase("--time-scale", "0")]
    [TestCase("--time-scale", "fast")]
    [TestCase("--history", "-3")]
    [TestCase("--bogus", "1")]
    [TestCase("--self-check", "maybe")]
    public async Task A_bad_flag_exits_2_with_a_message(string flag, string value)
    {
        using var errors = new StringWriter();
        var exit = await StandaloneHost.RunAsync([flag, value], TextWriter.Null, errors, CancellationToken.None);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(errors.ToString(), Does.Contain(flag));
    }

    [Test]
    public void The_self_check_is_on_unless_turned_off()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StandaloneOptions.Parse([], out _)!.ToFakeOptions(DateTimeOffset.UnixEpoch).SelfCheck, Is.True);
            Assert.That(StandaloneOptions.Parse(["--self-check", "off"], out _)!.ToFakeOptions(DateTimeOffset.UnixEpoch).SelfCheck, Is.False);
            Assert.That(StandaloneOptions.Usage, Does.Contain("--self-check on|off"));
        });
    }

    [Test]
    public void A_given_api_key_is_the_only_one_accepted()
    {
        var options = StandaloneOptions.Parse(["--api-key", "sk-live"], out _)!;
        Assert.That(options.ToFakeOptions(DateTimeOffset.UnixEpoch).ApiKey, Is.EqualTo("sk-live"));
    }
}
