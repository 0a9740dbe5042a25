using TinyFish.FakeServer;
using TinyFish.FakeServer.Runs;

namespace FakeServer.Tests;

public sealed class GoalIndexTests
{
    /// <summary>What the goal filter must answer: every run whose goal contains the text (ignoring case), in list order.</summary>
    private static List<string> Expected(RunStore store, string text, RunStatus? status)
    {
        var all = store.List(new RunQuery(status, null, null, null, false, 1_000_000, null)).Items;
        return all.Where(view => view.Run.Request.Goal.Contains(text, StringComparison.OrdinalIgnoreCase)).Select(view => view.Run.Id).ToList();
    }

    private static List<string> Listed(RunStore store, string text, RunStatus? status, out int total)
    {
        var page = store.List(new RunQuery(status, text, null, null, false, 1_000_000, null));
        total = page.Total;
        return page.Items.Select(view => view.Run.Id).ToList();
    }

    [Test]
    public async Task A_goal_index_follows_new_runs_and_status_changes_after_it_is_built()
    {
        await using var fake = FakeTinyFish.Create();
        fake.SeedHistory(300, seed: 9);
        fake.Runs.WhenGoalContains("slow").CompletesAfter(TimeSpan.FromSeconds(30));
        var store = fake.State.Store;
        Listed(store, "PRICE", null, out _);   // built now, before the runs below exist
        var http = fake.CreateHttpClient(withApiKey: true);
        foreach (var goal in new[] { "Find the price, slow", "find the PRICE", "no match here", "price slow again" })
            await http.QueueAsync($$"""{"url":"https://e.example","goal":"{{goal}}"}""");

        for (var second = 0; second < 35; second += 5)
        {
            foreach (var status in new RunStatus?[] { null, RunStatus.Pending, RunStatus.Running, RunStatus.Completed })
            {
                var listed = Listed(store, "price", status, out var total);
                Assert.That(listed, Is.EqualTo(Expected(store, "price", status)), $"at {second} s, status {status}");
                Assert.That(total, Is.EqualTo(listed.Count));
            }
            await fake.AdvanceAsync(TimeSpan.FromSeconds(5));
        }
    }

    [Test]
    public async Task More_goal_texts_than_the_store_keeps_indexes_for_still_answer_exactly()
    {
        await using var fake = FakeTinyFish.Create();
        fake.SeedHistory(200, seed: 4);
        var store = fake.State.Store;
        var texts = Enumerable.Range(0, RunStore.MaxGoalIndexes + 8).Select(i => ((char)('a' + i % 26)).ToString() + (i >= 26 ? "e" : "")).ToList();
        foreach (var round in Enumerable.Range(0, 2))
        {
            foreach (var text in texts)
            {
                Assert.That(Listed(store, text, null, out var total), Is.EqualTo(Expected(store, text, null)), $"'{text}', round {round}");
                Assert.That(total, Is.EqualTo(Expected(store, text, null).Count));
            }
        }
    }
}
