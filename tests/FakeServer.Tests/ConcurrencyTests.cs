using System.Collections.Concurrent;
using System.Text.Json;
using TinyFish.FakeServer;

namespace FakeServer.Tests;

/// <summary>Many clients at once: the store's lock and the keyset cursors must lose nothing and repeat nothing.</summary>
public sealed class ConcurrencyTests
{
    private static async Task<List<string>> PageAllAsync(HttpClient http, string query)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            using var response = await http.GetAsync($"/v1/runs?{query}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            var body = await response.ReadJsonAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), body.ToString());
            ids.AddRange(body.GetProperty("data").EnumerateArray().Select(run => run.Str("run_id")));
            cursor = body.GetProperty("pagination").GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        return ids;
    }

    [Test, CancelAfter(120_000)]
    public async Task Parallel_clients_creating_cancelling_and_paging_lose_no_run_and_see_no_duplicate(CancellationToken cancellationToken)
    {
        await using var fake = FakeTinyFish.Create();
        fake.SeedHistory(300, 2);
        var created = new ConcurrentBag<string>();
        var cancelled = new ConcurrentBag<string>();
        var traversals = new ConcurrentBag<List<string>>();

        async Task WriterAsync(int client)
        {
            var http = fake.CreateHttpClient(withApiKey: true);
            for (var i = 0; i < 25; i++)
            {
                if (i % 5 == 0)
                {
                    var runs = string.Join(",", Enumerable.Range(0, 4).Select(n => $"{{\"url\":\"https://c{client}.example\",\"goal\":\"batch {client}-{i}-{n}\"}}"));
                    using var batch = await http.PostJsonAsync("/v1/automation/run-batch", $"{{\"runs\":[{runs}]}}");
                    foreach (var id in (await batch.ReadJsonAsync()).GetProperty("run_ids").EnumerateArray()) created.Add(id.GetString()!);
                    continue;
                }
                var single = await http.QueueAsync($"{{\"url\":\"https://c{client}.example\",\"goal\":\"single {client}-{i}\"}}");
                created.Add(single);
                if (i % 3 == 0)
                {
                    using var cancel = await http.PostAsync($"/v1/runs/{single}/cancel", null, cancellationToken);
                    Assert.That((int)cancel.StatusCode, Is.EqualTo(200));
                    cancelled.Add(single);
                }
            }
        }

        async Task ReaderAsync(string query)
        {
            var http = fake.CreateHttpClient(withApiKey: true);
            for (var pass = 0; pass < 4; pass++) traversals.Add(await PageAllAsync(http, query));
        }

        async Task ClockAsync()
        {
            for (var step = 0; step < 20; step++) await fake.AdvanceAsync(TimeSpan.FromMilliseconds(700), cancellationToken);
        }

        var work = Enumerable.Range(0, 12).Select(WriterAsync)
            .Concat(new[] { "limit=17", "limit=50&sort_direction=asc", "status=CANCELLED&limit=9", "goal=single&limit=13" }.Select(ReaderAsync))
            .Append(ClockAsync());
        await Task.WhenAll(work);

        Assert.That(created, Has.Count.EqualTo(12 * (5 * 4 + 20)));
        foreach (var traversal in traversals) Assert.That(traversal, Is.Unique, "a run appeared twice in one traversal");

        var everything = await PageAllAsync(fake.Http, "limit=100");
        Assert.Multiple(() =>
        {
            Assert.That(everything, Is.Unique);
            Assert.That(everything, Has.Count.EqualTo(created.Count + 300));
            Assert.That(everything, Is.SupersetOf(created), "no run was lost");
            Assert.That(fake.RunCount, Is.EqualTo(created.Count + 300));
        });
        var cancelledNow = await PageAllAsync(fake.Http, "status=CANCELLED&limit=100");
        Assert.That(cancelledNow, Is.SupersetOf(cancelled));
    }
}
