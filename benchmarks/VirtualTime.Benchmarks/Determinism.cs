using System.Diagnostics;
using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Runs.Testing;

namespace VirtualTime.Benchmarks;

/// <summary>
/// The same test, repeated while every core is busy with other work: it must give the same virtual
/// timestamps, journal order and results every time. Prints the count of distinct timelines (1 is right).
/// </summary>
public static class Determinism
{
    public static async Task<int> RunAsync(int repetitions)
    {
        using var spinning = new CancellationTokenSource();
        var spinners = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(_ => new Thread(() => { while (!spinning.IsCancellationRequested) { } }) { IsBackground = true })
            .ToList();
        spinners.ForEach(t => t.Start());
        var timelines = new Dictionary<string, int>();
        var wall = Stopwatch.StartNew();
        try
        {
            for (var i = 0; i < repetitions; i++)
            {
                var timeline = await ScenarioAsync();
                timelines[timeline] = timelines.GetValueOrDefault(timeline) + 1;
            }
        }
        finally
        {
            await spinning.CancelAsync();
            spinners.ForEach(t => t.Join());
        }
        Console.WriteLine($"{repetitions} repetitions with {spinners.Count} spinning threads in {wall.Elapsed.TotalSeconds:0.0} s: {timelines.Count} distinct timeline(s)");
        foreach (var (timeline, count) in timelines.OrderByDescending(pair => pair.Value))
        {
            Console.WriteLine($"--- {count}×");
            Console.WriteLine(timeline);
        }
        return timelines.Count == 1 ? 0 : 1;
    }

    /// <summary>A rate-limited create, a failed goal, a retryable failure, waited for with two advances.</summary>
    private static async Task<string> ScenarioAsync()
    {
        await using var fake = new FakeTinyFish();
        using var client = fake.CreateClient();
        fake.Runs.WhenGoalContains("cart").FailsGoal("No cart");
        fake.Runs.WhenGoalContains("flaky").FailsWith(FailureCategory.SystemFailure, "Browser crashed", retryAfter: TimeSpan.FromSeconds(20));
        fake.Faults.NextRequest().To("POST", "/v1/automation/run-async").AreRateLimited(TimeSpan.FromSeconds(3));
        var shop = new Uri("https://shop.example");

        var first = client.Automation.QueueRunAsync(new RunRequest { Url = shop, Goal = "cart" });
        await fake.AdvanceAsync(TimeSpan.FromSeconds(5));
        var second = await client.Automation.QueueRunAsync(new RunRequest { Url = shop, Goal = "flaky" });
        var waits = client.WaitForAllAsync([(await first).RunId!, second.RunId!]);
        await fake.AdvanceAsync(TimeSpan.FromMinutes(1));
        var runs = await waits;

        return string.Join(Environment.NewLine, fake.Journal.Entries.Select(e => $"{e.ReceivedAt:O} {e.Method} {e.Path} {e.StatusCode}")
            .Concat(runs.Select(r => $"{r.RunId} {r.Status.Value} {r.FinishedAt:O}")));
    }
}
