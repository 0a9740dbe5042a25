using System.Text.Json;
using TinyFish.FakeServer.Hosting;
using TinyFish.FakeServer.Json;
using TinyFish.FakeServer.Runs;
using TinyFish.FakeServer.Streaming;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>How <c>steps[].screenshot</c> is filled (the <c>screenshots</c> query of getRun).</summary>
internal enum ScreenshotMode
{
    Url,
    Base64,
    None,
}

/// <summary>
/// Turns a run as seen at one instant into the wire shapes. One per fake: its links are absolute
/// from <paramref name="publicUrl"/>, read per answer (the standalone fake knows its port only once it listens).
/// </summary>
/// <param name="links">The live-view and screenshot links of a run.</param>
/// <param name="publicUrl">The base of every absolute link.</param>
/// <param name="sendStreamingUrlAlias">Whether a run also carries <c>streamingUrl</c> (<see cref="FakeTinyFishOptions.SendStreamingUrlAlias"/>).</param>
internal sealed class RunMapper(LiveLinks links, PublicUrl publicUrl, bool sendStreamingUrlAlias)
{
    private static readonly string[] Actions = ["navigate", "click", "type", "scroll", "extract"];

    /// <summary>The live view exists once the browser has started.</summary>
    public string? StreamingUrl(RunView view) => view.State.StartedAt is null ? null : links.PageUrl(publicUrl.Value, view.Run.Id);

    public RunDto Run(RunView view, ScreenshotMode screenshots = ScreenshotMode.Url)
    {
        var run = view.Run;
        var state = view.State;
        var streamingUrl = StreamingUrl(view);
        return new RunDto
        {
            RunId = run.Id,
            Status = state.Status.ToWire(),
            Goal = run.Request.Goal,
            CreatedAt = Utc(run.CreatedAt),
            StartedAt = Utc(state.StartedAt),
            FinishedAt = Utc(state.FinishedAt),
            NumOfSteps = state.NumOfSteps,
            Result = state.Status == RunStatus.Completed ? run.Plan.Ending.Result : null,
            Error = state.Status == RunStatus.Failed ? Error(run.Plan.Ending.Failure) : null,
            StreamingUrl = streamingUrl,
            BrowserConfig = new BrowserConfigDto(run.Request.ProxyEnabled, run.Request.ProxyCountryCode),
            VideoUrl = null,
            Steps = Steps(view, screenshots),
            OutputSchema = run.Request.OutputSchema,
            ProfileAttached = run.Request.ProfileAttached,
            ProfileId = run.Request.ProfileId,
            Extra = sendStreamingUrlAlias
                ? new Dictionary<string, JsonElement>(1) { ["streamingUrl"] = streamingUrl is null ? NullElement : JsonSerializer.SerializeToElement(streamingUrl, FakeJsonContext.Wire.String) }
                : null,
        };
    }

    public SyncRunResponseDto SyncRun(RunView view) => new()
    {
        RunId = view.Run.Id,
        Status = view.State.Status.ToWire(),
        StartedAt = Utc(view.State.StartedAt),
        FinishedAt = Utc(view.State.FinishedAt),
        NumOfSteps = view.State.NumOfSteps,
        Result = view.State.Status == RunStatus.Completed ? view.Run.Plan.Ending.Result : null,
        Error = view.State.Status == RunStatus.Failed ? Error(view.Run.Plan.Ending.Failure) : null,
    };

    public static CancelRunResponseDto Cancel(CancelResult result)
    {
        var view = result.View!.Value;
        var message = result.Outcome switch
        {
            CancelOutcome.AlreadyCancelled => "Run already cancelled",
            CancelOutcome.AlreadyFinished => "Run already finished",
            _ => null,
        };
        return new CancelRunResponseDto(view.Run.Id, view.State.Status.ToWire(), Utc(view.State.CancelledAt), message);
    }

    public static RunErrorDto? Error(RunFailure? failure) => failure is null
        ? null
        : new RunErrorDto(failure.Code, failure.Message, failure.Category.ToWire(), failure.RetryAfterSeconds, failure.HelpUrl, failure.HelpMessage);

    /// <summary>The error a COMPLETE event carries for a cancelled run (the spec: error set when not COMPLETED).</summary>
    public static RunErrorDto CancelledError { get; } = new("RUN_CANCELLED", "Run was cancelled", FailureCategory.Unknown.ToWire(), null, null, null);

    public static DateTime Utc(DateTimeOffset instant) => instant.UtcDateTime;

    public static DateTime? Utc(DateTimeOffset? instant) => instant?.UtcDateTime;

    private List<RunStepDto> Steps(RunView view, ScreenshotMode screenshots)
    {
        var steps = new List<RunStepDto>(view.State.StepsSoFar);
        var baseUrl = publicUrl.Value;
        for (var i = 0; i < view.State.StepsSoFar; i++)
        {
            var screenshot = screenshots switch
            {
                ScreenshotMode.Base64 => Convert.ToBase64String(StepScreenshots.Png(i + 1)),
                ScreenshotMode.None => null,
                _ => links.ScreenshotUrl(baseUrl, view.Run.Id, i + 1),
            };
            steps.Add(new RunStepDto(
                $"step_{i + 1}",
                Utc(RunSchedule.ProgressAt(view.Run, i)),
                view.Run.Plan.ProgressPurposes[i],
                i == 0 ? "navigate" : Actions[1 + (i % (Actions.Length - 1))],
                view.Run.Request.Url,
                screenshot));
        }
        return steps;
    }

    private static readonly JsonElement NullElement = JsonSerializer.Deserialize("null", FakeJsonContext.Wire.JsonElement);
}
