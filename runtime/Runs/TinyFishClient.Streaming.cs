using System.Runtime.CompilerServices;
using TinyFish.Toolkit.Runtime;

namespace TinyFish.Runs;

public partial class TinyFishClient
{
    /// <summary>
    /// Starts a run over <c>/v1/automation/run-sse</c> and yields its events. The stream has no
    /// resumption, so if it drops, goes silent for <see cref="RunStreamOptions.IdleTimeout"/>, or ends
    /// without <c>COMPLETE</c> after the run's id is known, this polls the run until it finishes and
    /// ends with a <see cref="CompleteEvent"/> built from the run: the last event is always a
    /// <see cref="CompleteEvent"/>.
    /// </summary>
    /// <param name="request">The run to start.</param>
    /// <param name="options">Heartbeats, the silence allowed, and how to poll after a drop (default <see cref="RunStreamOptions.Default"/>).</param>
    /// <param name="cancellationToken">Stops the stream (the run itself goes on; cancel it with CancelRunAsync).</param>
    /// <exception cref="ApiStreamInterruptedException">The stream dropped or went silent before it named the run, so nothing can be polled.</exception>
    /// <exception cref="ApiResponseFormatException">The stream ended without naming the run.</exception>
    /// <exception cref="RunWaitTimeoutException">The stream dropped and polling did not see the run finish within <see cref="RunWaitOptions.Timeout"/>.</exception>
    public async IAsyncEnumerable<RunEvent> RunAndStreamAsync(
        RunRequest request, RunStreamOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        options ??= RunStreamOptions.Default;
        options.Validate();

        string? runId = null;
        var received = 0;
        // The silence timer runs on the client's clock, so a test's fake clock decides when a stream has
        // gone quiet. It runs only while waiting for the next event: a slow consumer is not a silent server.
        using var silence = new CancellationTokenSource(Timeout.InfiniteTimeSpan, Pipeline.Options.TimeProvider);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        var events = Automation.StreamRunAsync(request, reading.Token).GetAsyncEnumerator(reading.Token);
        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                RunEvent current;
                try
                {
                    silence.CancelAfter(options.IdleTimeout);
                    if (!await events.MoveNextAsync().ConfigureAwait(false)) break;
                    silence.CancelAfter(Timeout.InfiniteTimeSpan);
                    current = events.Current;
                }
                catch (ApiStreamInterruptedException) when (runId is not null)
                {
                    break;
                }
                catch (Exception silent) when (silent is OperationCanceledException or IOException
                    && silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // A read cancelled by the silence timer surfaces as either, depending on the handler.
                    if (runId is not null) break;
                    throw new ApiStreamInterruptedException("streamRun", received,
                        new TimeoutException($"No event for {options.IdleTimeout} (RunStreamOptions.IdleTimeout).", silent));
                }
                received++;
                runId ??= RunIdOf(current);
                if (current is HeartbeatEvent && !options.IncludeHeartbeats) continue;
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
        var run = await WaitForCompletionAsync(runId, options.Wait, cancellationToken).ConfigureAwait(false);
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
