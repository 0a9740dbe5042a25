using Microsoft.AspNetCore.Http;

namespace TinyFish.FakeServer.Endpoints;

/// <summary>How long a request's waits may last.</summary>
internal static class RequestLifetime
{
    /// <summary>Ends when the client goes away or the fake stops (<paramref name="stopping"/>).</summary>
    public static CancellationTokenSource Of(HttpContext context, CancellationToken stopping) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
}
