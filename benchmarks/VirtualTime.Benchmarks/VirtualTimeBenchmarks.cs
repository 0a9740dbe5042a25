using BenchmarkDotNet.Attributes;
using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Runs.Testing;

namespace VirtualTime.Benchmarks;

/// <summary>Wall time of tests that spend virtual minutes: a fresh fake and client per operation, as a test has.</summary>
[MemoryDiagnoser]
public class VirtualTimeBenchmarks
{
    private static readonly Uri Shop = new("https://shop.example");

    /// <summary>The baseline every test pays: a fake and a client made and disposed.</summary>
    [Benchmark(Baseline = true)]
    public async Task Create_and_dispose_a_fake_and_client()
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { SelfCheck = false });
        using var client = fake.CreateClient();
    }

    /// <summary>One run of ten virtual minutes, waited for with one advance.</summary>
    [Benchmark]
    public async Task<RunStatus> Wait_for_a_ten_minute_run_with_one_advance()
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { SelfCheck = false });
        using var client = fake.CreateClient();
        fake.Runs.WhenAny().CompletesAfter(TimeSpan.FromMinutes(10));
        var queued = await client.Automation.QueueRunAsync(new RunRequest { Url = Shop, Goal = "Slow" });
        var waiting = client.WaitForCompletionAsync(queued.RunId!, new RunWaitOptions { Timeout = TimeSpan.FromMinutes(15) });
        await fake.AdvanceAsync(TimeSpan.FromMinutes(11));
        return (await waiting).Status;
    }

    /// <summary>1,000 runs of 30 virtual seconds each, queued and awaited through the client, time moving by itself.</summary>
    [Benchmark]
    public async Task<int> Queue_and_await_a_thousand_thirty_second_runs()
    {
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { SelfCheck = false });
        using var client = fake.CreateClient();
        fake.Runs.WhenAny().CompletesAfter(TimeSpan.FromSeconds(30));
        var ids = await client.QueueRunsAsync(Enumerable.Range(0, 1_000).Select(i => new RunRequest { Url = Shop, Goal = $"Run {i}" }));
        var runs = await fake.RunAsync(() => client.WaitForAllAsync(ids));
        return runs.Count;
    }
}
