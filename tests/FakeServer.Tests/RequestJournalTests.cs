using System.Text.Json;
using TinyFish.FakeServer;
using TinyFish.FakeServer.Runs;
using TinyFish.FakeServer.Journal;

namespace FakeServer.Tests;

public sealed class RequestJournalTests
{
    [Test]
    public async Task Every_request_is_journaled_with_the_key_redacted()
    {
        await using var fake = FakeTinyFish.Create();
        var http = fake.CreateHttpClient(withApiKey: true);
        http.DefaultRequestHeaders.Add("X-Trace", "t-1");
        await http.QueueAsync();
        await fake.AdvanceAsync(TimeSpan.FromSeconds(2));
        using (await http.GetAsync("/v1/runs?limit=5&status=RUNNING")) { }

        var entries = fake.Journal.Entries;
        Assert.That(entries, Has.Count.EqualTo(2));
        var post = entries[0];
        var get = entries[1];
        Assert.Multiple(() =>
        {
            Assert.That(post.Method, Is.EqualTo("POST"));
            Assert.That(post.Path, Is.EqualTo("/v1/automation/run-async"));
            Assert.That(post.Body, Is.EqualTo(TestHelpers.MinimalRun));
            Assert.That(post.Headers["x-api-key"], Is.EqualTo(JournalEntry.Redacted));
            Assert.That(post.Headers["X-Trace"], Is.EqualTo("t-1"));
            Assert.That(post.Headers.Keys, Has.None.Contains("Ticket"), "the fake's own plumbing is not journaled");
            Assert.That(post.StatusCode, Is.EqualTo(200));
            Assert.That(post.Sequence, Is.EqualTo(1));
            Assert.That(get.Query["status"], Is.EqualTo("RUNNING"));
            Assert.That(get.QueryString, Is.EqualTo("?limit=5&status=RUNNING"));
            Assert.That(get.ReceivedAt, Is.EqualTo(FakeTinyFishOptions.DefaultStartTime + TimeSpan.FromSeconds(2)));
            Assert.That(entries.Select(e => e.ToString()), Has.None.Contains(fake.ApiKey));
        });
    }

    [Test]
    public async Task Rejected_requests_are_journaled_with_their_status()
    {
        await using var fake = FakeTinyFish.Create();
        var http = fake.CreateHttpClient();
        using (await http.GetAsync("/v1/runs")) { }
        Assert.That(fake.Journal.Entries.Single().StatusCode, Is.EqualTo(401));
        Assert.That(fake.Journal.Entries.Single().Headers.ContainsKey("X-API-Key"), Is.False);
    }

    [Test]
    public async Task The_journal_filters_by_method_and_path_and_clears()
    {
        await using var fake = FakeTinyFish.Create();
        var http = fake.CreateHttpClient(withApiKey: true);
        var id = await http.QueueAsync();
        using (await http.GetAsync($"/v1/runs/{id}")) { }
        using (await http.PostAsync($"/v1/runs/{id}/cancel", null)) { }
        Assert.Multiple(() =>
        {
            Assert.That(fake.Journal.Find("POST"), Has.Count.EqualTo(2));
            Assert.That(fake.Journal.Find(pathPrefix: "/v1/runs/"), Has.Count.EqualTo(2));
            Assert.That(fake.Journal.Find("post", "/v1/runs/"), Has.Count.EqualTo(1));
            Assert.That(fake.Journal.Where(e => e.Path.EndsWith("/cancel", StringComparison.Ordinal)).Single().Method, Is.EqualTo("POST"));
        });
        fake.Journal.Clear();
        Assert.That(fake.Journal.Count, Is.Zero);
    }

    [Test]
    public async Task The_journal_keeps_the_most_recent_entries_up_to_its_capacity()
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { MaxJournalEntries = 3 });
        for (var i = 0; i < 5; i++) using (await fake.Http.GetAsync($"/v1/runs?limit={i + 1}")) { }
        Assert.That(fake.Journal.Entries.Select(e => e.Sequence), Is.EqualTo(new long[] { 3, 4, 5 }));
    }

    [Test]
    public async Task The_status_recorded_is_the_one_sent_even_when_an_exception_became_a_500()
    {
        await using var fake = FakeTinyFish.Create();
        // A run whose result is an undefined JsonElement: writing it throws inside the endpoint.
        var request = new RunRequestData("https://example.com", "Explode on read", false, null, null, false, null);
        var plan = new RunPlan(TimeSpan.Zero, TimeSpan.Zero, new RunEnding(RunStatus.Completed, default(JsonElement), null), [], TimeSpan.FromSeconds(1));
        fake.State.Store.AddHistory([new RunRecord("run_explodes", fake.Clock.GetUtcNow() - TimeSpan.FromMinutes(1), RunOrigin.History, request, plan)]);

        using var response = await fake.Http.GetAsync("/v1/runs/run_explodes");

        await response.AssertErrorAsync(500, "INTERNAL_ERROR");
        Assert.That(fake.Journal.Entries.Single().StatusCode, Is.EqualTo(500), "not the 200 the endpoint had set when it threw");
    }

    [Test]
    public async Task A_long_body_is_kept_cut_and_marked_and_the_journal_stays_under_its_byte_cap()
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { MaxJournalBodyBytes = 1024, MaxJournalBytes = 64 * 1024 });
        var goal = new string('g', 20_000);
        for (var i = 0; i < 40; i++) await fake.Http.QueueAsync($$"""{"url":"https://example.com","goal":"{{goal}}"}""");

        var entries = fake.Journal.Entries;
        var last = entries[^1];
        Assert.Multiple(() =>
        {
            Assert.That(last.BodyTruncated, Is.True);
            Assert.That(last.BodyBytes, Is.EqualTo(20_000 + """{"url":"https://example.com","goal":""}""".Length));
            Assert.That(last.Body, Does.StartWith("""{"url":"https://example.com","goal":"ggg""").And.EndWith(JournalEntry.TruncationMarker));
            Assert.That(last.Body, Has.Length.EqualTo(1024 + JournalEntry.TruncationMarker.Length));
            Assert.That(last.StatusCode, Is.EqualTo(200));
            Assert.That(fake.Journal.ApproximateBytes, Is.LessThanOrEqualTo(64 * 1024));
            Assert.That(entries, Has.Count.LessThan(40), "older entries were dropped to stay under the byte cap");
            Assert.That(entries.Select(e => e.Sequence), Is.Ordered.And.Contains(40L));
        });
        fake.Journal.Clear();
        Assert.That(fake.Journal.ApproximateBytes, Is.Zero);
    }

    [Test]
    public async Task A_body_over_the_limit_is_refused_unread_and_journaled_with_its_announced_size()
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { MaxRequestBodyBytes = 1000 });
        using var content = new ByteArrayContent(new byte[5000]);
        using var response = await fake.Http.PostAsync("/v1/automation/run-async", content);
        await response.AssertErrorAsync(400, "INVALID_INPUT", "body");
        var entry = fake.Journal.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.StatusCode, Is.EqualTo(400));
            Assert.That(entry.BodyBytes, Is.EqualTo(5000));
            Assert.That(entry.BodyTruncated, Is.True);
        });
    }
}
