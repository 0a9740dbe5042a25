using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TinyFish.FakeServer.Json;
using TinyFish.FakeServer.Runs;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>Reading and cancelling runs: <c>/v1/runs</c>, <c>/v1/runs/{id}</c>, cancel, batch get, batch cancel.</summary>
internal static class RunsEndpoints
{
    private const string NotCancellableMessage = "Runs created by /v1/automation/run cannot be cancelled";

    /// <summary>Maps the routes; each handler's parameters say what it touches (captured once here, nothing made per request).</summary>
    public static void Map(IEndpointRouteBuilder routes, RequestReader reader, RunStore store, CursorCodec cursors, RunMapper mapper)
    {
        routes.MapGet("/v1/runs", context => ListAsync(context, reader, store, cursors, mapper));
        // The batch routes are literal, so they win over "{id}" for POST /v1/runs/batch.
        routes.MapPost("/v1/runs/batch", context => GetManyAsync(context, reader, store, mapper));
        routes.MapPost("/v1/runs/batch/cancel", context => CancelManyAsync(context, reader, store));
        routes.MapGet("/v1/runs/{id}", context => GetAsync(context, reader, store, mapper));
        routes.MapPost("/v1/runs/{id}/cancel", context => CancelAsync(context, reader, store));
    }

    private static async Task ListAsync(HttpContext context, RequestReader reader, RunStore store, CursorCodec cursors, RunMapper mapper)
    {
        using var request = await reader.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var errors = new ValidationErrors();
        var query = ListQuery.Read(request.Query, cursors, errors);
        if (query is null)
        {
            await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
            return;
        }
        var page = store.List(query.Query);
        var nextCursor = page.HasMore && page.Items.Count > 0
            ? cursors.Encode(page.Items[^1].Run.Key, query.Query.Descending, query.Fingerprint)
            : null;
        var response = new ListRunsResponseDto(
            [.. page.Items.Select(view => mapper.Run(view))],
            new PaginationDto(page.Total, nextCursor, nextCursor is not null));
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, response, FakeJsonContext.Wire.ListRunsResponseDto).ConfigureAwait(false);
    }

    private static async Task GetAsync(HttpContext context, RequestReader reader, RunStore store, RunMapper mapper)
    {
        using var request = await reader.ReadAsync(context).ConfigureAwait(false);
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
        if (store.Find(id) is not { } view)
        {
            await HttpResponses.NotFoundAsync(context, "Run not found").ConfigureAwait(false);
            return;
        }
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, mapper.Run(view, mode), FakeJsonContext.Wire.RunDto).ConfigureAwait(false);
    }

    private static async Task CancelAsync(HttpContext context, RequestReader reader, RunStore store)
    {
        using var request = await reader.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var errors = new ValidationErrors();
        var id = RunId(context, errors);
        if (errors.Any)
        {
            await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
            return;
        }
        var result = store.Cancel(id);
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

    private static async Task GetManyAsync(HttpContext context, RequestReader reader, RunStore store, RunMapper mapper)
    {
        if (await ReadRunIdsAsync(context, reader).ConfigureAwait(false) is not { } ids) return;
        var (found, notFound) = store.FindMany(ids);
        var response = new BatchGetRunsResponseDto([.. found.Select(view => mapper.Run(view))], notFound.Count == 0 ? null : notFound);
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, response, FakeJsonContext.Wire.BatchGetRunsResponseDto).ConfigureAwait(false);
    }

    private static async Task CancelManyAsync(HttpContext context, RequestReader reader, RunStore store)
    {
        if (await ReadRunIdsAsync(context, reader).ConfigureAwait(false) is not { } ids) return;
        var (results, notFound, notCancellable) = store.CancelMany(ids);
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

    private static async Task<IReadOnlyList<string>?> ReadRunIdsAsync(HttpContext context, RequestReader reader)
    {
        using var request = await reader.ReadAsync(context).ConfigureAwait(false);
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
