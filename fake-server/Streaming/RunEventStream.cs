using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Endpoints;
using TinyFish.FakeServer.Json;
using TinyFish.FakeServer.Runs;
using TinyFish.FakeServer.Time;

namespace TinyFish.FakeServer.Streaming;

/// <summary>
/// Writes one run's Server-Sent Events, each as a single <c>data: {json}</c> line, on the fake's
/// clock. Every event is derived from the run's schedule, stamped with the instant it happened
/// (not the instant it was written), and written once: STARTED (created_at), STREAMING_URL
/// (started_at), PROGRESS (one per step), HEARTBEAT (every interval since the stream opened, while
/// the run is live) and COMPLETE (finished_at or cancelled_at). A stream that opens late (the live
/// view) first replays what already happened.
/// </summary>
/// <param name="store">Where the run is read, and its changes waited for.</param>
/// <param name="clock">The instant events are due, and the waits for them.</param>
/// <param name="mapper">The run's <c>streaming_url</c>.</param>
/// <param name="heartbeatInterval"><see cref="FakeTinyFishOptions.HeartbeatInterval"/> (zero: none).</param>
internal sealed class RunEventStream(RunStore store, ClockCoordinator clock, RunMapper mapper, TimeSpan heartbeatInterval)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] FrameEnd = "\n\n"u8.ToArray();

    /// <summary>Writes the events of <paramref name="runId"/> to the response until the run ends (COMPLETE) or <paramref name="cancellationToken"/> ends the stream.</summary>
    public async Task WriteAsync(HttpContext context, string runId, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var sent = new SentEvents();
        var nextHeartbeat = clock.Now + heartbeatInterval;
        var changed = store.ChangedToken(runId);
        while (true)
        {
            var now = clock.Now;
            var view = store.Find(runId)!.Value;
            var endedAt = view.State.Status.IsTerminal() ? view.State.FinishedAt : null;
            var frames = new List<(DateTimeOffset At, int Order, byte[] Json)>();
            CollectRunEvents(view, ref sent, frames);
            while (heartbeatInterval > TimeSpan.Zero && nextHeartbeat <= now && (endedAt is null || nextHeartbeat < endedAt))
            {
                frames.Add((nextHeartbeat, 3, Serialize(new HeartbeatEventDto("HEARTBEAT", RunMapper.Utc(nextHeartbeat)), FakeJsonContext.Wire.HeartbeatEventDto)));
                nextHeartbeat += heartbeatInterval;
            }
            if (endedAt is { } end)
            {
                frames.Add((end, 4, Serialize(Complete(view, end), FakeJsonContext.Wire.CompleteEventDto)));
            }
            await WriteAsync(context, frames.OrderBy(static frame => frame.At).ThenBy(static frame => frame.Order), cancellationToken).ConfigureAwait(false);
            if (endedAt is not null) return;

            DateTimeOffset? due = heartbeatInterval > TimeSpan.Zero ? nextHeartbeat : null;
            if (NextRunEventAt(view) is { } next && (due is null || next < due)) due = next;
            await clock.WaitAsync(context, due, changed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What one stream has written of the run's own events.</summary>
    private struct SentEvents
    {
        public bool Started;
        public bool StreamingUrl;
        public int Progress;
    }

    private void CollectRunEvents(RunView view, ref SentEvents sent, List<(DateTimeOffset, int, byte[])> frames)
    {
        var run = view.Run;
        if (!sent.Started)
        {
            sent.Started = true;
            frames.Add((run.CreatedAt, 0, Serialize(new StartedEventDto("STARTED", run.Id, RunMapper.Utc(run.CreatedAt)), FakeJsonContext.Wire.StartedEventDto)));
        }
        if (!sent.StreamingUrl && view.State.StartedAt is { } startedAt)
        {
            sent.StreamingUrl = true;
            frames.Add((startedAt, 1, Serialize(new StreamingUrlEventDto("STREAMING_URL", run.Id, mapper.StreamingUrl(view)!, RunMapper.Utc(startedAt)), FakeJsonContext.Wire.StreamingUrlEventDto)));
        }
        for (; sent.Progress < view.State.StepsSoFar; sent.Progress++)
        {
            var at = RunSchedule.ProgressAt(run, sent.Progress);
            frames.Add((at, 2, Serialize(new ProgressEventDto("PROGRESS", run.Id, run.Plan.ProgressPurposes[sent.Progress], RunMapper.Utc(at)), FakeJsonContext.Wire.ProgressEventDto)));
        }
    }

    /// <summary>When the run's next own event (start, a step, its end) is due; null when none is scheduled.</summary>
    private static DateTimeOffset? NextRunEventAt(RunView view)
    {
        var run = view.Run;
        if (view.State.StartedAt is null) return RunSchedule.StartAt(run);
        DateTimeOffset? next = view.State.StepsSoFar < run.Plan.ProgressPurposes.Length ? RunSchedule.ProgressAt(run, view.State.StepsSoFar) : null;
        if (RunSchedule.FinishAt(run) is { } finish && (next is null || finish < next)) next = finish;
        return next;
    }

    private static CompleteEventDto Complete(RunView view, DateTimeOffset at)
    {
        var (result, error) = view.State.Status switch
        {
            RunStatus.Completed => (view.Run.Plan.Ending.Result, (RunErrorDto?)null),
            RunStatus.Failed => (null, RunMapper.Error(view.Run.Plan.Ending.Failure)),
            _ => ((JsonElement?)null, RunMapper.CancelledError),
        };
        return new CompleteEventDto("COMPLETE", view.Run.Id, view.State.Status.ToWire(), RunMapper.Utc(at), result, error);
    }

    private async Task WriteAsync(HttpContext context, IEnumerable<(DateTimeOffset At, int Order, byte[] Json)> frames, CancellationToken cancellationToken)
    {
        var body = context.Response.BodyWriter;
        var any = false;
        foreach (var frame in frames)
        {
            body.Write(DataPrefix);
            body.Write(frame.Json);
            body.Write(FrameEnd);
            any = true;
        }
        if (!context.Response.HasStarted)
        {
            // The first flush starts the response (even with no event yet, so the client sees the
            // headers), which the transport may finish asynchronously: that is work, not waiting.
            await body.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!any) return;
        var flush = body.FlushAsync(cancellationToken);
        if (flush.IsCompleted)
        {
            await flush.ConfigureAwait(false);
            return;
        }
        // A later flush that does not complete is back-pressure from a client that does not read, and
        // must not stall the fake's clock: the stream counts as idle meanwhile.
        using (clock.Idle(context))
        {
            await flush.ConfigureAwait(false);
        }
    }

    private static byte[] Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);
}
