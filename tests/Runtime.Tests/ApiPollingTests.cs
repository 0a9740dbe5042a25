using Tests.Shared;
using TinyFish.FakeServer;
using TinyFish.Toolkit.Runtime;

namespace Runtime.Tests;

/// <summary>Polling on the retry machinery: the schedule, the timeout and the end of polling, on a fake clock.</summary>
public sealed class ApiPollingTests
{
    private static readonly ApiPollSchedule Schedule = new(TimeSpan.FromSeconds(2), 1.5, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30));

    [Test]
    public async Task Polls_wait_on_the_schedule_growing_by_the_factor_up_to_the_longest_gap()
    {
        var time = new VirtualClock();
        var reads = 0;
        var polling = ApiPolling.PollAsync(_ => new ValueTask<string?>(++reads == 4 ? "done" : null), Schedule, time, _ => new TimeoutException(), CancellationToken.None);

        var gaps = new List<TimeSpan>();
        foreach (var gap in new[] { 2.0, 3.0, 4.0 })
        {
            gaps.Add(await NextWaitAsync(time));
            await time.AdvanceAsync(TimeSpan.FromSeconds(gap));
        }

        Assert.That(await polling.Within(), Is.EqualTo("done"));
        Assert.That(reads, Is.EqualTo(4));
        Assert.That(gaps, Is.EqualTo(new[] { 2.0, 3.0, 4.0 }.Select(TimeSpan.FromSeconds)));
    }

    [Test]
    public async Task After_the_timeout_the_last_gap_is_cut_short_and_the_callers_exception_is_thrown()
    {
        var time = new VirtualClock();
        var schedule = Schedule with { Timeout = TimeSpan.FromSeconds(4) };
        var polling = ApiPolling.PollAsync(_ => new ValueTask<string?>((string?)null), schedule, time, waited => new TimeoutException($"waited {waited.TotalSeconds} s"), CancellationToken.None);

        var first = await NextWaitAsync(time);
        await time.AdvanceAsync(TimeSpan.FromSeconds(2));
        var second = await NextWaitAsync(time);   // the schedule says 3 s, but only 2 are left
        await time.AdvanceAsync(TimeSpan.FromSeconds(2));

        var e = Assert.ThrowsAsync<TimeoutException>(async () => await polling.Within());
        Assert.That(e!.Message, Is.EqualTo("waited 4 s"));
        Assert.That(new[] { first, second }, Is.EqualTo(new[] { 2.0, 2.0 }.Select(TimeSpan.FromSeconds)));
    }

    /// <summary>How long the polling waits now: the one timer on the clock, once the polling is at rest.</summary>
    private static async Task<TimeSpan> NextWaitAsync(VirtualClock time)
    {
        await time.WhenIdleAsync();
        return time.PendingTimers.Single() - time.GetUtcNow();
    }

    [Test]
    public void An_exception_from_a_read_ends_the_polling_at_once()
    {
        var reads = 0;
        var polling = ApiPolling.PollAsync<string>(_ =>
        {
            reads++;
            throw new InvalidOperationException("gone");
        }, Schedule, new VirtualClock(), _ => new TimeoutException(), CancellationToken.None);

        Assert.ThrowsAsync<InvalidOperationException>(async () => await polling);
        Assert.That(reads, Is.EqualTo(1));
    }

    [Test]
    public void A_schedule_out_of_range_is_refused_with_its_name()
    {
        var e = Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ApiPolling.PollAsync(_ => new ValueTask<string?>("x"), Schedule with { BackoffFactor = 0.5 }, TimeProvider.System, _ => new TimeoutException(), CancellationToken.None));

        Assert.That(e!.ParamName, Is.EqualTo("BackoffFactor"));
    }
}
