using System.Net.Http.Headers;
using System.Text.Json;
using TinyFish.FakeServer;

using FakeServer.Tests.Support;

namespace FakeServer.Tests;

public sealed class RunEventStreamTests : FakeHttpTest
{
    private async Task<(HttpResponseMessage Response, SseReader Reader)> OpenAsync(CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/automation/run-sse") { Content = TestHelpers.Json(TestHelpers.MinimalRun) };
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        return (response, new SseReader(await response.Content.ReadAsStreamAsync(cancellationToken)));
    }

    private static string Describe(JsonElement e) => $"{e.Str("type")}@{e.Str("timestamp")[11..19]}";

    [Test, CancelAfter(20_000)]
    public async Task A_stream_sends_every_event_in_order_on_the_fake_clock(CancellationToken cancellationToken)
    {
        var (response, reader) = await OpenAsync(cancellationToken);
        using (response)
        using (reader)
        {
            await Fake.AdvanceAsync(TimeSpan.FromSeconds(11), cancellationToken);
            var events = await reader.ReadToEndAsync(cancellationToken);
            Assert.That(events.Select(Describe), Is.EqualTo(new[]
            {
                "STARTED@00:00:00", "STREAMING_URL@00:00:01", "PROGRESS@00:00:03", "HEARTBEAT@00:00:05",
                "PROGRESS@00:00:06", "PROGRESS@00:00:08", "HEARTBEAT@00:00:10", "COMPLETE@00:00:11",
            }));
            var complete = events[^1];
            Assert.Multiple(() =>
            {
                Assert.That(complete.Str("status"), Is.EqualTo("COMPLETED"));
                Assert.That(complete.GetProperty("result").ValueKind, Is.EqualTo(JsonValueKind.Object));
                Assert.That(complete.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
                Assert.That(events[1].Str("streaming_url"), Does.StartWith("http://localhost/live/" + events[0].Str("run_id")));
                Assert.That(events[2].Str("purpose"), Is.Not.Empty);
                Assert.That(events.Where(e => e.Str("type") == "HEARTBEAT").All(e => !e.TryGetProperty("run_id", out _)));
            });
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task Frames_caused_by_an_advance_are_written_when_AdvanceAsync_returns(CancellationToken cancellationToken)
    {
        var (response, reader) = await OpenAsync(cancellationToken);
        using (response)
        using (reader)
        {
            Assert.That((await reader.NextAsync(cancellationToken))!.Value.Str("type"), Is.EqualTo("STARTED"));
            await Fake.AdvanceAsync(TimeSpan.FromSeconds(1), cancellationToken);
            // No further advance: the frame must already be there, or this read would hang.
            Assert.That((await reader.NextAsync(cancellationToken))!.Value.Str("type"), Is.EqualTo("STREAMING_URL"));
            await Fake.AdvanceAsync(TimeSpan.FromSeconds(2.5), cancellationToken);
            Assert.That((await reader.NextAsync(cancellationToken))!.Value.Str("type"), Is.EqualTo("PROGRESS"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task A_cancel_ends_the_stream_with_COMPLETE_CANCELLED(CancellationToken cancellationToken)
    {
        var (response, reader) = await OpenAsync(cancellationToken);
        using (response)
        using (reader)
        {
            var started = (await reader.NextAsync(cancellationToken))!.Value;
            await Fake.AdvanceAsync(TimeSpan.FromSeconds(2), cancellationToken);
            using (await Http.PostAsync($"/v1/runs/{started.Str("run_id")}/cancel", null, cancellationToken)) { }
            var rest = await reader.ReadToEndAsync(cancellationToken);
            var complete = rest[^1];
            Assert.Multiple(() =>
            {
                Assert.That(rest.Select(e => e.Str("type")), Is.EqualTo(new[] { "STREAMING_URL", "COMPLETE" }));
                Assert.That(complete.Str("status"), Is.EqualTo("CANCELLED"));
                Assert.That(complete.Str("timestamp"), Is.EqualTo("2025-01-01T00:00:02Z"));
                Assert.That(complete.GetProperty("error").Str("category"), Is.EqualTo("UNKNOWN"));
                Assert.That(complete.GetProperty("result").ValueKind, Is.EqualTo(JsonValueKind.Null));
            });
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task A_failed_run_ends_with_COMPLETE_FAILED_and_its_error(CancellationToken cancellationToken)
    {
        Fake.Runs.WhenAny().FailsWith(FailureCategory.AgentFailure, "Site unreachable").EmitsProgress(0);
        var (response, reader) = await OpenAsync(cancellationToken);
        using (response)
        using (reader)
        {
            await Fake.AdvanceAsync(TimeSpan.FromSeconds(11), cancellationToken);
            var complete = (await reader.ReadToEndAsync(cancellationToken))[^1];
            Assert.That(complete.Str("status"), Is.EqualTo("FAILED"));
            Assert.That(complete.GetProperty("error").Str("category"), Is.EqualTo("AGENT_FAILURE"));
            Assert.That(complete.GetProperty("error").Str("message"), Is.EqualTo("Site unreachable"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task The_heartbeat_interval_is_an_option(CancellationToken cancellationToken)
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { HeartbeatInterval = TimeSpan.FromSeconds(2), DefaultProgressEvents = 0 });
        var http = fake.CreateHttpClient(withApiKey: true);
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/automation/run-sse") { Content = TestHelpers.Json(TestHelpers.MinimalRun) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        await fake.AdvanceAsync(TimeSpan.FromSeconds(11), cancellationToken);
        var events = await reader.ReadToEndAsync(cancellationToken);
        Assert.That(events.Where(e => e.Str("type") == "HEARTBEAT").Select(e => e.Str("timestamp")[17..19]), Is.EqualTo(new[] { "02", "04", "06", "08", "10" }));
    }

    [Test, CancelAfter(20_000)]
    public async Task A_client_that_does_not_read_does_not_stall_the_clock(CancellationToken cancellationToken)
    {
        Fake.Runs.WhenAny().NeverFinishes();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/automation/run-sse") { Content = TestHelpers.Json(TestHelpers.MinimalRun) };
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        // Hours of heartbeats and progress pile up unread; AdvanceAsync must still return.
        await Fake.AdvanceAsync(TimeSpan.FromHours(3), cancellationToken);
        Assert.That(Fake.Clock.GetUtcNow(), Is.EqualTo(FakeTinyFishOptions.DefaultStartTime + TimeSpan.FromHours(3)));
    }
}
