namespace TinyFish.Runs.Specification.Targets;

/// <summary>
/// Prints every <c>application/problem+json</c> answer to the test log. The suite's own servers
/// never send one; a validating proxy (Prism) does when a request or a response breaks the spec, and
/// its body names the violated rule, which the typed exception would otherwise hide.
/// </summary>
internal sealed class ProblemJsonReporter(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            await TestContext.Progress.WriteLineAsync(
                $"PROXY PROBLEM: {(int)response.StatusCode} for {request.Method} {request.RequestUri?.PathAndQuery}: {body}");
        }
        return response;
    }
}
