using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TinyFish.FakeServer.Hosting;
using TinyFish.FakeServer.Json;
using TinyFish.FakeServer.Runs;
using TinyFish.FakeServer.Streaming;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>The four ways to start a run: <c>/v1/automation/run</c>, <c>run-async</c>, <c>run-sse</c>, <c>run-batch</c>.</summary>
internal static class AutomationEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, FakeState state)
    {
        routes.MapPost("/v1/automation/run", context => RunAsync(context, state));
        routes.MapPost("/v1/automation/run-async", context => QueueAsync(context, state));
        routes.MapPost("/v1/automation/run-sse", context => StreamAsync(context, state));
        routes.MapPost("/v1/automation/run-batch", context => QueueBatchAsync(context, state));
    }

    /// <summary>Blocking: answers when the run is finished on the fake's clock (never, for a run that never finishes).</summary>
    private static async Task RunAsync(HttpContext context, FakeState state)
    {
        if (await ReadRunRequestAsync(context, state).ConfigureAwait(false) is not { } request) return;
        var (created, refusal) = state.Store.Create([request], RunOrigin.Sync);
        if (refusal is not null)
        {
            var refused = new SyncRunResponseDto { RunId = null, Status = RunStatus.Failed.ToWire(), StartedAt = null, FinishedAt = null, NumOfSteps = null, Result = null, Error = RunMapper.Error(refusal) };
            await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, refused, FakeJsonContext.Wire.SyncRunResponseDto).ConfigureAwait(false);
            return;
        }
        var run = created[0].Run;
        using var lifetime = EndpointContext.Lifetime(context, state);
        RunView view;
        while (true)
        {
            view = state.Store.Find(run.Id)!.Value;
            if (view.State.Status.IsTerminal()) break;
            await state.Clock.WaitAsync(context, RunSchedule.FinishAt(run), CancellationToken.None, lifetime.Token).ConfigureAwait(false);
        }
        var status = view.State.Status == RunStatus.Failed && state.Options.SyncFailureAsHttp500 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        await HttpResponses.JsonAsync(context, status, EndpointContext.Mapper(state).SyncRun(view), FakeJsonContext.Wire.SyncRunResponseDto).ConfigureAwait(false);
    }

    private static async Task QueueAsync(HttpContext context, FakeState state)
    {
        if (await ReadRunRequestAsync(context, state).ConfigureAwait(false) is not { } request) return;
        var (created, refusal) = state.Store.Create([request], RunOrigin.Async);
        var response = refusal is null ? new QueueRunResponseDto(created[0].Run.Id, null) : new QueueRunResponseDto(null, RunMapper.Error(refusal));
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, response, FakeJsonContext.Wire.QueueRunResponseDto).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, FakeState state)
    {
        if (await ReadRunRequestAsync(context, state).ConfigureAwait(false) is not { } request) return;
        var view = state.Store.Create([request], RunOrigin.Sse).Created[0];
        using var lifetime = EndpointContext.Lifetime(context, state);
        var stream = new RunEventStream(state, EndpointContext.Mapper(state), context);
        await stream.RunAsync(view.Run.Id, lifetime.Token).ConfigureAwait(false);
    }

    private static async Task QueueBatchAsync(HttpContext context, FakeState state)
    {
        using var request = await EndpointContext.ReadRequestAsync(context, state).ConfigureAwait(false);
        if (request is null) return;
        var errors = new ValidationErrors();
        if (RequestBodies.BatchOf(request.Body, errors) is not { } requests)
        {
            await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
            return;
        }
        var (views, refusal) = state.Store.Create(requests, RunOrigin.Batch);
        var response = refusal is null
            ? new BatchRunResponseDto([.. views.Select(static view => view.Run.Id)], null)
            : new BatchRunResponseDto(null, RunMapper.Error(refusal));
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, response, FakeJsonContext.Wire.BatchRunResponseDto).ConfigureAwait(false);
    }

    /// <summary>The run request the spec's rules accepted, or null after answering 400.</summary>
    private static async Task<RunRequestData?> ReadRunRequestAsync(HttpContext context, FakeState state)
    {
        using var request = await EndpointContext.ReadRequestAsync(context, state).ConfigureAwait(false);
        if (request is null) return null;
        var errors = new ValidationErrors();
        if (RequestBodies.RunRequestOf(request.Body, "", errors) is { } run) return run;
        await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
        return null;
    }
}
