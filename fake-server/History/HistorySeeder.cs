using TinyFish.FakeServer.Runs;
using TinyFish.FakeServer.Scenarios;

namespace TinyFish.FakeServer.History;

/// <summary>
/// Makes up finished past runs (Bogus words, see <see cref="FakeData"/>): created over the 30 days before "now" (at least an hour
/// before it, so all are finished), about 70 % COMPLETED with a result, 10 % COMPLETED with a goal
/// failure, 12 % FAILED (system, agent or unknown failures; never BILLING_FAILURE, which the official
/// TypeScript SDK rejects) and 8 % CANCELLED. One generator seeded with the seed makes them in
/// order, so the same seed and count give the same runs.
/// </summary>
internal static class HistorySeeder
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);
    private static readonly TimeSpan Margin = TimeSpan.FromHours(1);

    private static readonly (FailureCategory Category, string Code, string Message, int? RetryAfter)[] Failures =
    [
        (FailureCategory.SystemFailure, "BROWSER_CRASHED", "The browser session ended unexpectedly", 30),
        (FailureCategory.SystemFailure, "CAPACITY_EXHAUSTED", "No browser was available in time", 60),
        (FailureCategory.AgentFailure, "SITE_UNREACHABLE", "The site could not be reached", null),
        (FailureCategory.AgentFailure, "MAX_STEPS_REACHED", "The agent used every step it was allowed", null),
        (FailureCategory.Unknown, "UNEXPECTED", "Something went wrong", 10),
    ];

    private static readonly string[] ProxyCountries = ["US", "GB", "CA", "DE", "FR", "JP", "AU"];

    private static readonly string[] GoalFailureReasons =
    [
        "Could not find any products on the page",
        "The page asked for a login the agent does not have",
        "A CAPTCHA blocked the agent",
        "The requested item is no longer listed",
    ];

    public static IEnumerable<RunRecord> Generate(int count, int seed, DateTimeOffset now, FakeTinyFishOptions options)
    {
        var random = new FakeRandom(seed);
        var ids = new RunIdGenerator(FakeData.Mix(seed, 0x5EED));
        var earliest = now - Window;
        var span = (Window - Margin).Ticks;
        for (var i = 0; i < count; i++)
        {
            var (url, goal) = FakeData.UrlAndGoal(ref random);
            var createdAt = earliest + TimeSpan.FromTicks(random.Long(0, span) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond);
            var proxy = random.Chance(0.2);
            var request = new RunRequestData(url, goal, proxy, proxy ? random.Pick(ProxyCountries) : null, null, false, null);
            var queued = TimeSpan.FromMilliseconds(random.Int(200, 5_000));
            var running = TimeSpan.FromMilliseconds(random.Int(3_000, 180_000));
            var purposes = FakeData.Purposes(ref random, url, random.Int(1, 8));
            var roll = random.Int(0, 99);
            RunEnding ending = roll switch
            {
                < 70 => FakeData.LaterResult(ref random, url),
                < 80 => RunEnding.Completed(FakeData.GoalFailure(random.Pick(GoalFailureReasons))),
                < 92 => Failure(random.Pick(Failures)),
                _ => FakeData.LaterResult(ref random, url),
            };
            var plan = new RunPlan(queued, running, ending, purposes, options.ProgressIntervalWhenEndless);
            var run = new RunRecord(ids.Next(), createdAt, RunOrigin.History, request, plan);
            if (roll >= 92) run.CancelledAt = createdAt + TimeSpan.FromTicks((long)((queued + running).Ticks * random.Double(0.05, 0.95)));
            yield return run;
        }
    }

    private static RunEnding Failure((FailureCategory Category, string Code, string Message, int? RetryAfter) failure) =>
        RunEnding.Failed(new RunFailure(failure.Category, failure.Message, failure.RetryAfter, failure.Code));
}
