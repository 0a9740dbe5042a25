using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Runs.Testing;
using TinyFish.Toolkit.Runtime;

namespace Integration.Tests;

/// <summary>
/// The fake's virtual clock driving both sides, as a user's tests use it through the test kit: one
/// advance and one await, with the client's polls, retries and timeouts on the same clock.
/// </summary>
public class VirtualTimeTests : FakeTinyFishTest
{
    private static RunRequest Request(string goal = "Find the price") => new() { Url = new Uri("https://shop.example"), Goal = goal };

    private IEnumerable<string> Timeline() =>
        Fake.Journal.Entries.Select(e => $"{(e.ReceivedAt - FakeTinyFishOptions.DefaultStartTime).TotalSeconds:0.###}s {e.Method} {e.Path} {e.StatusCode}");

    [Test]
    public async Task One_advance_then_one_await_finishes_a_wait_on_the_documented_poll_schedule()
    {
        var id = (await Client.Automation.QueueRunAsync(Request())).RunId!;

        var wait = Client.WaitForCompletionAsync(id);
        await Fake.AdvanceAsync(TimeSpan.FromMinutes(2));
        var run = await wait.Within();

        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(Fake.Journal.Find("GET", "/v1/runs/" + id).Select(e => (e.ReceivedAt - FakeTinyFishOptions.DefaultStartTime).TotalSeconds),
                Is.EqualTo(new[] { 0, 2, 5, 9.5, 16.25 }), "polls 2 s apart, ×1.5");
        });
    }

    [Test]
    public async Task An_intermediate_state_stays_visible_after_a_short_advance()
    {
        var id = (await Client.Automation.QueueRunAsync(Request())).RunId!;
        var wait = Client.WaitForCompletionAsync(id);

        await Fake.AdvanceAsync(TimeSpan.FromSeconds(1));
        var running = await Client.Runs.GetRunAsync(id);
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(20));

        Assert.Multiple(async () =>
        {
            Assert.That(running.Status, Is.EqualTo(RunStatus.Running));
            Assert.That((await wait.Within()).Status, Is.EqualTo(RunStatus.Completed));
        });
    }

    [Test]
    public async Task A_long_advance_over_an_answered_call_does_not_time_it_out()
    {
        var list = Client.Runs.ListRunsAsync();
        await Fake.AdvanceAsync(TimeSpan.FromMinutes(5));   // far past the client's 60 s per-attempt timeout

        var page = await list.Within();

        Assert.Multiple(() =>
        {
            Assert.That(page.Data, Is.Empty);
            Assert.That(Fake.Journal.Find("GET", "/v1/runs"), Has.Count.EqualTo(1), "answered once, not timed out and retried");
        });
    }

    [Test]
    public async Task A_rate_limited_create_is_sent_again_exactly_after_Retry_After()
    {
        Fake.Faults.NextRequest().To("POST", "/v1/automation/run-async").AreRateLimited(TimeSpan.FromSeconds(7));

        var queued = Client.Automation.QueueRunAsync(Request());
        await Fake.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(async () =>
        {
            Assert.That((await queued.Within()).RunId, Is.Not.Null);
            Assert.That(Timeline(), Is.EqualTo(new[] { "0s POST /v1/automation/run-async 429", "7s POST /v1/automation/run-async 200" }));
        });
    }

    [Test]
    public async Task RunAsync_moves_time_by_itself_until_WaitForAll_over_20_runs_is_done()
    {
        var ids = await Client.QueueRunsAsync(Enumerable.Range(0, 20).Select(i => Request($"run {i}")));

        var runs = await Fake.RunAsync(() => Client.WaitForAllAsync(ids)).Within();

        Assert.Multiple(() =>
        {
            Assert.That(runs.Select(r => r.Status), Is.All.EqualTo(RunStatus.Completed));
            Assert.That(Fake.Clock.GetUtcNow() - FakeTinyFishOptions.DefaultStartTime, Is.EqualTo(TimeSpan.FromSeconds(16.25)), "stopped at the poll that saw them all finished");
        });
    }

    [Test]
    public async Task RunAsync_fails_a_call_that_can_never_finish_naming_what_was_pending()
    {
        Fake.Runs.WhenGoalContains("forever").NeverFinishes();

        using var patient = Fake.CreateClient(o => o.Timeout = Timeout.InfiniteTimeSpan);   // no per-attempt timeout to end it

        var stall = Assert.ThrowsAsync<VirtualTimeStallException>(() => Fake.RunAsync(() => patient.Automation.RunAutomationAsync(Request("forever"))).Within());

        Assert.Multiple(() =>
        {
            Assert.That(stall!.Reason, Does.Contain("no timer is due"));
            Assert.That(stall.Message, Does.Contain("never finishes (scenario): \"forever\""));
            Assert.That(stall.Message, Does.Contain("request POST /v1/automation/run"));
        });
    }

    [Test]
    public async Task The_same_test_gives_the_same_timeline_every_time_under_load()
    {
        using var spinning = new CancellationTokenSource();
        var spinners = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() => { while (!spinning.IsCancellationRequested) { } }) { IsBackground = true }).ToList();
        spinners.ForEach(t => t.Start());
        try
        {
            var timelines = new HashSet<string>();
            for (var i = 0; i < 100; i++) timelines.Add(await OneScenarioAsync());
            Assert.That(timelines, Has.Count.EqualTo(1), string.Join("\n---\n", timelines));
        }
        finally
        {
            await spinning.CancelAsync();
            spinners.ForEach(t => t.Join());
        }
    }

    /// <summary>A retried create, a run that fails its goal and one that fails with retry_after, waited for with one advance.</summary>
    private static async Task<string> OneScenarioAsync()
    {
        await using var fake = new FakeTinyFish();
        using var client = fake.CreateClient();
        fake.Runs.WhenGoalContains("cart").FailsGoal("No cart");
        fake.Runs.WhenGoalContains("flaky").FailsWith(FailureCategory.SystemFailure, "Browser crashed", retryAfter: TimeSpan.FromSeconds(20));
        fake.Faults.NextRequest().To("POST", "/v1/automation/run-async").AreRateLimited(TimeSpan.FromSeconds(3));

        var first = client.Automation.QueueRunAsync(Request("cart"));
        await fake.AdvanceAsync(TimeSpan.FromSeconds(5));
        var second = await client.Automation.QueueRunAsync(Request("flaky"));
        var waits = client.WaitForAllAsync([(await first).RunId!, second.RunId!]);
        await fake.AdvanceAsync(TimeSpan.FromMinutes(1));
        var runs = await waits.Within();

        return string.Join("\n", fake.Journal.Entries.Select(e => $"{e.ReceivedAt:O} {e.Method} {e.Path} {e.StatusCode}")
            .Concat(runs.Select(r => $"{r.RunId} {r.Status.Value} {r.FinishedAt:O}")));
    }
}

