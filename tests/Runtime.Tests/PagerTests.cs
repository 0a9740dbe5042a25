using System.Net;
using System.Text.Json;
using Runtime.Tests.Support;
using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;

namespace Runtime.Tests;

public class PagerTests
{
    private sealed record Page(string[] Data, string? NextCursor, bool HasMore);

    /// <summary>A paged list of <paramref name="total"/> items served <paramref name="size"/> at a time; records each cursor asked for.</summary>
    private sealed class Server(int total, int size)
    {
        public List<string?> Cursors { get; } = [];

        public Task<Page> Fetch(string? cursor, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Cursors.Add(cursor);
            var start = cursor is null ? 0 : int.Parse(cursor);
            var data = Enumerable.Range(start, Math.Min(size, total - start)).Select(i => $"run_{i}").ToArray();
            var end = start + data.Length;
            return Task.FromResult(new Page(data, end < total ? end.ToString() : null, end < total));
        }
    }

    [Test]
    public async Task Items_walk_every_page_following_the_cursor_until_it_is_null()
    {
        var server = new Server(total: 250, size: 20);

        var items = new List<string>();
        await foreach (var item in Pager.ItemsAsync<Page, string>(server.Fetch, p => p.NextCursor, p => p.Data, CancellationToken.None)) items.Add(item);

        Assert.That(items, Is.EqualTo(Enumerable.Range(0, 250).Select(i => $"run_{i}")));
        Assert.That(server.Cursors, Has.Count.EqualTo(13));
        Assert.That(server.Cursors[0], Is.Null);
        Assert.That(server.Cursors[1], Is.EqualTo("20"));
    }

    [Test]
    public async Task Pages_stop_when_has_more_is_false_even_if_a_cursor_is_present()
    {
        var pages = new Queue<Page>([new Page(["a"], "c1", true), new Page(["b"], "stale", false)]);
        var asked = new List<string?>();

        var seen = new List<Page>();
        await foreach (var page in Pager.PagesAsync<Page>((c, _) => { asked.Add(c); return Task.FromResult(pages.Dequeue()); }, p => p.HasMore, p => p.NextCursor, CancellationToken.None))
            seen.Add(page);

        Assert.That(seen, Has.Count.EqualTo(2));
        Assert.That(asked, Is.EqualTo(new string?[] { null, "c1" }));
    }

    [Test]
    public async Task An_empty_cursor_ends_the_walk()
    {
        var count = 0;
        await foreach (var _ in Pager.PagesAsync<Page>((_, _) => Task.FromResult(new Page([], "", false)), p => p.NextCursor, CancellationToken.None)) count++;

        Assert.That(count, Is.EqualTo(1));
    }

    [Test]
    public void A_server_that_repeats_the_cursor_stops_the_walk_instead_of_looping()
    {
        Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in Pager.PagesAsync<Page>((_, _) => Task.FromResult(new Page(["a"], "same", true)), p => p.NextCursor, CancellationToken.None)) { }
        });
    }

    [Test]
    public async Task Cancelling_mid_way_stops_before_the_next_page_is_fetched()
    {
        var server = new Server(total: 100, size: 10);
        using var cts = new CancellationTokenSource();
        var items = new List<string>();

        var e = Assert.CatchAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in Pager.ItemsAsync<Page, string>(server.Fetch, p => p.NextCursor, p => p.Data, cts.Token))
            {
                items.Add(item);
                if (items.Count == 15) await cts.CancelAsync();
            }
        });

        Assert.That(e, Is.Not.Null);
        Assert.That(items, Has.Count.EqualTo(15));
        Assert.That(server.Cursors, Has.Count.EqualTo(2), "no page is fetched after cancellation");
    }

    [Test]
    public async Task Paging_through_the_pipeline_sends_the_cursor_and_the_filters_on_every_page()
    {
        var handler = new ScriptedHandler()
            .ThenJson(HttpStatusCode.OK, """{"data":["a","b"],"pagination":{"next_cursor":"Yz0y","has_more":true}}""")
            .ThenJson(HttpStatusCode.OK, """{"data":["c"],"pagination":{"next_cursor":null,"has_more":false}}""");
        using var pipeline = Pipelines.Create(handler, new VirtualClock());
        JsonReadFunc<Page> read = (ref Utf8JsonReader reader) =>
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            var pagination = root.GetProperty("pagination");
            return new Page(
                root.GetProperty("data").EnumerateArray().Select(x => x.GetString()!).ToArray(),
                pagination.GetProperty("next_cursor").GetString(),
                pagination.GetProperty("has_more").GetBoolean());
        };

        var items = new List<string>();
        await foreach (var item in Pager.ItemsAsync<Page, string>(
            (cursor, ct) => pipeline.SendAsync(new ApiRequest(HttpMethod.Get, "/v1/runs", "listRuns", true)
                .WithQuery("status", "COMPLETED").WithQuery("limit", 2L).WithQuery("cursor", cursor), read, ct),
            p => p.HasMore ? p.NextCursor : null, p => p.Data, CancellationToken.None))
            items.Add(item);

        Assert.That(items, Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(handler.Requests.Select(r => r.Uri.Query), Is.EqualTo(new[] { "?status=COMPLETED&limit=2", "?status=COMPLETED&limit=2&cursor=Yz0y" }));
    }
}
