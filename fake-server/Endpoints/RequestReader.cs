using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TinyFish.FakeServer.Hosting;
using TinyFish.FakeServer.Json;
using TinyFish.FakeServer.SelfChecking;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>
/// Reads an API request as the spec's rules (<see cref="SpecRequestRules"/>) allow it: its query and
/// JSON body checked against the operation it reaches, or a 400 with every problem.
/// </summary>
internal sealed class RequestReader(SpecRequestRules rules, bool rejectUnknownFields)
{
    /// <summary>The checked request; null after answering 400 with every problem.</summary>
    public async Task<CheckedRequest?> ReadAsync(HttpContext context)
    {
        var errors = new ValidationErrors();
        var operation = rules.For(context.Request.Method, context.Request.Path.Value ?? "/")
            ?? throw new InvalidOperationException($"{context.Request.Method} {context.Request.Path} is served but is no operation of the spec.");
        operation.ValidateQuery(context.Request.Query, errors, rejectUnknownFields);
        JsonDocument? document = null;
        if (operation.HasBody && (operation.BodyRequired || !RequestBody.Of(context).Bytes.IsEmpty))
        {
            document = RequestBodies.Parse(RequestBody.Of(context).Bytes, errors);
            if (document is not null) operation.ValidateBody(document.RootElement, errors, rejectUnknownFields);
        }
        if (!errors.Any) return new CheckedRequest(new QueryReader(context.Request.Query), document);
        document?.Dispose();
        await HttpResponses.InvalidInputAsync(context, errors).ConfigureAwait(false);
        return null;
    }
}

/// <summary>A request the spec's rules accepted: its query, and its JSON body when the operation has one.</summary>
internal sealed class CheckedRequest(QueryReader query, JsonDocument? body) : IDisposable
{
    public QueryReader Query { get; } = query;

    /// <summary>The body's root (undefined when the operation takes no body).</summary>
    public JsonElement Body => body?.RootElement ?? default;

    public void Dispose() => body?.Dispose();
}
