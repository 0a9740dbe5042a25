using TinyFish.Runs;

namespace TestingYourCode;

/// <summary>
/// The code under test: a small app that reads prices with TinyFish runs. It waits, polls, retries
/// and gives up on its own clock — which a test replaces with the fake's.
/// </summary>
public sealed class PriceWatcher(TinyFishClient client, TimeProvider clock)
{
    /// <summary>How long the app lets a run take before it cancels it.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The price the agent found, or null with the reason it gave; retries a retryable failure once.</summary>
    public async Task<(string? Price, string? Problem)> ReadPriceAsync(Uri shop, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var queued = await client.Automation.QueueRunAsync(new RunRequest { Url = shop, Goal = "Find the price" }, cancellationToken);
            var run = await client.WaitForCompletionAsync(queued.RunId!, new RunWaitOptions { Timeout = TimeSpan.FromMinutes(15) }, cancellationToken);
            switch (RunOutcome.From(run))
            {
                case RunOutcome.Succeeded s:
                    return (s.Result?.GetProperty("price").GetString(), null);
                case RunOutcome.GoalFailed g:
                    return (null, g.Reason);
                case RunOutcome.InfrastructureFailed { IsRetryable: true } f when attempt == 1:
                    await Task.Delay(f.RetryAfter ?? TimeSpan.FromSeconds(5), clock, cancellationToken);
                    continue;
                case RunOutcome.InfrastructureFailed f:
                    return (null, f.Message);
                default:
                    return (null, "cancelled");
            }
        }
    }

    /// <summary>Starts a run and cancels it when it takes longer than <see cref="GiveUpAfter"/>; true when it finished in time.</summary>
    public async Task<bool> CheckOrGiveUpAsync(Uri shop, CancellationToken cancellationToken = default)
    {
        var queued = await client.Automation.QueueRunAsync(new RunRequest { Url = shop, Goal = "Check stock" }, cancellationToken);
        using var patience = new CancellationTokenSource(GiveUpAfter, clock);
        try
        {
            await client.WaitForCompletionAsync(queued.RunId!, new RunWaitOptions { Timeout = TimeSpan.FromHours(1) }, patience.Token);
            return true;
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested)
        {
            await client.Runs.CancelRunAsync(queued.RunId!, cancellationToken);
            return false;
        }
    }

    /// <summary>How many past runs failed their goal, walking every page of the history.</summary>
    public async Task<int> CountFailedGoalsAsync(CancellationToken cancellationToken = default)
    {
        var failed = 0;
        await foreach (var run in client.Runs.ListRunsAllAsync(status: RunStatus.Completed, limit: 100, cancellationToken: cancellationToken))
        {
            if (RunOutcome.From(run) is RunOutcome.GoalFailed) failed++;
        }
        return failed;
    }

    /// <summary>Streams a run and returns what its steps were about and how it ended.</summary>
    public async Task<(IReadOnlyList<string> Steps, RunStatus Status)> WatchAsync(Uri shop, CancellationToken cancellationToken = default)
    {
        var steps = new List<string>();
        var options = new RunStreamOptions { IdleTimeout = TimeSpan.FromSeconds(30) };
        await foreach (var e in client.RunAndStreamAsync(new RunRequest { Url = shop, Goal = "Watch the price" }, options, cancellationToken))
        {
            switch (e)
            {
                case ProgressEvent p:
                    steps.Add(p.Purpose);
                    break;
                case CompleteEvent c:
                    return (steps, c.Status);
            }
        }
        throw new InvalidOperationException("The stream ended without a COMPLETE event.");
    }
}
