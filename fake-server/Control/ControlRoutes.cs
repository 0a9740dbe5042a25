using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TinyFish.FakeServer.Endpoints;
using TinyFish.FakeServer.Hosting;
using TinyFish.FakeServer.Faults;
using TinyFish.FakeServer.Journal;
using TinyFish.FakeServer.Json;
using TinyFish.FakeServer.Scenarios;

namespace TinyFish.FakeServer.Control;

/// <summary>
/// The fake's own routes under <c>/_fake</c>: what a test does in process through
/// <see cref="FakeTinyFish.Faults"/>, <see cref="FakeTinyFish.Runs"/> and <see cref="FakeTinyFish.Journal"/>,
/// over HTTP, for clients of the standalone fake that cannot call .NET. Not part of the API (not in
/// the spec, not in the journal); they take the same <c>X-API-Key</c>, answer errors with the API's
/// envelope, and are never hit by a fault. <c>POST</c> adds one rule (204), read whole before anything
/// changes, so a bad one (400 <c>INVALID_INPUT</c> with details) changes nothing; <c>DELETE</c> removes
/// every rule (204). <c>GET /_fake/journal?method=&amp;path_prefix=</c> lists the requests received.
/// </summary>
internal static class ControlRoutes
{
    public const string Prefix = "/_fake";
    public const string JournalPath = Prefix + "/journal";

    public static void Map(IEndpointRouteBuilder routes, FaultInjector faults, RunScenarios scenarios, RequestJournal journal)
    {
        MapRules(routes, FaultRuleReader.Path, (body, errors) => FaultRuleReader.Read(body, faults, errors), faults.Clear);
        MapRules(routes, ScenarioRuleReader.Path, (body, errors) => ScenarioRuleReader.Read(body, scenarios, errors), scenarios.Clear);
        routes.MapGet(JournalPath, context => JournalAsync(context, journal));
        routes.MapDelete(JournalPath, context =>
        {
            journal.Clear();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
    }

    /// <summary>The journal, oldest first, filtered as <see cref="Journal.RequestJournal.Find"/> does.</summary>
    private static Task JournalAsync(HttpContext context, RequestJournal journal)
    {
        var errors = new ValidationErrors();
        QueryReader.Check(context.Request.Query, errors, "method", "path_prefix");
        var query = new QueryReader(context.Request.Query);
        if (errors.Any) return HttpResponses.InvalidInputAsync(context, errors);
        var entries = journal.Find(query.String("method"), query.String("path_prefix"))
            .Select(static entry => new JournalEntryDto(entry.Sequence, RunMapper.Utc(entry.ReceivedAt), entry.Method, entry.Path,
                entry.QueryString, entry.Headers, entry.Body, entry.BodyBytes, entry.BodyTruncated, entry.StatusCode))
            .ToList();
        return HttpResponses.JsonAsync(context, StatusCodes.Status200OK, new JournalDto(entries), FakeJsonContext.Wire.JournalDto);
    }

    /// <summary>POST and DELETE on <paramref name="path"/>; <paramref name="read"/> checks a rule and returns what adds it, or null with the problems in the errors.</summary>
    private static void MapRules(IEndpointRouteBuilder routes, string path, Func<JsonElement, ValidationErrors, Action?> read, Action clear)
    {
        routes.MapPost(path, async context =>
        {
            var errors = new ValidationErrors();
            using var document = await ReadJsonAsync(context, errors).ConfigureAwait(false);
            if (document is null) return;
            if (read(document.RootElement, errors) is not { } add)
            {
                await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
                return;
            }
            add();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        routes.MapDelete(path, context =>
        {
            clear();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
    }

    /// <summary>The parsed body (these routes are not in the spec, so no spec rules apply), or null after answering 400.</summary>
    private static async Task<JsonDocument?> ReadJsonAsync(HttpContext context, ValidationErrors errors)
    {
        var document = RequestBodies.Parse(RequestBody.Of(context).Bytes, errors);
        if (!errors.Any) return document;
        document?.Dispose();
        await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
        return null;
    }
}
