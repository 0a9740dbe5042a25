using TinyFish.FakeServer;
using TinyFish.Runs;
using TinyFish.Runs.Testing;

namespace TestingYourCode;

/// <summary>
/// Tests of code that waits, polls, retries and gives up — each one advance and one await on the
/// fake's clock, which the client and the app share.
/// </summary>
public class PriceWatcherTests : FakeTinyFishTest
{
    private static readonly Uri Shop = new("https://shop.example/widget");

    private PriceWatcher Watcher => new(Client, Fake.Clock);

    [Test]
    public async Task Reads_the_price_from_a_run_that_completes_with_a_result()
    {
        Fake.Runs.WhenAny().CompletesAfter(TimeSpan.FromSeconds(40)).WithResult("""{"price":"$12.99"}""");

        var reading = Watcher.ReadPriceAsync(Shop);
        await Fake.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.That(await reading, Is.EqualTo(("$12.99", (string?)null)));
    }

    [Test]
    public async Task Reports_the_agents_reason_when_the_goal_fails()
    {
        Fake.Runs.WhenAny().FailsGoal("The page shows no price");

        var reading = Watcher.ReadPriceAsync(Shop);
        await Fake.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.That(await reading, Is.EqualTo(((string?)null, "The page shows no price")));
    }

    [Test]
    public async Task Retries_a_system_failure_after_the_retry_after_the_API_gave()
    {
        Fake.Runs.WhenAny().FailsWith(FailureCategory.SystemFailure, "Browser crashed", retryAfter: TimeSpan.FromSeconds(30)).Once();
        Fake.Runs.WhenAny().WithResult("""{"price":"$9.50"}""");

        var reading = Watcher.ReadPriceAsync(Shop);
        await Fake.AdvanceAsync(TimeSpan.FromMinutes(2));

        var creates = Fake.Journal.Find("POST", "/v1/automation/run-async");
        Assert.Multiple(async () =>
        {
            Assert.That(await reading, Is.EqualTo(("$9.50", (string?)null)));
            Assert.That(creates[1].ReceivedAt - creates[0].ReceivedAt, Is.EqualTo(TimeSpan.FromSeconds(16.25 + 30)), "seen failed at the poll at 16.25 s, retried 30 s later");
        });
    }

    [Test]
    public async Task Cancels_a_run_that_stays_stuck_past_the_apps_own_timeout()
    {
        Fake.Runs.WhenAny().NeverFinishes();

        var checking = Watcher.CheckOrGiveUpAsync(Shop);
        await Fake.AdvanceAsync(TimeSpan.FromMinutes(3));

        Assert.Multiple(async () =>
        {
            Assert.That(await checking, Is.False);
            var cancel = Fake.Journal.Find("POST", "/v1/runs/").Single(e => e.Path.EndsWith("/cancel", StringComparison.Ordinal));
            Assert.That(cancel.ReceivedAt - FakeTinyFishOptions.DefaultStartTime, Is.EqualTo(TimeSpan.FromMinutes(2)), "cancelled when the app's patience ran out");
        });
    }

    [Test]
    public async Task Pages_through_a_thousand_runs_of_history()
    {
        Fake.SeedHistory(1_000, seed: 7);
        var expected = 0;
        await foreach (var run in Client.Runs.ListRunsAllAsync(status: RunStatus.Completed, limit: 100))
        {
            if (RunOutcome.From(run) is RunOutcome.GoalFailed) expected++;
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await Watcher.CountFailedGoalsAsync(), Is.EqualTo(expected).And.GreaterThan(0));
            Assert.That(Fake.Journal.Find("GET", "/v1/runs").Count, Is.GreaterThanOrEqualTo(2 * 5), "every page, twice");
        });
    }

    [Test]
    public async Task Follows_a_silent_stream_by_polling_until_the_run_ends()
    {
        // A fake of its own that sends no heartbeats, so the stream really goes silent.
        await using var fake = new FakeTinyFish(new FakeTinyFishOptions { HeartbeatInterval = TimeSpan.Zero });
        using var client = fake.CreateClient();
        fake.Runs.WhenAny().EmitsProgress(0).CompletesAfter(TimeSpan.FromMinutes(2));

        var watching = new PriceWatcher(client, fake.Clock).WatchAsync(Shop);
        await fake.AdvanceAsync(TimeSpan.FromMinutes(3));

        var (steps, status) = await watching;
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(RunStatus.Completed));
            Assert.That(steps, Is.Empty);
            Assert.That(fake.Journal.Find("GET", "/v1/runs/"), Is.Not.Empty, "after 30 s of silence the run was polled");
        });
    }

    [Test]
    public async Task Waits_out_a_rate_limited_create_and_carries_on()
    {
        Fake.Faults.NextRequest().To("POST", "/v1/automation/run-async").AreRateLimited(TimeSpan.FromSeconds(20));
        Fake.Runs.WhenAny().WithResult("""{"price":"$3"}""");

        var reading = Watcher.ReadPriceAsync(Shop);
        await Fake.AdvanceAsync(TimeSpan.FromMinutes(1));

        var creates = Fake.Journal.Find("POST", "/v1/automation/run-async");
        Assert.Multiple(async () =>
        {
            Assert.That(await reading, Is.EqualTo(("$3", (string?)null)));
            Assert.That(creates.Select(e => e.StatusCode), Is.EqualTo(new[] { 429, 200 }));
            Assert.That(creates[1].ReceivedAt - creates[0].ReceivedAt, Is.EqualTo(TimeSpan.FromSeconds(20)));
        });
    }
}

/// <summary>The same code with a clock that moves by itself: the test just awaits.</summary>
public class PriceWatcherWithSelfMovingTimeTests : FakeTinyFishTest
{
    protected override FakeTinyFishOptions CreateFakeOptions() => new() { AutoAdvance = true };

    [Test]
    public async Task Reads_a_price_that_takes_ten_minutes_without_waiting_for_them()
    {
        Fake.Runs.WhenAny().CompletesAfter(TimeSpan.FromMinutes(10)).WithResult("""{"price":"$1"}""");
        var watcher = new PriceWatcher(Client, Fake.Clock);

        var (price, _) = await watcher.ReadPriceAsync(new Uri("https://shop.example"));

        Assert.Multiple(() =>
        {
            Assert.That(price, Is.EqualTo("$1"));
            Assert.That(Fake.Clock.GetUtcNow() - FakeTinyFishOptions.DefaultStartTime, Is.GreaterThan(TimeSpan.FromMinutes(10)));
        });
    }
}
