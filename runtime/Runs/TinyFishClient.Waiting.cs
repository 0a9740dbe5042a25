namespace TinyFish.Runs;

public partial class TinyFishClient
{
    /// <summary>
    /// Polls <c>GET /v1/runs/{id}</c> until the run is COMPLETED, FAILED or CANCELLED, waiting on
    /// the client's <see cref="TimeProvider"/> between polls (see <see cref="RunWaitOptions"/>).
    /// </summary>
    /// <returns>The run in its terminal status; <see cref="RunOutcome.From(Run)"/> says what it amounts to.</returns>
    /// <exception cref="RunWaitTimeoutException">The run was not finished within the options' timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<Run> WaitForCompletionAsync(string runId, RunWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        options ??= RunWaitOptions.Default;
        options.Validate();
        var clock = Pipeline.Options.TimeProvider;
        var started = clock.GetTimestamp();
        var interval = options.InitialInterval;
        while (true)
        {
            var run = await Runs.GetRunAsync(runId, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (IsTerminal(run.Status)) return run;

            var waited = clock.GetElapsedTime(started);
            var left = options.Timeout - waited;
            if (left <= TimeSpan.Zero) throw new RunWaitTimeoutException(runId, run.Status, waited);
            await Task.Delay(interval < left ? interval : left, clock, cancellationToken).ConfigureAwait(false);
            interval = options.Next(interval);
        }
    }

    /// <summary>Whether a run in <paramref name="status"/> will not change any more.</summary>
    public static bool IsTerminal(RunStatus status) =>
        status == RunStatus.Completed || status == RunStatus.Failed || status == RunStatus.Cancelled;
}
