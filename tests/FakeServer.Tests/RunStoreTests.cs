using TinyFish.FakeServer;
using TinyFish.FakeServer.Runs;

namespace FakeServer.Tests;

public sealed class RunStoreTests
{
    /// <summary>Index nodes one list request looks at, with and without a status filter, from a cursor deep in the list.</summary>
    private static async Task<(long Plain, long ByStatus, long ByDate)> PageCostAsync(int runs)
    {
        await using var fake = FakeTinyFish.Create();
        fake.SeedHistory(runs, seed: 3);
        var store = fake.State.Store;
        var middle = store.List(new RunQuery(null, null, null, null, true, 1, null)).Items[0].Run.Key;
        middle = new RunKey(middle.CreatedTicks - TimeSpan.FromDays(15).Ticks, middle.RunId);

        long Measure(RunQuery query)
        {
            var before = store.NodesVisited;
            var page = store.List(query);
            Assert.That(page.Items, Has.Count.EqualTo(20));
            return store.NodesVisited - before;
        }
        var plain = Measure(new RunQuery(null, null, null, null, true, 20, middle));
        var byStatus = Measure(new RunQuery(RunStatus.Failed, null, null, null, true, 20, middle));
        var start = fake.Clock.GetUtcNow() - TimeSpan.FromDays(20);
        var byDate = Measure(new RunQuery(RunStatus.Completed, null, start, start + TimeSpan.FromDays(5), false, 20, null));
        return (plain, byStatus, byDate);
    }

    [Test]
    public async Task A_list_page_over_100000_runs_costs_about_what_it_costs_over_1000()
    {
        var small = await PageCostAsync(1_000);
        var large = await PageCostAsync(100_000);
        TestContext.Out.WriteLine($"1,000 runs: {small}; 100,000 runs: {large} (index nodes visited per page)");
        Assert.Multiple(() =>
        {
            Assert.That(large.Plain, Is.LessThan(small.Plain * 3));
            Assert.That(large.ByStatus, Is.LessThan(small.ByStatus * 3));
            Assert.That(large.ByDate, Is.LessThan(small.ByDate * 3));
            Assert.That(new[] { large.Plain, large.ByStatus, large.ByDate }, Has.All.LessThan(1_000));
        });
    }

    [Test]
    public async Task Status_indices_agree_with_the_status_function_at_every_instant()
    {
        await using var fake = FakeTinyFish.Create();
        fake.Runs.WhenGoalContains("slow").CompletesAfter(TimeSpan.FromSeconds(30));
        fake.Runs.WhenGoalContains("fail").FailsWith(FailureCategory.AgentFailure, "no");
        var http = fake.CreateHttpClient(withApiKey: true);
        var ids = new List<string>();
        foreach (var goal in new[] { "slow", "fail", "plain", "slow", "plain" }) ids.Add(await http.QueueAsync($"{{\"url\":\"https://e.example\",\"goal\":\"{goal}\"}}"));
        using (await http.PostAsync($"/v1/runs/{ids[4]}/cancel", null)) { }
        var store = fake.State.Store;
        for (var second = 0; second < 40; second++)
        {
            foreach (RunStatus status in Enum.GetValues<RunStatus>())
            {
                var indexed = store.List(new RunQuery(status, null, null, null, true, 100, null)).Items.Select(v => v.Run.Id).ToHashSet();
                var computed = ids.Where(id => store.Find(id)!.Value.State.Status == status).ToHashSet();
                Assert.That(indexed, Is.EquivalentTo(computed), $"{status} at +{second}s");
            }
            await fake.AdvanceAsync(TimeSpan.FromSeconds(1));
        }
    }
}
