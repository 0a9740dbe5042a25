using TinyFish.Toolkit.Runtime;

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
    public Task<Run> WaitForCompletionAsync(string runId, RunWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        Run? last = null;
        return PollAsync(
            async token =>
            {
                last = await Runs.GetRunAsync(runId, cancellationToken: token).ConfigureAwait(false);
                return IsTerminal(last.Status) ? last : null;
            },
            waited => new RunWaitTimeoutException(runId, last!.Status, waited),
            options,
            cancellationToken);
    }

    /// <summary>Whether a run in <paramref name="status"/> will not change any more.</summary>
    public static bool IsTerminal(RunStatus status) =>
        status == RunStatus.Completed || status == RunStatus.Failed || status == RunStatus.Cancelled;

    /// <summary>
    /// Calls <paramref name="poll"/> until it returns a value, on the schedule of <paramref name="options"/>
    /// and the client's clock (the runtime's <see cref="ApiPolling"/>, the retries' machinery); after the
    /// timeout, throws what <paramref name="timedOut"/> makes of the time waited.
    /// </summary>
    private Task<T> PollAsync<T>(
        Func<CancellationToken, Task<T?>> poll, Func<TimeSpan, Exception> timedOut, RunWaitOptions? options, CancellationToken cancellationToken)
        where T : class =>
        ApiPolling.PollAsync(
            async token => await poll(token).ConfigureAwait(false),
            (options ?? RunWaitOptions.Default).Schedule,
            Pipeline.Options.TimeProvider,
            timedOut,
            cancellationToken);
}
