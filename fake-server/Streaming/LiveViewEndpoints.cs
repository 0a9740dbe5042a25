using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TinyFish.FakeServer.Endpoints;
using TinyFish.FakeServer.Runs;
using TinyFish.FakeServer.Time;

namespace TinyFish.FakeServer.Streaming;

/// <summary>
/// The live view that <c>streaming_url</c> points at: an HTML page (embeddable in an iframe) that
/// follows the run through an <c>EventSource</c> on <c>/live/{id}/events</c>, plus the step
/// screenshots. All of it is guarded by the URL's token instead of <c>X-API-Key</c>.
/// </summary>
internal static class LiveViewEndpoints
{
    /// <summary>How long the live view stays open after the run finished (the reference: 24 h).</summary>
    public static readonly TimeSpan ValidAfterFinish = TimeSpan.FromHours(24);

    /// <summary>
    /// Maps the routes; each handler's parameters say what it touches (captured once here, nothing made
    /// per request). <paramref name="stopping"/> ends the event stream when the fake stops.
    /// </summary>
    public static void Map(IEndpointRouteBuilder routes, LiveLinks links, RunStore store, ClockCoordinator clock, RunEventStream events, CancellationToken stopping)
    {
        routes.MapGet("/live/{id}", context => PageAsync(context, links, store, clock));
        routes.MapGet("/live/{id}/events", context => EventsAsync(context, links, store, clock, events, stopping));
        routes.MapGet("/live/{id}/steps/{step:int}/screenshot.png", context => ScreenshotAsync(context, links, store, clock));
    }

