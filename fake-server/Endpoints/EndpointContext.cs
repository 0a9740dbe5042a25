using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Hosting;
using TinyFish.FakeServer.Json;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>Helpers every endpoint uses: the request checked against the spec, the mapper to wire shapes, the abort token.</summary>
internal static class EndpointContext
{
    /// <summary>
    /// The request, its query and JSON body checked against the spec's rules for the operation it
    /// reaches (<see cref="SelfChecking.SpecRequestRules"/>); null after answering 400 with every problem.
    /// </summary>
    public static async Task<CheckedRequest?> ReadRequestAsync(HttpContext context, FakeState state)
    {
        var errors = new ValidationErrors();
        var rules = state.RequestRules.For(context.Request.Method, context.Request.Path.Value ?? "/")
            ?? throw new InvalidOperationException($"{context.Request.Method} {context.Request.Path} is served but is no operation of the spec.");
        rules.ValidateQuery(context.Request.Query, errors, state.Options.RejectUnknownFields);
        JsonDocument? document = null;
        if (rules.HasBody && (rules.BodyRequired || !RequestBody.Of(context).Bytes.IsEmpty))
        {
            document = RequestBodies.Parse(RequestBody.Of(context).Bytes, errors);
            if (document is not null) rules.ValidateBody(document.RootElement, errors, state.Options.RejectUnknownFields);
        }
        if (!errors.Any) return new CheckedRequest(new QueryReader(context.Request.Query), document);
        document?.Dispose();
        await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
        return null;
    }

    /// <summary>The parsed body of a request to the fake's own routes (not in the spec), or null after answering 400.</summary>
    public static async Task<JsonDocument?> ReadJsonAsync(HttpContext context, ValidationErrors errors)
    {
        var document = RequestBodies.Parse(RequestBody.Of(context).Bytes, errors);
        if (!errors.Any) return document;
        document?.Dispose();
        await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
        return null;
    }

    public static RunMapper Mapper(FakeState state) => new(state.Options, state.LiveLinks, state.PublicUrl.Value);

    /// <summary>Ends when the client goes away or the fake stops.</summary>
    public static CancellationTokenSource Lifetime(HttpContext context, FakeState state) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, state.Stopping.Token);
}

/// <summary>A request the spec's rules accepted: its query, and its JSON body when the operation has one.</summary>
internal sealed class CheckedRequest(QueryReader query, JsonDocument? body) : IDisposable
{
    public QueryReader Query { get; } = query;

    /// <summary>The body's root (undefined when the operation takes no body).</summary>
    public JsonElement Body => body?.RootElement ?? default;

    public void Dispose() => body?.Dispose();
}
