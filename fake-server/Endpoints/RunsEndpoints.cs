using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TinyFish.FakeServer.Hosting;
using TinyFish.FakeServer.Json;
using TinyFish.FakeServer.Runs;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>Reading and cancelling runs: <c>/v1/runs</c>, <c>/v1/runs/{id}</c>, cancel, batch get, batch cancel.</summary>
internal static class RunsEndpoints
{
    private const string NotCancellableMessage = "Runs created by /v1/automation/run cannot be cancelled";

    public static void Map(IEndpointRouteBuilder routes, FakeState state)
    {
        routes.MapGet("/v1/runs", context => ListAsync(context, state));
        // The batch routes are literal, so they win over "{id}" for POST /v1/runs/batch.
        routes.MapPost("/v1/runs/batch", context => GetManyAsync(context, state));
        routes.MapPost("/v1/runs/batch/cancel", context => CancelManyAsync(context, state));
        routes.MapGet("/v1/runs/{id}", context => GetAsync(context, state));
        routes.MapPost("/v1/runs/{id}/cancel", context => CancelAsync(context, state));
    }

    private static async Task ListAsync(HttpContext context, FakeState state)
    {
        using var request = await EndpointContext.ReadRequestAsync(context, state).ConfigureAwait(false);
        if (request is null) return;
        var errors = new ValidationErrors();
        var query = ListQuery.Read(request.Query, state.Cursors, errors);
        if (query is null)
        {
            await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
            return;
        }
        var page = state.Store.List(query.Query);
        var mapper = EndpointContext.Mapper(state);
        var nextCursor = page.HasMore && page.Items.Count > 0
            ? state.Cursors.Encode(page.Items[^1].Run.Key, query.Query.Descending, query.Fingerprint)
            : null;
        var response = new ListRunsResponseDto(
            [.. page.Items.Select(view => mapper.Run(view))],
            new PaginationDto(page.Total, nextCursor, nextCursor is not null));
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, response, FakeJsonContext.Wire.ListRunsResponseDto).ConfigureAwait(false);
    }

    private static async Task GetAsync(HttpContext context, FakeState state)
    {
        using var request = await EndpointContext.ReadRequestAsync(context, state).ConfigureAwait(false);
        if (request is null) return;
        var errors = new ValidationErrors();
        var mode = request.Query.String("screenshots") switch
        {
            "base64" => ScreenshotMode.Base64,
            "none" => ScreenshotMode.None,
            _ => ScreenshotMode.Url,
        };
        var id = RunId(context, errors);
        if (errors.Any)
        {
            await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
            return;
        }
        if (state.Store.Find(id) is not { } view)
        {
            await HttpResponses.NotFoundAsync(context, "Run not found").ConfigureAwait(false);
            return;
        }
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, EndpointContext.Mapper(state).Run(view, mode), FakeJsonContext.Wire.RunDto).ConfigureAwait(false);
    }

    private static async Task CancelAsync(HttpContext context, FakeState state)
    {
        using var request = await EndpointContext.ReadRequestAsync(context, state).ConfigureAwait(false);
        if (request is null) return;
        var errors = new ValidationErrors();
        var id = RunId(context, errors);
        if (errors.Any)
        {
            await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
            return;
        }
        var result = state.Store.Cancel(id);
        switch (result.Outcome)
        {
            case CancelOutcome.NotFound:
                await HttpResponses.NotFoundAsync(context, "Run not found").ConfigureAwait(false);
                return;
            case CancelOutcome.NotCancellable:
                await HttpResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "INVALID_INPUT", NotCancellableMessage).ConfigureAwait(false);
                return;
            default:
                await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, RunMapper.Cancel(result), FakeJsonContext.Wire.CancelRunResponseDto).ConfigureAwait(false);
                return;
        }
    }

    private static async Task GetManyAsync(HttpContext context, FakeState state)
    {
        if (await ReadRunIdsAsync(context, state).ConfigureAwait(false) is not { } ids) return;
        var (found, notFound) = state.Store.FindMany(ids);
        var mapper = EndpointContext.Mapper(state);
        var response = new BatchGetRunsResponseDto([.. found.Select(view => mapper.Run(view))], notFound.Count == 0 ? null : notFound);
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, response, FakeJsonContext.Wire.BatchGetRunsResponseDto).ConfigureAwait(false);
    }

    private static async Task CancelManyAsync(HttpContext context, FakeState state)
    {
        if (await ReadRunIdsAsync(context, state).ConfigureAwait(false) is not { } ids) return;
        var (results, notFound, notCancellable) = state.Store.CancelMany(ids);
        if (notCancellable.Count > 0)
        {
            var details = notCancellable.Select(id => new ErrorDetail($"run_ids[{IndexOf(ids, id)}]", $"{id}: {NotCancellableMessage}")).ToList();
            await HttpResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "INVALID_INPUT", NotCancellableMessage, details).ConfigureAwait(false);
            return;
        }
        var response = new BatchCancelRunsResponseDto([.. results.Select(RunMapper.Cancel)], notFound.Count == 0 ? null : notFound);
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, response, FakeJsonContext.Wire.BatchCancelRunsResponseDto).ConfigureAwait(false);
    }

    private static int IndexOf(IReadOnlyList<string> ids, string id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (string.Equals(ids[i], id, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private static async Task<IReadOnlyList<string>?> ReadRunIdsAsync(HttpContext context, FakeState state)
    {
        using var request = await EndpointContext.ReadRequestAsync(context, state).ConfigureAwait(false);
        if (request is null) return null;
        var errors = new ValidationErrors();
        if (RequestBodies.RunIdsOf(request.Body, errors) is { } ids) return ids;
        await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
        return null;
    }

    private static string RunId(HttpContext context, ValidationErrors errors)
    {
        var id = context.Request.RouteValues["id"] as string ?? "";
        if (!RequestBodies.RunIdPattern().IsMatch(id)) errors.Add("id", RequestBodies.RunIdRule);
        return id;
    }
}
