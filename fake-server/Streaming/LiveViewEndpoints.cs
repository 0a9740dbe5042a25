using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TinyFish.FakeServer.Endpoints;
using TinyFish.FakeServer.Hosting;

namespace TinyFish.FakeServer.Streaming;

/// <summary>
/// The live view that <c>streaming_url</c> points at: an HTML page (embeddable in an iframe) that
/// follows the run through an <c>EventSource</c> on <c>/live/{id}/events</c>, plus the step
/// screenshots. All of it is guarded by the URL's token instead of <c>X-API-Key</c>.
/// </summary>
internal static class LiveViewEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, FakeState state)
    {
        routes.MapGet("/live/{id}", context => PageAsync(context, state));
        routes.MapGet("/live/{id}/events", context => EventsAsync(context, state));
        routes.MapGet("/live/{id}/steps/{step:int}/screenshot.png", context => ScreenshotAsync(context, state));
    }

    private static async Task PageAsync(HttpContext context, FakeState state)
    {
        if (Authorize(context, state) is not { } id)
        {
            await HttpResponses.NotFoundAsync(context, "Live view not found").ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        // Embeddable anywhere, like the real live view (no X-Frame-Options).
        context.Response.Headers.ContentSecurityPolicy = "frame-ancestors *";
        // Relative: the page works under whatever name the browser reached it by.
        var eventsUrl = state.LiveLinks.EventsUrl("", id);
        await context.Response.WriteAsync(LiveViewPage.Render(id, eventsUrl), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task EventsAsync(HttpContext context, FakeState state)
    {
        if (Authorize(context, state) is not { } id)
        {
            await HttpResponses.NotFoundAsync(context, "Live view not found").ConfigureAwait(false);
            return;
        }
        using var lifetime = EndpointContext.Lifetime(context, state);
        var stream = new RunEventStream(state, EndpointContext.Mapper(state), context);
        await stream.RunAsync(id, lifetime.Token).ConfigureAwait(false);
    }

    private static async Task ScreenshotAsync(HttpContext context, FakeState state)
    {
        if (Authorize(context, state) is not { } id
            || !int.TryParse(context.Request.RouteValues["step"] as string, out var step)
            || state.Store.Find(id) is not { } view
            || step < 1 || step > view.State.StepsSoFar)
        {
            await HttpResponses.NotFoundAsync(context, "Screenshot not found").ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = "image/png";
        await context.Response.Body.WriteAsync(RunMapper.ScreenshotPng, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The run id when the token is right and the run exists; null otherwise (answered as 404, like an unknown page).</summary>
    private static string? Authorize(HttpContext context, FakeState state)
    {
        var id = context.Request.RouteValues["id"] as string ?? "";
        var token = context.Request.Query["token"].ToString();
        return state.LiveLinks.IsValid(id, token) && state.Store.Find(id) is not null ? id : null;
    }
}

/// <summary>The live-view page: plain HTML and a few lines of script, no external assets.</summary>
internal static class LiveViewPage
{
    public static string Render(string runId, string eventsUrl)
    {
        var id = WebUtility.HtmlEncode(runId);
        var events = WebUtility.HtmlEncode(eventsUrl);
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Run {{id}} — TinyFish fake live view</title>
            <style>
              body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem; color: #222; }
              #status { font-weight: bold; }
              li { margin: .2rem 0; }
              pre { background: #f4f4f4; padding: .5rem; white-space: pre-wrap; }
              .muted { color: #888; }
            </style>
            </head>
            <body>
            <h1>Run <code>{{id}}</code></h1>
            <p>Status: <span id="status">PENDING</span> <span id="beat" class="muted"></span></p>
            <ol id="steps"></ol>
            <pre id="outcome" hidden></pre>
            <script>
              const statusEl = document.getElementById("status");
              const steps = document.getElementById("steps");
              const outcome = document.getElementById("outcome");
              const beat = document.getElementById("beat");
              const source = new EventSource("{{events}}");
              source.onmessage = (message) => {
                const event = JSON.parse(message.data);
                switch (event.type) {
                  case "STARTED": statusEl.textContent = "PENDING"; break;
                  case "STREAMING_URL": statusEl.textContent = "RUNNING"; break;
                  case "PROGRESS": {
                    const item = document.createElement("li");
                    item.textContent = event.timestamp + " — " + event.purpose;
                    steps.appendChild(item);
                    break;
                  }
                  case "HEARTBEAT": beat.textContent = "(alive at " + event.timestamp + ")"; break;
                  case "COMPLETE":
                    statusEl.textContent = event.status;
                    outcome.hidden = false;
                    outcome.textContent = JSON.stringify(event.result ?? event.error, null, 2);
                    source.close();
                    break;
                }
              };
            </script>
            </body>
            </html>
            """;
    }
}
