using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TinyFish.FakeServer.Json;
using TinyFish.FakeServer.Runs;
using TinyFish.FakeServer.Streaming;
using TinyFish.FakeServer.Time;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>The four ways to start a run: <c>/v1/automation/run</c>, <c>run-async</c>, <c>run-sse</c>, <c>run-batch</c>.</summary>
internal static class AutomationEndpoints
{
    /// <summary>
    /// Maps the routes; each handler's parameters say what it touches (captured once here, nothing made
    /// per request). <paramref name="syncFailureAsHttp500"/> is <see cref="FakeTinyFishOptions.SyncFailureAsHttp500"/>;
    /// <paramref name="stopping"/> ends the waits of <c>run</c> and <c>run-sse</c> when the fake stops.
    /// </summary>
    public static void Map(IEndpointRouteBuilder routes, RequestReader reader, RunStore store, ClockCoordinator clock, RunMapper mapper,
        RunEventStream events, bool syncFailureAsHttp500, CancellationToken stopping)
    {
        routes.MapPost("/v1/automation/run", context => RunAsync(context, reader, store, clock, mapper, syncFailureAsHttp500, stopping));
        routes.MapPost("/v1/automation/run-async", context => QueueAsync(context, reader, store));
        routes.MapPost("/v1/automation/run-sse", context => StreamAsync(context, reader, store, events, stopping));
        routes.MapPost("/v1/automation/run-batch", context => QueueBatchAsync(context, reader, store));
    }

    /// <summary>Blocking: answers when the run is finished on the fake's clock (never, for a run that never finishes).</summary>
    private static async Task RunAsync(HttpContext context, RequestReader reader, RunStore store, ClockCoordinator clock, RunMapper mapper,
        bool syncFailureAsHttp500, CancellationToken stopping)
    {
        if (await ReadRunRequestAsync(context, reader).ConfigureAwait(false) is not { } request) return;
        var (created, refusal) = store.Create([request], RunOrigin.Sync);
        if (refusal is not null)
        {
            var refused = new SyncRunResponseDto { RunId = null, Status = RunStatus.Failed.ToWire(), StartedAt = null, FinishedAt = null, NumOfSteps = null, Result = null, Error = RunMapper.Error(refusal) };
            await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, refused, FakeJsonContext.Wire.SyncRunResponseDto).ConfigureAwait(false);
            return;
        }
        var run = created[0].Run;
        using var lifetime = RequestLifetime.Of(context, stopping);
        RunView view;
        while (true)
        {
            view = store.Find(run.Id)!.Value;
            if (view.State.Status.IsTerminal()) break;
            await clock.WaitAsync(context, RunSchedule.FinishAt(run), CancellationToken.None, lifetime.Token).ConfigureAwait(false);
        }
        var status = view.State.Status == RunStatus.Failed && syncFailureAsHttp500 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        await HttpResponses.JsonAsync(context, status, mapper.SyncRun(view), FakeJsonContext.Wire.SyncRunResponseDto).ConfigureAwait(false);
    }

    private static async Task QueueAsync(HttpContext context, RequestReader reader, RunStore store)
    {
        if (await ReadRunRequestAsync(context, reader).ConfigureAwait(false) is not { } request) return;
        var (created, refusal) = store.Create([request], RunOrigin.Async);
        var response = refusal is null ? new QueueRunResponseDto(created[0].Run.Id, null) : new QueueRunResponseDto(null, RunMapper.Error(refusal));
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, response, FakeJsonContext.Wire.QueueRunResponseDto).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, RequestReader reader, RunStore store, RunEventStream events, CancellationToken stopping)
    {
        if (await ReadRunRequestAsync(context, reader).ConfigureAwait(false) is not { } request) return;
        var view = store.Create([request], RunOrigin.Sse).Created[0];
        using var lifetime = RequestLifetime.Of(context, stopping);
        await events.WriteAsync(context, view.Run.Id, lifetime.Token).ConfigureAwait(false);
    }

    private static async Task QueueBatchAsync(HttpContext context, RequestReader reader, RunStore store)
    {
        using var request = await reader.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var errors = new ValidationErrors();
        if (RequestBodies.BatchOf(request.Body, errors) is not { } requests)
        {
            await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
            return;
        }
        var (views, refusal) = store.Create(requests, RunOrigin.Batch);
        var response = refusal is null
            ? new BatchRunResponseDto([.. views.Select(static view => view.Run.Id)], null)
            : new BatchRunResponseDto(null, RunMapper.Error(refusal));
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, response, FakeJsonContext.Wire.BatchRunResponseDto).ConfigureAwait(false);
    }

    /// <summary>The run request the spec's rules accepted, or null after answering 400.</summary>
    private static async Task<RunRequestData?> ReadRunRequestAsync(HttpContext context, RequestReader reader)
    {
        using var request = await reader.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return null;
        var errors = new ValidationErrors();
        if (RequestBodies.RunRequestOf(request.Body, "", errors) is { } run) return run;
        await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
        return null;
    }
}