/// <summary>The self-moving clock: a test just awaits the call under test.</summary>
public class AutoAdvanceTests : FakeTinyFishTest
{
    protected override FakeTinyFishOptions CreateFakeOptions() => new() { AutoAdvance = true };

    [Test]
    public async Task A_plain_await_of_a_ten_minute_wait_completes_with_the_virtual_minutes_passed()
    {
        Fake.Runs.WhenAny().CompletesAfter(TimeSpan.FromMinutes(10));
        var id = (await Client.Automation.QueueRunAsync(new RunRequest { Url = new Uri("https://shop.example"), Goal = "Slow" })).RunId!;

        var run = await Client.WaitForCompletionAsync(id, new RunWaitOptions { Timeout = TimeSpan.FromMinutes(15) }).Within();

        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(Fake.Clock.GetUtcNow() - FakeTinyFishOptions.DefaultStartTime, Is.GreaterThan(TimeSpan.FromMinutes(10)));
        });
    }

    protected override void ConfigureClient(ApiClientOptions options) => options.Timeout = Timeout.InfiniteTimeSpan;

    [Test]
    public void A_blocking_run_that_never_finishes_fails_instead_of_hanging()
    {
        Fake.Runs.WhenGoalContains("forever").NeverFinishes();

        var stall = Assert.ThrowsAsync<VirtualTimeStallException>(() =>
            Client.Automation.RunAutomationAsync(new RunRequest { Url = new Uri("https://shop.example"), Goal = "forever" }).Within());

        Assert.That(stall!.Message, Does.Contain("never finishes"));
    }
}
