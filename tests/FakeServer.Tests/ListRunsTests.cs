using System.Text.Json;
using TinyFish.FakeServer;

using FakeServer.Tests.Support;

namespace FakeServer.Tests;

/// <summary>GET /v1/runs: keyset pagination, filters, totals, cursors.</summary>
public sealed class ListRunsTests : FakeHttpTest
{
    /// <summary>Creates <paramref name="count"/> runs in batches of up to 100, one millisecond apart per batch (so ties on created_at happen).</summary>
    private async Task<List<string>> CreateRunsAsync(int count, string goal = "Find the price")
    {
        var ids = new List<string>();
        while (ids.Count < count)
        {
            var size = Math.Min(100, count - ids.Count);
            var runs = string.Join(",", Enumerable.Range(0, size).Select(i => $"{{\"url\":\"https://example.com/{ids.Count + i}\",\"goal\":\"{goal} {ids.Count + i}\"}}"));
            using var response = await Http.PostJsonAsync("/v1/automation/run-batch", $"{{\"runs\":[{runs}]}}");
            ids.AddRange((await response.ReadJsonAsync()).GetProperty("run_ids").EnumerateArray().Select(id => id.GetString()!));
            await Fake.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        }
        return ids;
    }

    private async Task<JsonElement> ListAsync(string query)
    {
        using var response = await Http.GetAsync("/v1/runs" + query);
        var body = await response.ReadJsonAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToString());
        return body;
    }

    /// <summary>Follows next_cursor to the end; returns every page.</summary>
    private async Task<List<JsonElement>> AllPagesAsync(string filters, Func<int, Task>? betweenPages = null)
    {
        var pages = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var parameters = new[] { filters, cursor is null ? "" : "cursor=" + Uri.EscapeDataString(cursor) }.Where(part => part.Length > 0);
            var page = await ListAsync("?" + string.Join("&", parameters));
            pages.Add(page);
            var pagination = page.GetProperty("pagination");
            cursor = pagination.GetProperty("next_cursor").GetString();
            Assert.That(pagination.GetProperty("has_more").GetBoolean(), Is.EqualTo(cursor is not null));
            if (cursor is not null && betweenPages is not null) await betweenPages(pages.Count);
        }
        while (cursor is not null);
        return pages;
    }

    private static List<string> Ids(IEnumerable<JsonElement> pages) =>
        [.. pages.SelectMany(page => page.GetProperty("data").EnumerateArray()).Select(run => run.Str("run_id"))];

    [Test]
    public async Task The_default_page_is_20_newest_first_with_the_total()
    {
        await CreateRunsAsync(45);
        var page = await ListAsync("");
        var created = page.GetProperty("data").EnumerateArray().Select(run => run.Str("created_at")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(created, Has.Count.EqualTo(20));
            Assert.That(created.Select(DateTimeOffset.Parse), Is.Ordered.Descending);
            Assert.That(page.GetProperty("pagination").GetProperty("total").GetInt32(), Is.EqualTo(45));
            Assert.That(page.GetProperty("pagination").GetProperty("has_more").GetBoolean(), Is.True);
        });
    }

    [TestCase("sort_direction=desc&limit=100")]
    [TestCase("sort_direction=asc&limit=7")]
    public async Task Paging_to_the_end_sees_every_run_once_in_order(string query)
    {
        var created = await CreateRunsAsync(250);
        var pages = await AllPagesAsync(query);
        var seen = Ids(pages);
        var keys = pages.SelectMany(page => page.GetProperty("data").EnumerateArray())
            .Select(run => (Created: run.GetProperty("created_at").GetDateTimeOffset(), Id: run.Str("run_id"))).ToList();
        var expected = query.Contains("asc") ? keys.OrderBy(k => k.Created).ThenBy(k => k.Id, StringComparer.Ordinal)
            : keys.OrderByDescending(k => k.Created).ThenByDescending(k => k.Id, StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.Unique);
            Assert.That(seen, Is.EquivalentTo(created));
            Assert.That(keys, Is.EqualTo(expected.ToList()), "ordered by (created_at, run_id), ties by run_id");
        });
    }

    [Test]
    public async Task Runs_created_between_pages_cause_no_duplicates_and_no_skips()
    {
        var before = await CreateRunsAsync(60);
        var desc = await AllPagesAsync("limit=10", async _ => await CreateRunsAsync(3));
        Assert.That(Ids(desc), Is.Unique.And.EquivalentTo(before), "newest-first paging started before the new runs never shows them");

        var asc = await AllPagesAsync("sort_direction=asc&limit=25", async _ => await CreateRunsAsync(2));
        var ascIds = Ids(asc);
        Assert.That(ascIds, Is.Unique);
        Assert.That(ascIds, Is.SupersetOf(before), "oldest-first paging sees every earlier run");
    }

    [Test]
    public async Task Runs_changing_status_between_pages_cause_no_duplicates_under_a_status_filter()
    {
        await CreateRunsAsync(30);
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(1)); // every run RUNNING
        Fake.Runs.WhenAny().NeverFinishes();
        var endless = await CreateRunsAsync(20); // RUNNING after 1 s, forever
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(1));
        var pages = await AllPagesAsync("status=RUNNING&limit=7", async _ => await Fake.AdvanceAsync(TimeSpan.FromSeconds(3)));
        var seen = Ids(pages);
        Assert.That(seen, Is.Unique);
        Assert.That(seen, Is.SupersetOf(endless), "runs that stayed RUNNING throughout are all seen");
    }

    [Test]
    public async Task The_status_filter_and_total_follow_the_clock()
    {
        Fake.Runs.WhenGoalContains("slow").CompletesAfter(TimeSpan.FromMinutes(5));
        await CreateRunsAsync(5, "quick job");
        await CreateRunsAsync(3, "slow job");
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(20));
        var completed = await ListAsync("?status=COMPLETED");
        var running = await ListAsync("?status=RUNNING");
        Assert.Multiple(() =>
        {
            Assert.That(completed.GetProperty("pagination").GetProperty("total").GetInt32(), Is.EqualTo(5));
            Assert.That(running.GetProperty("pagination").GetProperty("total").GetInt32(), Is.EqualTo(3));
            Assert.That(running.GetProperty("data").EnumerateArray().All(run => run.Str("status") == "RUNNING"));
        });
    }

    [Test]
    public async Task The_goal_filter_is_a_case_insensitive_substring_not_a_regex()
    {
        await CreateRunsAsync(3, "Scrape LinkedIn (jobs)");
        await CreateRunsAsync(4, "Check the weather");
        var linked = await ListAsync("?goal=linkedin");
        var literal = await ListAsync($"?goal={Uri.EscapeDataString("(jobs)")}");
        var regex = await ListAsync($"?goal={Uri.EscapeDataString("Li.*In")}");
        Assert.Multiple(() =>
        {
            Assert.That(linked.GetProperty("pagination").GetProperty("total").GetInt32(), Is.EqualTo(3));
            Assert.That(literal.GetProperty("pagination").GetProperty("total").GetInt32(), Is.EqualTo(3));
            Assert.That(regex.GetProperty("pagination").GetProperty("total").GetInt32(), Is.Zero);
        });
    }

    [Test]
    public async Task The_goal_filter_pages_with_cursors_too()
    {
        await CreateRunsAsync(30, "alpha");
        await CreateRunsAsync(30, "beta");
        var pages = await AllPagesAsync("goal=ALPHA&limit=8");
        Assert.That(Ids(pages), Has.Count.EqualTo(30).And.Unique);
        Assert.That(pages[0].GetProperty("pagination").GetProperty("total").GetInt32(), Is.EqualTo(30));
    }

    [Test]
    public async Task Created_after_and_before_are_exclusive_bounds()
    {
        await CreateRunsAsync(1); // 00:00:00.000
        await CreateRunsAsync(1); // 00:00:00.001
        await CreateRunsAsync(1); // 00:00:00.002
        var middle = await ListAsync("?created_after=2025-01-01T00:00:00Z&created_before=2025-01-01T00:00:00.002Z");
        var fromOffset = await ListAsync($"?created_after={Uri.EscapeDataString("2025-01-01T01:00:00.0005+01:00")}");
        Assert.Multiple(() =>
        {
            Assert.That(middle.GetProperty("data").EnumerateArray().Select(run => run.Str("created_at")), Is.EqualTo(new[] { "2025-01-01T00:00:00.001Z" }));
            Assert.That(fromOffset.GetProperty("pagination").GetProperty("total").GetInt32(), Is.EqualTo(2));
        });
    }

    [TestCase("?limit=0", "limit")]
    [TestCase("?limit=101", "limit")]
    [TestCase("?limit=ten", "limit")]
    [TestCase("?limit=-1", "limit")]
    [TestCase("?status=DONE", "status")]
    [TestCase("?status=completed", "status")]
    [TestCase("?sort_direction=up", "sort_direction")]
    [TestCase("?created_after=yesterday", "created_after")]
    [TestCase("?created_before=2025-01-01T00:00:00", "created_before")]
    [TestCase("?created_after=2025-01-01T00:00:00+00:00", "created_after")]
    [TestCase("?limit=5&limit=6", "limit")]
    [TestCase("?page=2", "page")]
    [TestCase("?cursor=abc", "cursor")]
    public async Task Bad_list_queries_are_400_with_the_field(string query, string field)
    {
        using var response = await Http.GetAsync("/v1/runs" + query);
        await response.AssertErrorAsync(400, "INVALID_INPUT", field);
    }

    [Test]
    public async Task A_goal_longer_than_500_characters_is_400()
    {
        using var response = await Http.GetAsync("/v1/runs?goal=" + new string('g', 501));
        await response.AssertErrorAsync(400, "INVALID_INPUT", "goal");
    }

    [Test]
    public async Task A_changed_or_foreign_or_reused_cursor_is_400()
    {
        await CreateRunsAsync(30);
        var cursor = (await ListAsync("?limit=5")).GetProperty("pagination").Str("next_cursor");
        var flipped = cursor[..3] + (cursor[3] == 'A' ? 'B' : 'A') + cursor[4..];
        await using var other = FakeTinyFish.Create();
        var otherHttp = other.CreateHttpClient(withApiKey: true);
        using (var tampered = await Http.GetAsync($"/v1/runs?limit=5&cursor={Uri.EscapeDataString(flipped)}")) await tampered.AssertErrorAsync(400, "INVALID_INPUT", "cursor");
        using (var foreign = await otherHttp.GetAsync($"/v1/runs?limit=5&cursor={Uri.EscapeDataString(cursor)}")) await foreign.AssertErrorAsync(400, "INVALID_INPUT", "cursor");
        using (var otherFilter = await Http.GetAsync($"/v1/runs?status=PENDING&cursor={Uri.EscapeDataString(cursor)}")) await otherFilter.AssertErrorAsync(400, "INVALID_INPUT", "cursor");
        using (var otherOrder = await Http.GetAsync($"/v1/runs?sort_direction=asc&cursor={Uri.EscapeDataString(cursor)}")) await otherOrder.AssertErrorAsync(400, "INVALID_INPUT", "cursor");
        using var sameQuery = await Http.GetAsync($"/v1/runs?limit=9&cursor={Uri.EscapeDataString(cursor)}");
        Assert.That((int)sameQuery.StatusCode, Is.EqualTo(200), "the page size may change between pages");
    }

    [Test]
    public async Task A_cursor_is_base64url_json_keyset_and_stable_with_a_fixed_secret()
    {
        async Task<string> CursorAsync()
        {
            await using var fake = new FakeTinyFish(new FakeTinyFishOptions { CursorSecret = new byte[32] });
            var http = fake.CreateHttpClient(withApiKey: true);
            for (var i = 0; i < 3; i++) await http.QueueAsync();
            using var response = await http.GetAsync("/v1/runs?limit=1");
            return (await response.ReadJsonAsync()).GetProperty("pagination").Str("next_cursor");
        }
        var first = await CursorAsync();
        var second = await CursorAsync();
        Assert.That(second, Is.EqualTo(first));
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(first.Split('.')[0]));
        Assert.That(payload, Does.StartWith("{\"id\":\"run_").And.Contain("\"createdAt\":\"2025-01-01T00:00:00Z\""));
    }
}
