using System.Runtime.CompilerServices;
using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs;

public partial class TinyFishClient
{
    /// <summary>
    /// Starts a run over <c>/v1/automation/run-sse</c> and yields its events. The stream has no
    /// resumption, so if it drops (or ends without <c>COMPLETE</c>) after the run's id is known,
    /// this polls the run until it finishes and ends with a <see cref="CompleteEvent"/> built from
    /// the run: the last event is always a <see cref="CompleteEvent"/>.
    /// </summary>
    /// <param name="request">The run to start.</param>
    /// <param name="waitOptions">How to poll after a dropped stream.</param>
    /// <param name="includeHeartbeats">Whether to yield the stream's <see cref="HeartbeatEvent"/>s (default: skipped).</param>
    /// <param name="cancellationToken">Stops the stream (the run itself goes on; cancel it with CancelRunAsync).</param>
    /// <exception cref="ApiStreamInterruptedException">The stream dropped before it named the run, so nothing can be polled.</exception>
    /// <exception cref="ApiResponseFormatException">The stream ended without naming the run.</exception>
    public async IAsyncEnumerable<RunEvent> RunAndStreamAsync(
        RunRequest request, RunWaitOptions? waitOptions = null, bool includeHeartbeats = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? runId = null;
        var events = Automation.StreamRunAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                RunEvent current;
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false)) break;
                    current = events.Current;
                }
                catch (ApiStreamInterruptedException) when (runId is not null)
                {
                    break;
                }
                runId ??= RunIdOf(current);
                if (current is HeartbeatEvent && !includeHeartbeats) continue;
                yield return current;
                if (current is CompleteEvent) yield break;
            }
        }

        if (runId is null)
        {
            // A drop before the run was named propagates from MoveNextAsync above; this is a clean
            // end of a stream that never said which run it was about.
            throw new ApiResponseFormatException("streamRun",
                new InvalidDataException("The event stream ended before it named the run, so the run cannot be followed by polling."));
        }
        var run = await WaitForCompletionAsync(runId, waitOptions, cancellationToken).ConfigureAwait(false);
        yield return new CompleteEvent
        {
            RunId = run.RunId,
            Status = run.Status,
            Result = run.Result,
            Error = run.Error,
            Timestamp = Pipeline.Options.TimeProvider.GetUtcNow(),
        };
    }

    private static string? RunIdOf(RunEvent runEvent) => runEvent switch
    {
        StartedEvent e => e.RunId,
        StreamingUrlEvent e => e.RunId,
        ProgressEvent e => e.RunId,
        CompleteEvent e => e.RunId,
        _ => null,
    };
}