    private static async Task PageAsync(HttpContext context, LiveLinks links, RunStore store, ClockCoordinator clock)
    {
        if (await AuthorizeAsync(context, links, store, clock).ConfigureAwait(false) is not { } view) return;
        context.Response.ContentType = "text/html; charset=utf-8";
        // Embeddable anywhere, like the real live view (no X-Frame-Options); nothing loaded from elsewhere.
        context.Response.Headers.ContentSecurityPolicy = "frame-ancestors *; default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";
        context.Response.Headers.CacheControl = "no-store";
        var id = view.Run.Id;
        var token = links.Token(id);
        // Relative links: the page works under whatever name the browser reached it by.
        var page = LiveViewPage.Render(view, $"/live/{id}/events?token={token}", $"/live/{id}/steps/", $"?token={token}");
        await context.Response.WriteAsync(page, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task EventsAsync(HttpContext context, LiveLinks links, RunStore store, ClockCoordinator clock, RunEventStream events, CancellationToken stopping)
    {
        if (await AuthorizeAsync(context, links, store, clock).ConfigureAwait(false) is not { } view) return;
        using var lifetime = RequestLifetime.Of(context, stopping);
        await events.WriteAsync(context, view.Run.Id, lifetime.Token).ConfigureAwait(false);
    }

    private static async Task ScreenshotAsync(HttpContext context, LiveLinks links, RunStore store, ClockCoordinator clock)
    {
        if (await AuthorizeAsync(context, links, store, clock).ConfigureAwait(false) is not { } view) return;
        if (!int.TryParse(context.Request.RouteValues["step"] as string, out var step) || step < 1 || step > view.State.StepsSoFar)
        {
            await HttpResponses.NotFoundAsync(context, "Screenshot not found").ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = "image/png";
        context.Response.Headers.CacheControl = "private, max-age=86400, immutable";
        await context.Response.Body.WriteAsync(StepScreenshots.Png(step), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The run, when the token is right, the run exists and its live view has not expired; otherwise
    /// null after answering: 404 (no such page, as for a wrong token) or 410 <c>LIVE_VIEW_EXPIRED</c>.
    /// </summary>
    private static async Task<RunView?> AuthorizeAsync(HttpContext context, LiveLinks links, RunStore store, ClockCoordinator clock)
    {
        var id = context.Request.RouteValues["id"] as string ?? "";
        var token = context.Request.Query["token"].ToString();
        if (!links.IsValid(id, token) || store.Find(id) is not { } view)
        {
            await HttpResponses.NotFoundAsync(context, "Live view not found").ConfigureAwait(false);
            return null;
        }
        if (view.State.FinishedAt is { } finished && clock.Now > finished + ValidAfterFinish)
        {
            await HttpResponses.ErrorAsync(context, StatusCodes.Status410Gone, "LIVE_VIEW_EXPIRED",
                $"The live view of {id} expired {ValidAfterFinish.TotalHours.ToString(System.Globalization.CultureInfo.InvariantCulture)} h after the run finished ({finished.UtcDateTime:O}).").ConfigureAwait(false);
            return null;
        }
        return view;
    }
}

/// <summary>
/// The live-view page: plain HTML and a few lines of script, no external assets. It shows the run's
/// goal, URL and status, each step with its screenshot as it happens, and when the run ends a clear
/// finished state with the result or the error.
/// </summary>
internal static class LiveViewPage
{
    public static string Render(RunView view, string eventsUrl, string stepsBase, string tokenQuery)
    {
        string Encode(string text) => WebUtility.HtmlEncode(text);
        var run = view.Run;
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,">
            <title>Run {{Encode(run.Id)}} — TinyFish fake live view</title>
            <style>
              body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem; color: #222; }
              dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
              dt { color: #666; }
              dd { margin: 0; overflow-wrap: anywhere; }
              #status { font-weight: bold; }
              #steps { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .8rem; }
              #steps li { width: 320px; }
              #steps img { width: 320px; height: 200px; border: 1px solid #ccc; display: block; }
              #finished { padding: .5rem .8rem; border-radius: 4px; font-weight: bold; }
              #finished.COMPLETED { background: #e3f5e1; }
              #finished.FAILED, #finished.CANCELLED { background: #fbe4e4; }
              pre { background: #f4f4f4; padding: .5rem; white-space: pre-wrap; }
              .muted { color: #888; }
            </style>
            </head>
            <body>
            <h1>Run <code>{{Encode(run.Id)}}</code></h1>
            <dl>
              <dt>Goal</dt><dd id="goal">{{Encode(run.Request.Goal)}}</dd>
              <dt>URL</dt><dd id="url">{{Encode(run.Request.Url)}}</dd>
              <dt>Status</dt><dd><span id="status">PENDING</span> <span id="beat" class="muted"></span></dd>
            </dl>
            <p id="finished" hidden></p>
            <h2>Steps</h2>
            <p id="no-steps" class="muted">No steps yet.</p>
            <ol id="steps"></ol>
            <h2 id="outcome-title" hidden></h2>
            <pre id="outcome" hidden></pre>
            <div id="live" hidden data-events="{{Encode(eventsUrl)}}" data-steps="{{Encode(stepsBase)}}" data-token="{{Encode(tokenQuery)}}"></div>
            <script>
              const live = document.getElementById("live").dataset;
              const statusEl = document.getElementById("status");
              const beat = document.getElementById("beat");
              const steps = document.getElementById("steps");
              const noSteps = document.getElementById("no-steps");
              const finished = document.getElementById("finished");
              const outcomeTitle = document.getElementById("outcome-title");
              const outcome = document.getElementById("outcome");
              const source = new EventSource(live.events);
              let step = 0;
              source.onmessage = (message) => {
                const event = JSON.parse(message.data);
                switch (event.type) {
                  case "STARTED": statusEl.textContent = "PENDING"; break;
                  case "STREAMING_URL": statusEl.textContent = "RUNNING"; break;
                  case "PROGRESS": {
                    step += 1;
                    noSteps.hidden = true;
                    const item = document.createElement("li");
                    const caption = document.createElement("p");
                    caption.textContent = "Step " + step + " — " + event.purpose + " (" + event.timestamp + ")";
                    const image = document.createElement("img");
                    image.alt = "Screenshot of step " + step;
                    image.onerror = () => console.error("The screenshot of step " + image.dataset.step + " did not load");
                    image.dataset.step = step;
                    image.src = live.steps + step + "/screenshot.png" + live.token;
                    item.append(caption, image);
                    steps.appendChild(item);
                    break;
                  }
                  case "HEARTBEAT": beat.textContent = "(alive at " + event.timestamp + ")"; break;
                  case "COMPLETE": {
                    source.close();
                    statusEl.textContent = event.status;
                    beat.textContent = "";
                    finished.hidden = false;
                    finished.className = event.status;
                    finished.textContent = "Finished: " + event.status + " at " + event.timestamp + ". This page no longer updates.";
                    document.title = event.status + " — " + document.title;
                    const failedGoal = event.result && event.result.status === "failure";
                    outcomeTitle.textContent = event.status === "COMPLETED" ? (failedGoal ? "Result: goal not reached" : "Result") : "Error";
                    outcomeTitle.hidden = false;
                    outcome.hidden = false;
                    outcome.textContent = JSON.stringify(event.status === "COMPLETED" ? event.result : event.error, null, 2);
                    break;
                  }
                }
              };
            </script>
            </body>
            </html>
            """;
    }
}
