using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Hosting;
using TinyFish.FakeServer.Json;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>Helpers every endpoint uses: the JSON body, the mapper to wire shapes, the abort token.</summary>
internal static class EndpointContext
{
    /// <summary>The parsed body, or null after answering 400 (empty, malformed, not text, or unknown query parameters).</summary>
    public static async Task<JsonDocument?> ReadJsonAsync(HttpContext context, FakeState state, ValidationErrors errors)
    {
        // A body too large or unreadable never gets here (see Pipeline).
        var body = RequestBody.Of(context);
        var document = RequestBodies.Parse(body.Bytes, errors);
        if (errors.Any)
        {
            document?.Dispose();
            await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
            return null;
        }
        return document;
    }

    public static RunMapper Mapper(FakeState state) => new(state.Options, state.LiveLinks, state.PublicUrl.Value);

    /// <summary>Ends when the client goes away or the fake stops.</summary>
    public static CancellationTokenSource Lifetime(HttpContext context, FakeState state) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, state.Stopping.Token);
}
