using TinyFish.FakeServer;

namespace FakeServer.Tests;

public sealed class HistorySeederTests
{
    private static async Task<List<System.Text.Json.JsonElement>> HistoryAsync(int count, int seed)
    {
        await using var fake = FakeTinyFish.Create(new FakeTinyFishOptions { LiveViewSecret = [7] }); // identical streaming_urls
        Assert.That(fake.SeedHistory(count, seed), Is.EqualTo(count));
        var http = fake.CreateHttpClient(withApiKey: true);
        var runs = new List<System.Text.Json.JsonElement>();
        string? cursor = null;
        do
        {
            using var response = await http.GetAsync("/v1/runs?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            var page = await response.ReadJsonAsync();
            runs.AddRange(page.GetProperty("data").EnumerateArray());
            cursor = page.GetProperty("pagination").GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        return runs;
    }

    [Test]
    public async Task The_same_seed_gives_the_same_runs()
    {
        var first = await HistoryAsync(300, 7);
        var second = await HistoryAsync(300, 7);
        var other = await HistoryAsync(300, 8);
        Assert.That(second.Select(run => run.GetRawText()), Is.EqualTo(first.Select(run => run.GetRawText())));
        Assert.That(other.Select(run => run.Str("run_id")), Is.Not.EqualTo(first.Select(run => run.Str("run_id"))));
    }

    [Test]
    public async Task History_is_finished_past_runs_of_every_kind()
    {
        var runs = await HistoryAsync(500, 1);
        var statuses = runs.GroupBy(run => run.Str("status")).ToDictionary(g => g.Key, g => g.Count());
        var goalFailures = runs.Count(run => run.Str("status") == "COMPLETED" && run.GetProperty("result").TryGetProperty("reason", out _));
        var categories = runs.Where(run => run.Str("status") == "FAILED").Select(run => run.GetProperty("error").Str("category")).Distinct().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(runs, Has.Count.EqualTo(500));
            Assert.That(statuses.Keys, Is.EquivalentTo(new[] { "COMPLETED", "FAILED", "CANCELLED" }));
            Assert.That(goalFailures, Is.GreaterThan(10));
            Assert.That(categories, Does.Not.Contain("BILLING_FAILURE"));
            Assert.That(runs.Select(run => run.GetProperty("created_at").GetDateTimeOffset()), Has.All.LessThan(FakeTinyFishOptions.DefaultStartTime));
            Assert.That(runs.Select(run => run.Str("goal")).Distinct().Count(), Is.GreaterThan(400), "goals are varied");
            Assert.That(runs.Select(run => run.Str("run_id")), Is.Unique);
        });
    }

    [Test]
    public async Task History_runs_can_be_read_and_cancelled_like_any_other()
    {
        await using var fake = FakeTinyFish.Create();
        fake.SeedHistory(20, 3);
        var http = fake.CreateHttpClient(withApiKey: true);
        using var list = await http.GetAsync("/v1/runs?status=COMPLETED&limit=1");
        var id = (await list.ReadJsonAsync()).GetProperty("data")[0].Str("run_id");
        using var cancel = await http.PostAsync($"/v1/runs/{id}/cancel", null);
        Assert.That((await cancel.ReadJsonAsync()).Str("message"), Is.EqualTo("Run already finished"));
    }
}
